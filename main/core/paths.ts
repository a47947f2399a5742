import { chmodSync, closeSync, fsyncSync, lstatSync, mkdirSync, openSync, readdirSync, renameSync, writeSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';

/** The per-user data folder, the same one Electron's app.getPath('userData') gives for VoucherDesk. */
export function defaultDataDir(): string {
  if (process.platform === 'win32') return join(process.env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'VoucherDesk');
  if (process.platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'VoucherDesk');
  return join(process.env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), 'VoucherDesk');
}

/** Private to the user who runs VoucherDesk: the member CRM and the ledger are personal data. */
export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

/**
 * Makes the data folder private to this user: created 0700, and an existing
 * folder from an older version (0755, its files 0644) tightened in place, once,
 * its subfolders and files included. Windows keeps the ACLs of the user profile.
 */
export function securePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  if (process.platform === 'win32') return;
  // Already private: nobody else can reach anything inside, so there is nothing to
  // walk (every start after the first; Chromium's own folder in the app's data
  // folder is never walked again).
  if ((lstatSync(dir).mode & 0o777) === PRIVATE_DIR_MODE) return;
  const tighten = (path: string, depth: number): void => {
    const st = lstatSync(path);
    if (st.isSymbolicLink()) return;
    if (st.isDirectory()) {
      if ((st.mode & 0o777) !== PRIVATE_DIR_MODE) chmodSync(path, PRIVATE_DIR_MODE);
      if (depth < 3) for (const name of readdirSync(path)) tighten(join(path, name), depth + 1);
    } else if (st.isFile() && (st.mode & 0o077) !== 0) chmodSync(path, st.mode & 0o700);
  };
  tighten(dir, 0);
}

/** Creates `file` if missing with owner-only permissions (SQLite gives its -wal and -shm files the same). */
export function createPrivateFile(file: string): void {
  mkdirSync(dirname(file), { recursive: true, mode: PRIVATE_DIR_MODE });
  closeSync(openSync(file, 'a', PRIVATE_FILE_MODE));
}

/** Atomic and durable: a private temp file, fsynced, renamed over the old one, then the folder fsynced. */
export function writePrivateFileDurably(path: string, text: string): void {
  const tmp = `${path}.tmp`;
  const fd = openSync(tmp, 'w', PRIVATE_FILE_MODE);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
  fsyncDir(dirname(path));
}

export function fsyncDir(dir: string): void {
  if (process.platform === 'win32') return; // folders cannot be opened for fsync there; NTFS journals the rename
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
