/**
 * The sync wire as the workstation reads it: the answer to an upload
 * (parseResults) and a page of changes (the page check of SyncClient.download,
 * then SyncClient.applyChanges on a throwaway workstation; the issuer keys are
 * put back after each page so every input meets the same keys).
 * A body that is not JSON is refused the way the client's request() refuses it.
 *
 * Upload answer. Refusal: SyncError. Crash: anything else. False accept: an
 * answer read although it does not answer the events sent: not one result per
 * event in order (ids), a status outside stored/duplicate/conflict/rejected,
 * or a conflict without the first redemption's id.
 *
 * Page of changes. Refusal: the page check fails (badResponse). Crash: anything
 * applyChanges throws (the cursor would never move: sync stuck for good).
 * False accept: after the page, the key store trusts an issuer key for an
 * issuer the merchant's bundle does not name (so also the merchant's own
 * referral issuer), or lost a key through a change that named another issuer
 * (issue 11, defect 4: a server speaks only for its own issuers).
 */
import type { Db } from '../../../main/core/db/open';
import { parseResults, SyncClient } from '../parsers';
import type { Target } from '../harness';
import { DICT } from '../mutate';
import { throwawayWorkstation } from './workstation';

const IDS = ['01JD0000000000000000000001', '01JD0000000000000000000002', '01JD0000000000000000000003', '01JD0000000000000000000004', '01JD0000000000000000000005'];
const STATUSES = new Set(['stored', 'duplicate', 'conflict', 'rejected']);
const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const FIRST = { id: '01JD0000000000000000000009', branch: 'B02', device: 'B02-POS1', at: '2030-01-02T03:04:05.000Z' };

function parseBody(input: Buffer): { ok: true; body: unknown } | { ok: false } {
  try {
    return { ok: true, body: JSON.parse(input.toString('utf8')) as unknown };
  } catch {
    return { ok: false };
  }
}

export function uploadAnswerTarget(): Target {
  const answers = [
    { results: [{ id: IDS[0], status: 'stored' }, { id: IDS[1], status: 'duplicate' }, { id: IDS[2], status: 'conflict', first: FIRST }, { id: IDS[3], status: 'rejected', reason: 'unknown voucher' }, { id: IDS[4], status: 'duplicate', was: 'conflict', first: FIRST }] },
    { results: IDS.map((id) => ({ id, status: 'stored' })), serverTime: '2030-01-02T03:04:05.000Z' },
  ];
  return {
    name: 'sync: upload answer',
    seeds: answers.map((a) => Buffer.from(JSON.stringify(a))),
    dict: [...DICT.json, ...['"stored"', '"duplicate"', '"conflict"', '"rejected"', '"first"', '"was"', `"${IDS[0]}"`].map((t) => Buffer.from(t))],
    open(input) {
      const parsed = parseBody(input);
      if (!parsed.ok) return 'refused';
      try {
        parseResults(parsed.body, IDS);
      } catch (e) {
        if (e instanceof Error && e.constructor.name === 'SyncError') return 'refused';
        throw e;
      }
      const results = (parsed.body as { results: unknown[] }).results;
      if (results.length !== IDS.length) return { falseAccept: 'not one result per event' };
      for (let i = 0; i < results.length; i++) {
        const r = results[i];
        if (!isObj(r) || r.id !== IDS[i]) return { falseAccept: 'a result for another event' };
        if (typeof r.status !== 'string' || !STATUSES.has(r.status)) return { falseAccept: 'an unknown status' };
        if (r.status === 'conflict' && !(isObj(r.first) && typeof r.first.id === 'string')) return { falseAccept: 'a conflict without the first redemption' };
      }
      return 'accepted';
    },
  };
}

interface KeyRow {
  kid: string;
  iss: string | null;
  role: string;
}
const keysOf = (db: Db): KeyRow[] => db.prepare('SELECT kid, iss, role FROM keys ORDER BY kid').all() as KeyRow[];

export async function changesTarget(): Promise<Target & { close(): void }> {
  const ws = await throwawayWorkstation();
  const { core } = ws;
  const sync: SyncClient = core.sync;
  const before = keysOf(core.db);
  const issuerRows = core.db.prepare("SELECT * FROM keys WHERE role = 'issuer'").all() as Record<string, unknown>[];
  const cols = Object.keys(issuerRows[0] ?? {});
  const reinsert = core.db.prepare(`INSERT INTO keys (${cols.join(', ')}) VALUES (${cols.map((c) => '@' + c).join(', ')})`);
  const restoreIssuerKeys = core.db.transaction(() => {
    core.db.prepare("DELETE FROM keys WHERE role = 'issuer'").run();
    for (const r of issuerRows) reinsert.run(r);
  });
  const bundleIssuers = new Set(before.filter((k) => k.role === 'issuer').map((k) => k.iss));
  const issuerKey = JSON.parse(core.db.prepare("SELECT public_jwk FROM keys WHERE kid = 'pub-i-ed'").pluck().get() as string) as Record<string, unknown>;
  const event = { id: IDS[0], type: 'redemption', iss: 'gb-pub-a', jti: 'J-1', mid: 'M-pub-1001', branch: 'B02', device: 'B02-POS1', at: '2030-01-02T03:04:05.000Z', units: 1, amount: null, cur: null, cashier: 'bo', member: null, offline: false };
  const pages = [
    {
      cursor: 'c-000002',
      more: false,
      serverTime: '2030-01-02T03:04:05.000Z',
      changes: [
        { type: 'redemption', event },
        { type: 'reversal', event: { ...event, id: IDS[1], type: 'reversal', reverses: IDS[0], reason: 'refund', by: 'amy' } },
        { type: 'conflict', event: IDS[2], iss: 'gb-pub-a', jti: 'J-2', at: event.at, branch: 'B01', device: 'B01-POS1', first: FIRST },
        { type: 'revocation', iss: 'gb-pub-a', jti: 'J-3', at: event.at, reason: 'refunded' },
        { type: 'campaign', id: 'CNY-2030', stock: 200, from: null, to: null, hours: '10:00-22:00' },
      ],
    },
    {
      cursor: 'c-000003',
      more: true,
      changes: [
        { type: 'issuer-key', iss: 'gb-pub-a', key: { ...issuerKey, kid: 'pub-i-ed-2' }, status: 'active' },
        { type: 'issuer-key', iss: 'gb-pub-a', key: issuerKey, status: 'rotated' },
        { type: 'issuer-key', iss: 'gb-pub-b', key: { ...issuerKey, kid: 'pub-i-b-ed' }, status: 'retired' },
      ],
    },
  ];
  return {
    name: 'sync: page of changes',
    seeds: pages.map((p) => Buffer.from(JSON.stringify(p))),
    dict: [...DICT.json, ...['"issuer-key"', '"retired"', '"revoked"', '"active"', '"conflict"', '"campaign"', '"reversal"', '"gb-pub-a"', '"gb-pub-b"', '"merchant:M-pub-1001"', '"pub-i-ed"'].map((t) => Buffer.from(t))],
    async open(input) {
      const parsed = parseBody(input);
      if (!parsed.ok) return 'refused';
      const body = parsed.body;
      if (!isObj(body) || typeof body.cursor !== 'string' || !Array.isArray(body.changes)) return 'refused';
      const changes = body.changes as unknown[];
      // The ledger appends in transactions of its own (never inside a caller's), so
      // each page runs for real and the issuer keys (what the verdict is about) are
      // put back afterwards; the events, campaigns and revocations a page adds use
      // the seeds' few ids, so what stays behind is bounded.
      let after: KeyRow[];
      try {
        await sync.applyChanges(changes, body.cursor);
        after = keysOf(core.db);
      } finally {
        restoreIssuerKeys();
      }
      const touchedKeys = changes.some((c) => isObj(c) && c.type === 'issuer-key');
      if (touchedKeys) core.keystore.reloadPublic();
      const was = new Map(before.map((k) => [k.kid, k]));
      const now = new Map(after.map((k) => [k.kid, k]));
      for (const k of after) if (!was.has(k.kid) && !bundleIssuers.has(k.iss)) return { falseAccept: 'an issuer key for an issuer the bundle does not name' };
      for (const k of before) {
        if (now.has(k.kid)) continue;
        const named = changes.some((c) => isObj(c) && c.type === 'issuer-key' && c.iss === k.iss && isObj(c.key) && c.key.kid === k.kid);
        if (!named) return { falseAccept: "a key dropped by a change naming another issuer" };
      }
      return 'accepted';
    },
    close: () => ws.close(),
  };
}
