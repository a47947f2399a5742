import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

/**
 * A small structured logger. Callers pass only plain facts: call names,
 * durations, verdict codes, issuer and serial. Never inputs, keys or voucher
 * text: there is deliberately no way to log an arbitrary object graph.
 */
export type LogFields = Record<string, string | number | boolean | null | undefined>;

export interface Logger {
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
}

export function createLogger(dataDir: string | null, opts: { stderr?: boolean } = {}): Logger {
  let file: string | null = null;
  if (dataDir) {
    const dir = join(dataDir, 'logs');
    mkdirSync(dir, { recursive: true });
    file = join(dir, 'core.log');
  }
  const write = (level: string, msg: string, fields: LogFields = {}) => {
    const line = JSON.stringify({ t: new Date().toISOString(), level, msg, ...fields }) + '\n';
    if (file) {
      try {
        appendFileSync(file, line);
      } catch {
        // A full disk must not break redemption; the ledger has its own durability.
      }
    }
    if (opts.stderr) process.stderr.write(line);
  };
  return {
    info: (m, f) => write('info', m, f),
    warn: (m, f) => write('warn', m, f),
    error: (m, f) => write('error', m, f),
  };
}

export const silentLogger: Logger = { info() {}, warn() {}, error() {} };
