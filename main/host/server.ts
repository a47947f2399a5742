import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';
import { checkCall } from '../../preload/contract';
import type { CoreConnection } from '../core/process/protocol';

/**
 * The browser host: serves the built renderer on 127.0.0.1 and carries the
 * contract to the core process. Bound to loopback only; every API request
 * needs the per-run secret, and the Host header must be ours (no DNS rebinding).
 */

export const CSP =
  "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; " +
  "media-src 'self' blob: mediastream:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'";

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.wav': 'audio/wav',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
  '.ico': 'image/x-icon',
};

export interface HostOptions {
  core: CoreConnection;
  rendererDir: string;
  port?: number;
  secret?: string;
}

export interface Host {
  server: Server;
  url: string;
  port: number;
  secret: string;
  close(): Promise<void>;
}

const MAX_BODY = 256 * 1024;

/** `decodeURIComponent`, or null for a malformed escape (`/%`, `/%zz`, `/%FF`, `/%C0%80`) instead of a throw. */
function safeDecode(s: string): string | null {
  try {
    return decodeURIComponent(s);
  } catch {
    return null;
  }
}

function send(res: ServerResponse, status: number, body: string, type = 'application/json; charset=utf-8'): void {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
  res.end(body);
}

export async function startHost(opts: HostOptions): Promise<Host> {
  const secret = opts.secret ?? randomBytes(18).toString('base64url');
  const secretBuf = Buffer.from(secret);
  const sse = new Set<ServerResponse>();
  let port = 0;

  const authorised = (given: string | null | undefined): boolean => {
    if (!given) return false;
    const b = Buffer.from(given);
    return b.length === secretBuf.length && timingSafeEqual(b, secretBuf);
  };
  const hostOk = (req: IncomingMessage) => req.headers.host === `127.0.0.1:${port}` || req.headers.host === `localhost:${port}`;

  const unsubscribe = opts.core.onEvent((name, payload) => {
    const frame = `event: ${name}\ndata: ${JSON.stringify(payload)}\n\n`;
    for (const res of sse) res.write(frame);
  });

  const serveStatic = (req: IncomingMessage, res: ServerResponse, pathname: string) => {
    const decoded = safeDecode(pathname);
    if (decoded === null) return send(res, 400, 'Bad request', 'text/plain; charset=utf-8');
    const rel = pathname === '/' ? 'index.html' : decoded.replace(/^\/+/, '');
    const file = normalize(join(opts.rendererDir, rel));
    if (!file.startsWith(normalize(opts.rendererDir) + sep) || !existsSync(file) || !statSync(file).isFile()) {
      return send(res, 404, 'Not found', 'text/plain; charset=utf-8');
    }
    res.writeHead(200, {
      'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
      'content-security-policy': CSP,
      'x-content-type-options': 'nosniff',
      'cache-control': rel === 'index.html' ? 'no-store' : 'max-age=3600',
    });
    createReadStream(file).pipe(res);
  };

  const handleCall = (req: IncomingMessage, res: ServerResponse) => {
    const auth = req.headers.authorization;
    if (!authorised(auth?.startsWith('Bearer ') ? auth.slice(7) : null)) {
      return send(res, 401, JSON.stringify({ ok: false, error: { code: 'api.forbidden', message: 'Not allowed' } }));
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        send(res, 413, JSON.stringify({ ok: false, error: { code: 'api.badInput', message: 'Request too large' } }));
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', async () => {
      if (res.headersSent) return;
      let body: { name?: unknown; input?: unknown };
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        return send(res, 400, JSON.stringify({ ok: false, error: { code: 'api.badInput', message: 'Not JSON' } }));
      }
      const checked = checkCall(body?.name, body?.input);
      if (!checked.ok) return send(res, 200, JSON.stringify(checked));
      try {
        const outcome = await opts.core.call(checked.name, checked.input);
        send(res, 200, JSON.stringify(outcome));
      } catch {
        // The core process is gone or restarting: the page says so, the host stays up.
        if (!res.headersSent) send(res, 503, JSON.stringify({ ok: false, error: { code: 'core.internal', message: 'The core is not answering' } }));
      }
    });
  };

  const server = createServer((req, res) => {
    try {
      route(req, res);
    } catch {
      // Whatever a request holds (a malformed URL, a broken escape), it never takes the host down.
      if (!res.headersSent) send(res, 400, 'Bad request', 'text/plain; charset=utf-8');
      else res.destroy();
    }
  });

  const route = (req: IncomingMessage, res: ServerResponse) => {
    if (!hostOk(req)) return send(res, 421, 'Wrong host', 'text/plain; charset=utf-8');
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    if (url.pathname === '/api/call' && req.method === 'POST') return handleCall(req, res);
    if (url.pathname === '/api/events' && req.method === 'GET') {
      if (!authorised(url.searchParams.get('key'))) return send(res, 401, 'Not allowed', 'text/plain; charset=utf-8');
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
      res.write(': connected\n\n');
      sse.add(res);
      req.on('close', () => sse.delete(res));
      return;
    }
    if (req.method === 'GET' || req.method === 'HEAD') return serveStatic(req, res, url.pathname);
    send(res, 405, 'Method not allowed', 'text/plain; charset=utf-8');
  };

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  return {
    server,
    port,
    secret,
    url: `http://127.0.0.1:${port}/?key=${secret}`,
    async close() {
      unsubscribe();
      for (const res of sse) res.end();
      sse.clear();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
