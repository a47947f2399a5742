import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { PRIVATE_DIR_MODE, PRIVATE_FILE_MODE } from './paths';

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
  close?(): void;
}

/** Where a workstation's log lives (core.log), inside its data folder. */
export function logDir(dataDir: string): string {
  return join(dataDir, 'logs');
}

export function createLogger(dataDir: string | null, opts: { stderr?: boolean } = {}): Logger {
  let fd: number | null = null;
  if (dataDir) {
    const dir = logDir(dataDir);
    mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
    fd = openSync(join(dir, 'core.log'), 'a', PRIVATE_FILE_MODE); // opened once; append-only writes
  }
  const write = (level: string, msg: string, fields: LogFields = {}) => {
    const line = JSON.stringify({ t: new Date().toISOString(), level, msg, ...fields }) + '\n';
    if (fd !== null) {
      try {
        writeSync(fd, line);
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
    close: () => {
      if (fd !== null) closeSync(fd);
      fd = null;
    },
  };
}

export const silentLogger: Logger = { info() {}, warn() {}, error() {} };
