import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCoreChild, type CoreChild } from '../../main/host/core-child';
import { startHost, type Host } from '../../main/host/server';
import { tempDir } from '../support/workstation';

let core: CoreChild;
let host: Host;
let tmp: ReturnType<typeof tempDir>;

beforeAll(async () => {
  tmp = tempDir('vd-host-');
  const web = join(tmp.dir, 'web');
  mkdirSync(join(web, 'assets'), { recursive: true });
  writeFileSync(join(web, 'index.html'), '<!doctype html><title>VoucherDesk</title>');
  writeFileSync(join(web, 'assets', 'app.js'), 'console.log(1)');
  writeFileSync(join(tmp.dir, 'secret.txt'), 'outside the web root');
  core = await startCoreChild({ dataDir: join(tmp.dir, 'data') });
  host = await startHost({ core: core.connection, rendererDir: web });
});
afterAll(async () => {
  await host.close();
  await core.stop();
  tmp.cleanup();
});

function raw(opts: { method?: string; path: string; headers?: Record<string, string>; body?: string }): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((res, rej) => {
    const req = request({ host: '127.0.0.1', port: host.port, method: opts.method ?? 'GET', path: opts.path, headers: opts.headers }, (r) => {
      let body = '';
      r.on('data', (d) => (body += d));
      r.on('end', () => res({ status: r.statusCode!, headers: r.headers, body }));
    });
    req.on('error', rej);
    req.end(opts.body);
  });
}
const call = (name: string, input: unknown, key = host.secret, hostHeader = `127.0.0.1:${host.port}`) =>
  raw({ method: 'POST', path: '/api/call', headers: { authorization: `Bearer ${key}`, host: hostHeader, 'content-type': 'application/json' }, body: JSON.stringify({ name, input }) });

describe('browser host', () => {
  it('listens on loopback only and prints a URL with a per-run secret', () => {
    expect((host.server.address() as AddressInfo).address).toBe('127.0.0.1');
    expect(host.url).toBe(`http://127.0.0.1:${host.port}/?key=${host.secret}`);
    expect(host.secret.length).toBeGreaterThanOrEqual(20);
  });

  it('serves the renderer with a strict CSP, and nothing outside it', async () => {
    const page = await raw({ path: '/' });
    expect(page.status).toBe(200);
    expect(String(page.headers['content-security-policy'])).toContain("default-src 'self'");
    expect(String(page.headers['content-security-policy'])).not.toMatch(/'unsafe-eval'|'unsafe-inline' *; *script/);
    expect((await raw({ path: '/assets/app.js' })).status).toBe(200);
    for (const path of ['/../secret.txt', '/%2e%2e/secret.txt', '/assets/%2e%2e%2f%2e%2e%2fsecret.txt', '/nope.js']) {
      expect((await raw({ path })).status, path).toBe(404);
    }
  });

  it('answers a malformed address with 400 and stays up (an <img> on any web page could send one)', async () => {
    for (const path of ['/%E0%A4%A', '/%', '/%zz', '/%FF', '/%C0%80', '/assets/%']) {
      expect((await raw({ path })).status, path).toBe(400);
    }
    expect((await raw({ path: '/' })).status).toBe(200);
  });

  it('a page cannot set the clock: voucher.verify and voucher.redeem with a now are refused before the core sees them', async () => {
    for (const name of ['voucher.verify', 'voucher.redeem']) {
      const r = JSON.parse((await call(name, { text: 'GBV1:x', now: 1_900_000_000 })).body);
      expect(r, name).toMatchObject({ ok: false, error: { code: 'api.badInput' } });
    }
  });

  it('carries calls to the core only with the secret and our own Host header', async () => {
    const ok = await call('app.info', {});
    expect(ok.status).toBe(200);
    expect(JSON.parse(ok.body)).toMatchObject({ ok: true, value: { keystore: 'empty', adminConfigured: false } });
    expect((await call('app.info', {}, 'wrong-secret')).status).toBe(401);
    expect((await raw({ method: 'POST', path: '/api/call', body: '{}' })).status).toBe(401);
    expect((await call('app.info', {}, host.secret, 'evil.example:80')).status).toBe(421);
  });

  it('checks every call against the contract before the core sees it', async () => {
    expect(JSON.parse((await call('fs.readFile', { path: '/etc/passwd' })).body)).toMatchObject({ ok: false, error: { code: 'api.unknownCall' } });
    expect(JSON.parse((await call('voucher.redeem', { text: 1 })).body)).toMatchObject({ ok: false, error: { code: 'api.badInput' } });
    expect(JSON.parse((await call('voucher.redeem', { text: 'x', extra: true })).body)).toMatchObject({ ok: false, error: { code: 'api.badInput' } });
    const notJson = await raw({ method: 'POST', path: '/api/call', headers: { authorization: `Bearer ${host.secret}` }, body: '{nope' });
    expect(notJson.status).toBe(400);
  });

  it('pushes core events to the page over server-sent events', async () => {
    const got = await new Promise<string>((res, rej) => {
      const req = request({ host: '127.0.0.1', port: host.port, path: `/api/events?key=${host.secret}` }, (r) => {
        expect(r.statusCode).toBe(200);
        let buf = '';
        r.on('data', (d) => {
          buf += d;
          if (buf.includes('event: keystore.changed')) {
            req.destroy();
            res(buf);
          }
        });
        void call('keystore.lock', {});
      });
      req.on('error', (e) => (String(e).includes('socket hang up') ? undefined : rej(e)));
      req.end();
    });
    expect(got).toContain('data: {"state":"empty"}');
    expect((await raw({ path: '/api/events?key=wrong' })).status).toBe(401);
  });

  it('npm run start:web prints the URL with its secret (the start script)', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', resolve(__dirname, '../../main/host/start.ts'), '--data-dir', join(tmp.dir, 'data2'), '--port', '0'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const line = await new Promise<string>((res) => {
      let out = '';
      child.stdout.on('data', (d) => {
        out += d;
        const m = /Open: (http:\/\/127\.0\.0\.1:\d+\/\?key=[\w-]+)/.exec(out);
        if (m) res(m[1]!);
      });
    });
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    expect(line).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?key=[\w-]{20,}$/);
  });
});
