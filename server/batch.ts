/**
 * The batch file of docs/spec/sync-protocol.md ("Batch file (removable storage)"):
 * JSON lines, a header line `{ "format": "gb-events", "v": 1, "mid", "device",
 * "from", "to", "count" }` then one event per line; wrapped as a compact JWS
 * (EdDSA, the merchant's signing key, payload = the JSON-lines text) when the
 * merchant has a signing key. Importing stores the events exactly as an
 * upload from that device would (so importing twice stores nothing new) and
 * produces a receipt listing every event id with its status.
 */
import { createHash } from 'node:crypto';
import { CompactSign, compactVerify, decodeProtectedHeader, importJWK, type JWK } from 'jose';
import type { ServerDb } from './db';
import { MAX_EVENTS_PER_REQUEST, nowIso, storeEvents, type EventAnswer } from './events';

export const BATCH_FORMAT = 'gb-events';
export const BATCH_CTY = 'gb-events+jsonl';
export const RECEIPT_FORMAT = 'gb-events-receipt';

export interface BatchHeader {
  format: 'gb-events';
  v: 1;
  mid: string;
  device: string;
  from: string | null;
  to: string | null;
  count: number;
}

export interface Receipt {
  format: 'gb-events-receipt';
  v: 1;
  mid: string;
  device: string;
  /** SHA-256 (hex) of the imported file's bytes. */
  sha256: string;
  importedAt: string;
  counts: { stored: number; duplicate: number; conflict: number; rejected: number };
  /** One per event line, in file order: the same objects `POST /v1/events` answers with. */
  results: EventAnswer[];
}

/** The batch file is refused as a whole: nothing was stored. */
export class BatchRefused extends Error {}

/** Write a batch file's text (JSON lines; a compact JWS when a signing key is given). */
export async function writeBatch(opts: { mid: string; device: string; events: { at?: string }[]; signingKey?: JWK }): Promise<string> {
  const ats = opts.events.map((e) => e.at).filter((a): a is string => typeof a === 'string').sort();
  const header: BatchHeader = { format: BATCH_FORMAT, v: 1, mid: opts.mid, device: opts.device, from: ats[0] ?? null, to: ats[ats.length - 1] ?? null, count: opts.events.length };
  const text = [header, ...opts.events].map((l) => JSON.stringify(l)).join('\n') + '\n';
  if (!opts.signingKey) return text;
  const key = await importJWK(opts.signingKey, 'EdDSA');
  return (
    (await new CompactSign(new TextEncoder().encode(text))
      .setProtectedHeader({ alg: 'EdDSA', ...(opts.signingKey.kid ? { kid: opts.signingKey.kid } : {}), cty: BATCH_CTY })
      .sign(key)) + '\n'
  );
}

function parseLines(text: string): { header: BatchHeader; events: unknown[] } {
  const lines = text.split(/\r?\n/);
  while (lines.length > 0 && lines[lines.length - 1]!.trim() === '') lines.pop();
  if (lines.length === 0) throw new BatchRefused('the file is empty');
  const json = lines.map((l, i) => {
    try {
      return JSON.parse(l) as unknown;
    } catch {
      throw new BatchRefused(`line ${i + 1} is not JSON`);
    }
  });
  const h = json[0] as Partial<BatchHeader> | null;
  if (!h || typeof h !== 'object' || h.format !== BATCH_FORMAT || h.v !== 1) throw new BatchRefused('the first line is not a gb-events v1 header');
  if (typeof h.mid !== 'string' || typeof h.device !== 'string') throw new BatchRefused('the header has no mid or device');
  const events = json.slice(1);
  if (h.count !== events.length) throw new BatchRefused(`the header says ${String(h.count)} events but the file has ${events.length}: it was cut or edited`);
  return { header: h as BatchHeader, events };
}

/** Check a batch file (signature, header, count) and return its header and events. Nothing is stored. */
export async function readBatch(sdb: ServerDb, bytes: Buffer | string): Promise<{ header: BatchHeader; events: unknown[]; signed: boolean; sha256: string }> {
  const buf = typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes;
  const sha256 = createHash('sha256').update(buf).digest('hex');
  const text = buf.toString('utf8').trim();
  let payload: string;
  let signed = false;
  let kid: string | undefined;
  if (text.startsWith('{')) payload = text;
  else if (/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+$/.test(text)) {
    signed = true;
    let header;
    try {
      header = decodeProtectedHeader(text);
      payload = Buffer.from(text.split('.')[1]!, 'base64url').toString('utf8');
    } catch {
      throw new BatchRefused('the file is not a readable JWS');
    }
    if (header.alg !== 'EdDSA') throw new BatchRefused(`the file is signed with ${String(header.alg)}; only EdDSA is accepted`);
    kid = header.kid;
  } else throw new BatchRefused('not a batch file (neither JSON lines nor a JWS)');

  const { header, events } = parseLines(payload);
  const merchant = await sdb.db.selectFrom('merchants').select(['id', 'sig_kid', 'sig_public_jwk']).where('id', '=', header.mid).executeTakeFirst();
  if (!merchant) throw new BatchRefused(`unknown merchant ${header.mid}`);
  const device = await sdb.db.selectFrom('devices').select(['id', 'mid']).where('mid', '=', merchant.id).where('id', '=', header.device).executeTakeFirst();
  if (!device || device.mid !== merchant.id) throw new BatchRefused(`device ${header.device} is not a device of ${merchant.id}`);
  if (signed) {
    if (!merchant.sig_public_jwk) throw new BatchRefused(`merchant ${merchant.id} has no signing key registered, so a signed file cannot be checked`);
    if (kid !== undefined && kid !== merchant.sig_kid) throw new BatchRefused(`the file is signed with key ${kid}, not the merchant's key ${String(merchant.sig_kid)}`);
    try {
      await compactVerify(text, await importJWK(JSON.parse(merchant.sig_public_jwk) as JWK, 'EdDSA'), { algorithms: ['EdDSA'] });
    } catch {
      throw new BatchRefused(`the signature does not verify with ${merchant.id}'s signing key: the file was edited or is not from this merchant`);
    }
  } else if (merchant.sig_public_jwk) {
    throw new BatchRefused(`merchant ${merchant.id} has a signing key, so its batch files must be signed; this one is not`);
  }
  return { header, events, signed, sha256 };
}

/** Import a batch file: store its events as an upload from its device would, and return the receipt. */
export async function importBatch(sdb: ServerDb, bytes: Buffer | string): Promise<Receipt> {
  const { header, events, sha256 } = await readBatch(sdb, bytes);
  const dev = await sdb.db.selectFrom('devices').select(['id', 'mid', 'branch']).where('mid', '=', header.mid).where('id', '=', header.device).executeTakeFirstOrThrow();
  const results: EventAnswer[] = [];
  for (let i = 0; i < events.length; i += MAX_EVENTS_PER_REQUEST) {
    results.push(...(await storeEvents(sdb, { id: dev.id, mid: dev.mid, branch: dev.branch }, events.slice(i, i + MAX_EVENTS_PER_REQUEST), { batch: true })));
  }
  const counts = { stored: 0, duplicate: 0, conflict: 0, rejected: 0 };
  for (const r of results) counts[r.status]++;
  const receipt: Receipt = { format: RECEIPT_FORMAT, v: 1, mid: header.mid, device: header.device, sha256, importedAt: nowIso(), counts, results };
  await sdb.db
    .insertInto('imports')
    .values({ sha256, mid: header.mid, device: header.device, imported_at: receipt.importedAt, receipt: JSON.stringify(receipt) })
    .onConflict((oc) => oc.columns(['mid', 'sha256']).doNothing())
    .execute();
  return receipt;
}
