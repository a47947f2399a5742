/**
 * Rebuilding a replaced workstation's ledger from the platform
 * (docs/spec/sync-protocol.md "GET /v1/own-events"): after the device bundle
 * is imported again on a new PC, this device's own events come back down, in
 * the order the server stored them, and the ledger takes them as its own
 * (already answered by the server, so nothing is uploaded twice). Running it
 * again adds nothing (events by id).
 */
import { z } from 'zod';
import { parseEvent } from '../../../common/protocol/sync';
import type { KeyStore } from '../keystore/keystore';
import type { Ledger } from '../ledger/ledger';
import type { Logger } from '../log';
import type { Context } from '../redeem/redeem';
import type { Settings } from '../settings';
import { remoteEvent } from './apply';
import { SyncError, SyncHttp } from './http';

const page = z.object({
  cursor: z.string(),
  more: z.boolean(),
  events: z.array(z.object({ status: z.enum(['stored', 'duplicate', 'conflict', 'rejected']), event: z.unknown() })),
});

export interface RebuildDeps {
  settings: Settings;
  keystore: KeyStore;
  ctx: Context;
  ledger: Ledger;
  log: Logger;
}

export async function rebuildFromPlatform(d: RebuildDeps, timeoutMs = 30_000): Promise<{ events: number; skipped: number }> {
  const http = new SyncHttp(d);
  let cursor = '';
  let added = 0;
  let skipped = 0;
  for (;;) {
    const body = await http.request('GET', `/v1/own-events?${cursor ? `since=${encodeURIComponent(cursor)}&` : ''}limit=500`, null, timeoutMs);
    const read = page.safeParse(body);
    if (!read.success) throw new SyncError('badResponse');
    for (const { status, event } of read.data.events) {
      const parsed = parseEvent(event);
      if (!parsed.ok || parsed.ev.device !== d.ctx.device()) {
        skipped++;
        continue;
      }
      if (d.ledger.appendRemote(remoteEvent(parsed.ev), { body: JSON.stringify(event), status })) added++;
    }
    if (!read.data.more || read.data.events.length === 0) break;
    cursor = read.data.cursor;
  }
  d.log.info('ledger rebuilt from the platform', { events: added, skipped });
  return { events: added, skipped };
}
