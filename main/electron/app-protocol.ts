/**
 * The app:// scheme that serves the built renderer (out/renderer): only files
 * under that folder, only GET and HEAD, 404 for anything else, and the CSP on
 * every response. Preferred to file:// (Electron security checklist, item 18).
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { protocol } from 'electron';
import { APP_SCHEME, CSP, isInside, resolveAppFile } from './security';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.mp3': 'audio/mpeg',
  '.wav': 'audio/wav',
  '.ogg': 'audio/ogg',
  '.webm': 'video/webm',
  '.txt': 'text/plain; charset=utf-8',
};

function headers(contentType: string): Record<string, string> {
  return {
    'Content-Type': contentType,
    'Content-Security-Policy': CSP,
    'X-Content-Type-Options': 'nosniff',
    'Cache-Control': 'no-cache',
  };
}

function plain(status: number, text: string): Response {
  return new Response(text, { status, headers: headers('text/plain; charset=utf-8') });
}

/** Must run before the app is ready: app:// is a secure, standard origin (so getUserMedia works). */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true } },
  ]);
}

/** Serves `rootDir` on app://voucherdesk/ for the default session. */
export function serveRenderer(rootDir: string): void {
  const root = path.resolve(rootDir);
  let realRoot: Promise<string> | null = null;

  protocol.handle(APP_SCHEME, async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return plain(405, 'Method not allowed');
    const file = resolveAppFile(root, request.url);
    if (!file) return plain(404, 'Not found');
    try {
      realRoot ??= fs.realpath(root);
      // Follow symlinks and check again: the real file must still be under the real root.
      const real = await fs.realpath(file);
      if (!isInside(await realRoot, real)) return plain(404, 'Not found');
      const stat = await fs.stat(real);
      if (!stat.isFile()) return plain(404, 'Not found');
      const type = TYPES[path.extname(real).toLowerCase()] ?? 'application/octet-stream';
      const body = request.method === 'HEAD' ? null : new Uint8Array(await fs.readFile(real));
      return new Response(body, { status: 200, headers: headers(type) });
    } catch {
      realRoot = null;
      return plain(404, 'Not found');
    }
  });
}
