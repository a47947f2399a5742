/**
 * The security decisions of the Electron shell, as pure functions.
 *
 * Nothing here imports 'electron', so every rule can be unit-tested under Node
 * (test/electron/security.test.ts). The modules that talk to Electron
 * (permissions.ts, app-protocol.ts, window.ts, ipc.ts) only wire these in.
 */
import path from 'node:path';

/** Our page is served from this custom scheme, never from file:// or http://. */
export const APP_SCHEME = 'app';
export const APP_HOST = 'voucherdesk';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_START_URL = `${APP_ORIGIN}/index.html`;

/**
 * The Content-Security-Policy sent with every response of our scheme.
 * 'wasm-unsafe-eval' lets the barcode decoder compile WebAssembly; there is no
 * 'unsafe-eval' and no remote origin anywhere.
 */
export const CSP = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "media-src 'self' blob: mediastream:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'none'",
].join('; ');

/**
 * True when `url` (a full URL or a bare origin) belongs to our page:
 * `app://voucherdesk` with no credentials and no port.
 */
export function isOurUrl(url: unknown): boolean {
  if (typeof url !== 'string' || url.length === 0) return false;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  return (
    parsed.protocol === `${APP_SCHEME}:` &&
    parsed.hostname === APP_HOST &&
    parsed.port === '' &&
    parsed.username === '' &&
    parsed.password === ''
  );
}

/**
 * What we know about a permission request or check. Requests carry
 * `mediaTypes` (Electron's MediaAccessPermissionRequest); checks carry a single
 * `mediaType`. `securityOrigin`, when present, must be ours too.
 */
export interface PermissionDetails {
  mediaTypes?: readonly string[] | undefined;
  mediaType?: string | undefined;
  securityOrigin?: string | undefined;
}

/**
 * The permission allowlist: only 'media', only the camera (video, never the
 * microphone), and only for our own page. Everything else is refused.
 */
export function permissionAllowed(permission: string, details: PermissionDetails, requestingUrl: string | undefined): boolean {
  if (permission !== 'media') return false;
  if (!isOurUrl(requestingUrl)) return false;
  if (details.securityOrigin !== undefined && details.securityOrigin !== '' && !isOurUrl(details.securityOrigin)) {
    return false;
  }
  if (details.mediaTypes !== undefined) {
    // A request: every requested type must be video, and there must be one.
    return details.mediaTypes.length > 0 && details.mediaTypes.every((t) => t === 'video');
  }
  // A check: only an explicit video check passes ('audio' and 'unknown' do not).
  return details.mediaType === 'video';
}

/**
 * Maps `app://voucherdesk/<path>` to a file under `root`, or null when the URL
 * is not ours, cannot be decoded, or would leave `root` (../, encoded
 * separators, NUL bytes, absolute paths). `/` maps to index.html. The result is
 * lexical: the protocol handler also checks the real path (symlinks).
 */
export function resolveAppFile(root: string, url: string): string | null {
  if (!isOurUrl(url)) return null;
  let pathname: string;
  try {
    pathname = decodeURIComponent(new URL(url).pathname);
  } catch {
    return null;
  }
  if (pathname.includes('\0')) return null;
  // Treat both separators alike so that an encoded "..\\" cannot slip through on Windows.
  const segments = pathname.split(/[\\/]+/).filter((s) => s !== '' && s !== '.');
  if (segments.some((s) => s === '..' || /^[a-zA-Z]:$/.test(s))) return null;
  if (segments.length === 0) segments.push('index.html');

  const base = path.resolve(root);
  const file = path.resolve(base, ...segments);
  return isInside(base, file) ? file : null;
}

/** True when `file` is strictly inside `root` (both absolute, e.g. real paths). */
export function isInside(root: string, file: string): boolean {
  const rel = path.relative(root, file);
  return rel !== '' && rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel);
}

/**
 * DevTools are for developers: in the installed app (packaged) they cannot be
 * opened, so nobody at the counter can call the API by hand. `npm start` from a
 * checkout keeps them.
 */
export function devToolsAllowed(packaged: boolean): boolean {
  return !packaged;
}

/** A menu item, as far as our menu template needs (the shape of Electron's MenuItemConstructorOptions). */
export interface MenuItemSpec {
  role?: 'appMenu' | 'editMenu' | 'quit' | 'undo' | 'redo' | 'cut' | 'copy' | 'paste' | 'selectAll' | 'minimize' | 'close';
  label?: string;
  submenu?: MenuItemSpec[];
}

/**
 * The application menu. The default menu has Reload, Force Reload and Toggle
 * Developer Tools; the installed app has none of them: no menu at all on
 * Windows and Linux, and on macOS (where copy and paste need a menu) only the
 * app menu with Quit and the Edit menu. `null` means no menu.
 */
export function appMenuTemplate(platform: NodeJS.Platform, packaged: boolean): MenuItemSpec[] | null {
  if (!packaged) return null; // keep Electron's default menu while developing
  if (platform !== 'darwin') return [];
  return [
    { role: 'appMenu', submenu: [{ role: 'quit' }] },
    { role: 'editMenu', submenu: [{ role: 'undo' }, { role: 'redo' }, { role: 'cut' }, { role: 'copy' }, { role: 'paste' }, { role: 'selectAll' }] },
  ];
}
