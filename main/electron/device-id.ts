/**
 * The workstation's device id: stable across restarts, stored in a small JSON
 * file in the data dir, created on first run as `POS-<6 random characters>`.
 * No 'electron' import, so it is unit-tested under Node.
 */
import { randomInt } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export const DEVICE_FILE = 'device.json';
const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789'; // no 0/O, 1/I: read aloud at the counter
const VALID_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export function newDeviceId(): string {
  let id = 'POS-';
  for (let i = 0; i < 6; i++) id += ALPHABET[randomInt(ALPHABET.length)];
  return id;
}

/** Reads the device id from `dataDir/device.json`, creating the file when it is missing or unreadable. */
export function loadDeviceId(dataDir: string): string {
  const file = path.join(dataDir, DEVICE_FILE);
  try {
    const stored: unknown = JSON.parse(fs.readFileSync(file, 'utf8'));
    const device = (stored as { device?: unknown } | null)?.device;
    if (typeof device === 'string' && VALID_ID.test(device)) return device;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT' && !(e instanceof SyntaxError)) throw e;
  }
  const device = newDeviceId();
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  // Write then rename, so a crash never leaves a half-written file behind.
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, `${JSON.stringify({ device, createdAt: new Date().toISOString() }, null, 2)}\n`, { mode: 0o600 });
  fs.renameSync(tmp, file);
  return device;
}
