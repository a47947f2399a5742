/** Devices and their tokens: the server keeps only a hash of each token. */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { ServerDb } from './db';

/** Who is uploading: an authenticated device. */
export interface DeviceRef {
  id: string;
  mid: string;
  branch: string | null;
}

/** SHA-256 of a token, hex: what the database keeps. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** Constant-time comparison of a presented token with a stored hash. */
export function tokenMatches(token: string, storedHash: string): boolean {
  const a = Buffer.from(hashToken(token), 'hex');
  const b = Buffer.from(storedHash, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The device a request comes from, or null (unknown device, revoked, or a wrong token). */
export async function authenticate(sdb: ServerDb, deviceId: string, token: string): Promise<DeviceRef | null> {
  // The device's merchant first (a reference table on Citus), then the device by its key (mid, id): one shard.
  const owner = await sdb.db.selectFrom('device_merchants').select('mid').where('id', '=', deviceId).executeTakeFirst();
  const row = owner ? await sdb.db.selectFrom('devices').selectAll().where('mid', '=', owner.mid).where('id', '=', deviceId).executeTakeFirst() : undefined;
  // Compare even when the device is unknown, so timing does not tell which devices exist.
  const ok = tokenMatches(token, row?.token_hash ?? '0'.repeat(64));
  if (!row || !ok || row.revoked_at !== null) return null;
  return { id: row.id, mid: row.mid, branch: row.branch };
}

