import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createCore, type Core } from '../../main/core/services';
import { createLogger } from '../../main/core/log';
import { openKeyFile, readKeyFile } from '../../main/core/db/key';
import { connect, type Db } from '../../main/core/db/open';
import type Database from 'better-sqlite3-multiple-ciphers';

/** The one place tests make a workstation: a real SQLite file in a fresh temp folder. */

/** The public GBV1 conformance vectors (docs/spec/voucher-format.md), the repository's own copy. */
export const FIXTURES = resolve(__dirname, '..', 'fixtures');
export const VECTOR_KEYS_FILE = join(FIXTURES, 'vectors', 'keys.json');
export const VECTORS = JSON.parse(readFileSync(join(FIXTURES, 'vectors', 'vectors.json'), 'utf8')) as {
  now: number;
  toleranceSeconds: number;
  vectors: { name: string; text: string; expect: string; pin?: string; claims?: Record<string, unknown> }[];
};
export const ADMIN_PASSPHRASE = 'correct horse battery';

export function tempDir(prefix = 'vd-test-'): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Opens (or reopens) a workstation; the admin passphrase opens its database once it is set. */
export async function openWorkstation(dir: string): Promise<Core> {
  return createCore({ dataDir: dir, protector: { mode: 'passphrase' }, device: 'TEST-POS', logger: createLogger(dir), passphrase: ADMIN_PASSPHRASE });
}

/** A workstation's database file opened directly, with its key (for tests that look at the rows themselves). */
export async function openDbFile(dir: string, options: Database.Options = {}): Promise<Db> {
  const keyFile = readKeyFile(dir);
  if (!keyFile) throw new Error('no database key file in this workstation');
  // Unsealing takes a scrypt each time: tests that look often (after every kill) reuse the key.
  const id = `${dir}\n${JSON.stringify(keyFile)}`;
  let key = dbKeys.get(id);
  if (!key) dbKeys.set(id, (key = await openKeyFile(keyFile, { os: null, passphrase: ADMIN_PASSPHRASE })));
  return connect(join(dir, 'voucherdesk.db'), key, options);
}
const dbKeys = new Map<string, Buffer>();

/** A fresh workstation with the admin passphrase set and, unless told otherwise, the vector keys imported. */
export async function newWorkstation(opts: { keysFile?: string | null; content?: string } = {}): Promise<{
  core: Core;
  dir: string;
  token: string;
  cleanup(): void;
}> {
  const { dir, cleanup } = tempDir();
  const core = await openWorkstation(dir);
  const { token } = await core.invoke('admin.setup', { passphrase: ADMIN_PASSPHRASE });
  const file = opts.keysFile === undefined ? VECTOR_KEYS_FILE : opts.keysFile;
  if (file || opts.content) {
    const out = await core.call('keystore.import', { adminToken: token, fileName: file ?? 'bundle.json', content: opts.content ?? readFileSync(file!, 'utf8') });
    if (!out.ok) throw new Error(`import failed: ${out.error.code}`);
  }
  return {
    core,
    dir,
    token,
    cleanup: () => {
      core.close();
      cleanup();
    },
  };
}

/**
 * A call as the page makes it, except that a `now` in the input is the trusted
 * clock only the core's own callers may set (the page's input has no `now`).
 */
function split(input: unknown): [unknown, { now?: number }] {
  if (input === null || typeof input !== 'object' || !('now' in input)) return [input, {}];
  const { now, ...rest } = input as { now?: number };
  return [rest, { now }];
}

export async function callOk<T = unknown>(core: Core, name: string, input: unknown): Promise<T> {
  const out = await core.call(name, ...split(input));
  if (!out.ok) throw new Error(`${name} failed: ${out.error.code} ${out.error.message}`);
  return out.value as T;
}

export async function callErr(core: Core, name: string, input: unknown): Promise<{ code: string; message: string }> {
  const out = await core.call(name, ...split(input));
  if (out.ok) throw new Error(`${name} unexpectedly succeeded`);
  return out.error;
}
