/**
 * The batch file for removable storage (docs/spec/sync-protocol.md "Batch file"):
 * JSON lines, a header first, one event per line; wrapped as a compact JWS
 * (EdDSA) signed with the merchant's signing key when there is an Ed25519 one.
 * The JWS payload is the JSON-lines text itself; the protected header carries
 * `kid` and `cty: "gb-events+jsonl"`.
 *
 * The receipt the platform gives back after an import is read as the upload
 * answer: `{ "results": [ { "id", "status", "first"?, "reason"? } ] }` (other
 * top-level fields ignored), or the same result objects as JSON lines. The
 * events it names are marked uploaded; events still waiting stay waiting (a
 * later online sync sends them, and the platform answers 'duplicate').
 */
import { CompactSign } from 'jose';
import type { ExportResult } from '../../../preload/contract';
import type { Db } from '../db/open';
import { UserError } from '../errors';
import type { KeyStore } from '../keystore/keystore';
import type { SyncClient } from './client';
import { SyncError } from './http';
import { parseResults } from './outbox';
import type { WireEvent } from './wire';

export interface BatchHeader {
  format: 'gb-events';
  v: 1;
  mid: string | null;
  device: string;
  from: string | null;
  to: string | null;
  count: number;
}

export async function exportBatch(db: Db, keystore: KeyStore, device: string, now = Date.now()): Promise<ExportResult> {
  const rows = db.prepare<[], { id: string; body: string }>('SELECT id, body FROM sync_outbox WHERE status IS NULL ORDER BY seq').all();
  const events = rows.map((r) => JSON.parse(r.body) as WireEvent);
  const ats = events.map((e) => e.at).sort();
  const header: BatchHeader = {
    format: 'gb-events',
    v: 1,
    mid: keystore.merchant()?.id ?? null,
    device,
    from: ats[0] ?? null,
    to: ats[ats.length - 1] ?? null,
    count: events.length,
  };
  const lines = [JSON.stringify(header), ...rows.map((r) => r.body)].join('\n') + '\n';

  let content = lines;
  let signed = false;
  const signing = db
    .prepare<[], { kid: string }>("SELECT kid FROM keys WHERE role = 'merchant-signing' AND crv = 'Ed25519' ORDER BY added_at DESC LIMIT 1")
    .get();
  if (signing) {
    const key = keystore.signingKey(signing.kid);
    if (!key) throw new UserError('keystore.locked', 'The key store is locked: enter the admin passphrase first.');
    content = await new CompactSign(new TextEncoder().encode(lines)).setProtectedHeader({ alg: 'EdDSA', kid: signing.kid, cty: 'gb-events+jsonl' }).sign(key);
    signed = true;
  }
  const stamp = new Date(now).toISOString().replace(/[-:]/g, '').slice(0, 15);
  const fileName = `events-${device}-${stamp}.${signed ? 'jws' : 'jsonl'}`;
  const mark = db.prepare('UPDATE sync_outbox SET exported_at = ?, export_file = ? WHERE id = ?');
  db.transaction(() => {
    for (const r of rows) mark.run(now, fileName, r.id);
  })();
  return { fileName, content, count: events.length, signed };
}

/** Reads the platform's receipt and marks the events it names. */
export function loadReceipt(db: Db, client: SyncClient, content: string): { marked: number; unknown: number } {
  let items: unknown[];
  const trimmed = content.trim();
  try {
    if (trimmed.startsWith('{') && !trimmed.includes('\n{')) {
      const body = JSON.parse(trimmed) as { results?: unknown };
      if (!Array.isArray(body.results)) throw new Error('no results');
      items = body.results;
    } else {
      items = trimmed.split(/\r?\n/).filter(Boolean).map((l) => JSON.parse(l) as unknown);
      // JSON lines may start with a header line; keep the result objects only.
      items = items.filter((i) => typeof i === 'object' && i !== null && 'status' in i);
    }
  } catch {
    throw new UserError('sync.badReceipt', 'This is not a receipt from the platform; nothing was changed.');
  }
  const known = db.prepare<[string], { id: string }>('SELECT id FROM sync_outbox WHERE id = ?');
  const ours = items.filter((i) => typeof i === 'object' && i !== null && typeof (i as { id?: unknown }).id === 'string' && known.get((i as { id: string }).id));
  let results;
  try {
    results = parseResults({ results: ours }, ours.map((i) => (i as { id: string }).id));
  } catch (e) {
    if (e instanceof SyncError) throw new UserError('sync.badReceipt', 'This is not a receipt from the platform; nothing was changed.');
    throw e;
  }
  client.applyResults(results, 'receipt');
  return { marked: results.length, unknown: items.length - results.length };
}
