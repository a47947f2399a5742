import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { APP_ORIGIN, APP_START_URL, appMenuTemplate, CSP, devToolsAllowed, isInside, isOurUrl, type MenuItemSpec, permissionAllowed, resolveAppFile } from '../../main/electron/security';

const PAGE = `${APP_ORIGIN}/index.html`;

describe('isOurUrl', () => {
  it('accepts our origin and pages under it', () => {
    expect(isOurUrl(APP_ORIGIN)).toBe(true);
    expect(isOurUrl(`${APP_ORIGIN}/`)).toBe(true);
    expect(isOurUrl(APP_START_URL)).toBe(true);
    expect(isOurUrl(`${APP_ORIGIN}/assets/index-abc.js?x=1#top`)).toBe(true);
  });

  it.each([
    'https://voucherdesk/index.html',
    'http://127.0.0.1:5173/',
    'file:///etc/passwd',
    'app://evil/index.html',
    'app://voucherdesk.evil.com/',
    'app://voucherdesk:8080/',
    'app://user:pw@voucherdesk/',
    'app://evil.com@voucherdesk/',
    'javascript:alert(1)',
    'about:blank',
    'data:text/html,<h1>x</h1>',
    'not a url',
    '',
  ])('rejects %s', (url) => {
    expect(isOurUrl(url)).toBe(false);
  });

  it('rejects what is not a string', () => {
    expect(isOurUrl(undefined)).toBe(false);
    expect(isOurUrl(null)).toBe(false);
    expect(isOurUrl({ toString: () => APP_ORIGIN })).toBe(false);
  });
});

describe('permissionAllowed', () => {
  it('allows a camera request from our page', () => {
    expect(permissionAllowed('media', { mediaTypes: ['video'] }, PAGE)).toBe(true);
    expect(permissionAllowed('media', { mediaTypes: ['video'], securityOrigin: `${APP_ORIGIN}/` }, PAGE)).toBe(true);
  });

  it('allows a camera check from our origin', () => {
    expect(permissionAllowed('media', { mediaType: 'video' }, APP_ORIGIN)).toBe(true);
  });

  it('refuses the microphone, alone or with the camera', () => {
    expect(permissionAllowed('media', { mediaTypes: ['audio'] }, PAGE)).toBe(false);
    expect(permissionAllowed('media', { mediaTypes: ['video', 'audio'] }, PAGE)).toBe(false);
    expect(permissionAllowed('media', { mediaType: 'audio' }, PAGE)).toBe(false);
  });

  it('refuses a media request that names no media type', () => {
    expect(permissionAllowed('media', { mediaTypes: [] }, PAGE)).toBe(false);
    expect(permissionAllowed('media', {}, PAGE)).toBe(false);
    expect(permissionAllowed('media', { mediaType: 'unknown' }, PAGE)).toBe(false);
  });

  it('refuses the camera to any other origin', () => {
    for (const url of ['https://example.com/', 'http://127.0.0.1:8080/', 'file:///tmp/x.html', 'app://other/', '', undefined]) {
      expect(permissionAllowed('media', { mediaTypes: ['video'] }, url)).toBe(false);
    }
    // Our URL but another frame's security origin.
    expect(permissionAllowed('media', { mediaTypes: ['video'], securityOrigin: 'https://example.com' }, PAGE)).toBe(false);
  });

  it.each([
    'notifications',
    'geolocation',
    'clipboard-read',
    'display-capture',
    'midi',
    'midiSysex',
    'openExternal',
    'fullscreen',
    'pointerLock',
    'hid',
    'serial',
    'usb',
    'unknown',
  ])('refuses %s, even to our page', (permission) => {
    expect(permissionAllowed(permission, { mediaTypes: ['video'], mediaType: 'video' }, PAGE)).toBe(false);
  });
});

describe('resolveAppFile', () => {
  const root = path.resolve(os.tmpdir(), 'vd-renderer-root');

  it('maps our URLs to files under the root', () => {
    expect(resolveAppFile(root, `${APP_ORIGIN}/`)).toBe(path.join(root, 'index.html'));
    expect(resolveAppFile(root, APP_ORIGIN)).toBe(path.join(root, 'index.html'));
    expect(resolveAppFile(root, `${APP_ORIGIN}/index.html`)).toBe(path.join(root, 'index.html'));
    expect(resolveAppFile(root, `${APP_ORIGIN}/assets/app-1.js?v=2#x`)).toBe(path.join(root, 'assets', 'app-1.js'));
    expect(resolveAppFile(root, `${APP_ORIGIN}/sounds/accept%20ok.mp3`)).toBe(path.join(root, 'sounds', 'accept ok.mp3'));
    expect(resolveAppFile(root, `${APP_ORIGIN}/./assets//a.css`)).toBe(path.join(root, 'assets', 'a.css'));
  });

  it.each([`${APP_ORIGIN}/../secret.txt`, `${APP_ORIGIN}/%2e%2e/secret.txt`, `${APP_ORIGIN}/assets/%2e%2e/%2e%2e/secret.txt`])(
    'resolves the dot segments of %s as a URL does, so it stays in the root',
    (url) => {
      expect(resolveAppFile(root, url)).toBe(path.join(root, 'secret.txt'));
    },
  );

  it.each([
    `${APP_ORIGIN}/..%2fsecret.txt`,
    `${APP_ORIGIN}/..%2Fsecret.txt`,
    `${APP_ORIGIN}/..%5csecret.txt`,
    `${APP_ORIGIN}/assets/..%5c..%5csecret.txt`,
    `${APP_ORIGIN}/%2fetc%2fpasswd/..%2f..%2f..%2fetc%2fpasswd`,
    `${APP_ORIGIN}/C:%5cWindows%5cwin.ini`,
    `${APP_ORIGIN}/index.html%00.png`,
    `${APP_ORIGIN}/%E0%A4%A`,
  ])('rejects the traversal or bad path %s', (url) => {
    expect(resolveAppFile(root, url)).toBeNull();
  });

  it('never returns a path outside the root, whatever the URL', () => {
    const pieces = ['..', '%2e%2e', '%2E%2E', '.', '%2f', '%5c', 'a', '%00', '//', '\\'];
    for (let i = 0; i < 2000; i++) {
      let p = '';
      for (let j = 0; j < 5; j++) p += `/${pieces[(i * 7 + j * 13 + (i >> j)) % pieces.length]}`;
      const file = resolveAppFile(root, `${APP_ORIGIN}${p}`);
      if (file !== null) expect(isInside(root, file)).toBe(true);
    }
  });

  it('rejects URLs that are not ours', () => {
    expect(resolveAppFile(root, 'file:///etc/passwd')).toBeNull();
    expect(resolveAppFile(root, 'https://voucherdesk/index.html')).toBeNull();
    expect(resolveAppFile(root, 'app://other/index.html')).toBeNull();
  });

  it('isInside refuses the root itself, siblings with a common prefix, and parents', () => {
    expect(isInside(root, root)).toBe(false);
    expect(isInside(root, `${root}-evil/index.html`)).toBe(false);
    expect(isInside(root, path.dirname(root))).toBe(false);
    // A file whose name merely starts with two dots is inside.
    expect(isInside(root, path.join(root, '..foo'))).toBe(true);
  });
});

describe('CSP', () => {
  const directives = new Map(
    CSP.split(';')
      .map((d) => d.trim().split(/\s+/))
      .map(([name, ...values]) => [name ?? '', values] as const),
  );

  it('has no unsafe-eval and no remote origins', () => {
    expect(CSP).not.toMatch(/'unsafe-eval'/);
    expect(CSP).not.toMatch(/https?:|\*/);
    expect(directives.get('script-src')).toEqual(["'self'", "'wasm-unsafe-eval'"]);
  });

  it('has every directive we rely on', () => {
    expect(directives.get('default-src')).toEqual(["'self'"]);
    expect(directives.get('style-src')).toEqual(["'self'", "'unsafe-inline'"]);
    expect(directives.get('img-src')).toEqual(["'self'", 'data:', 'blob:']);
    expect(directives.get('media-src')).toEqual(["'self'", 'blob:', 'mediastream:']);
    expect(directives.get('connect-src')).toEqual(["'self'"]);
    expect(directives.get('object-src')).toEqual(["'none'"]);
    expect(directives.get('base-uri')).toEqual(["'none'"]);
    expect(directives.get('frame-ancestors')).toEqual(["'none'"]);
    expect(directives.get('form-action')).toEqual(["'none'"]);
  });
});

describe('the installed app has no developer doors', () => {
  it('DevTools only when not packaged', () => {
    expect(devToolsAllowed(true)).toBe(false);
    expect(devToolsAllowed(false)).toBe(true);
  });

  it('no Reload or Toggle DevTools in the packaged menu, on any platform', () => {
    const roles = (items: MenuItemSpec[]): string[] => items.flatMap((i) => [i.role ?? '', ...roles(i.submenu ?? [])]);
    for (const platform of ['linux', 'win32', 'darwin'] as const) {
      const menu = appMenuTemplate(platform, true);
      expect(menu, platform).not.toBeNull();
      const all = roles(menu!);
      for (const role of ['reload', 'forceReload', 'toggleDevTools', 'viewMenu']) expect(all, `${platform} ${role}`).not.toContain(role);
    }
    expect(appMenuTemplate('linux', true)).toEqual([]);
    expect(appMenuTemplate('darwin', true)!.map((i) => i.role)).toEqual(['appMenu', 'editMenu']);
    expect(appMenuTemplate('linux', false)).toBeNull();
  });
});
