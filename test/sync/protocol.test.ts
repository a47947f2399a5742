/**
 * The wire's one definition (common/protocol): what it accepts and what it
 * refuses, and how the workstation answers malformed input from a server (the
 * reference server's answers to malformed uploads are in test/server).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changesPage, parseEvent, sentEvent, uploadRequest } from '../../common/protocol/sync';
import type { Core } from '../../main/core/services';
import { SyncError } from '../../main/core/sync/http';
import { parseResults } from '../../main/core/sync/outbox';
import { wireEvent } from '../../main/core/sync/wire';
import { newWorkstation } from '../support/workstation';

const redemption = {
  id: '01JD0000000000000000000001',
  type: 'redemption' as const,
  iss: 'gb.example',
  jti: 'V7K2M9Q4X8',
  mid: 'M1001',
  branch: 'B01',
  device: 'B01-POS1',
  at: '2026-11-21T09:30:12.345Z',
  units: 1,
  amount: null,
  cur: null,
  cashier: 'amy',
  member: null,
  offline: true,
};

describe('events', () => {
  it('reads the spec example, keeping fields it does not know', () => {
    const r = parseEvent({ ...redemption, note: 'kept' });
    expect(r).toEqual({ ok: true, ev: { ...redemption, note: 'kept' } });
    expect(parseEvent({ id: 'R1', type: 'reversal', reverses: redemption.id, at: redemption.at, reason: 'customer changed mind', by: 'owner' }).ok).toBe(true);
  });

  it.each([
    [{ ...redemption, type: 'refund' }, /type must be "redemption" or "reversal"/],
    [{ ...redemption, at: 'yesterday' }, /at: not an ISO 8601 date-time/],
    [{ ...redemption, jti: '' }, /jti/],
    [{ ...redemption, units: -1 }, /units/],
    [{ ...redemption, units: 1.5 }, /units/],
    [{ ...redemption, offline: 'yes' }, /offline/],
    [{ ...redemption, id: 'x'.repeat(65) }, /id/],
    [{ id: 'R1', type: 'reversal', at: redemption.at }, /reverses/],
  ])('refuses a malformed event, naming why: %j', (raw, why) => {
    const r = parseEvent(raw);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.reason).toMatch(/^invalid event/);
      expect(r.reason).toMatch(why);
    }
  });

  it('a ledger row becomes the event the workstation sends, field for field, in the order the spec shows', () => {
    const row = { ...redemption, at: Date.parse(redemption.at), offline: 1, seq: 7, sku: 'SKU1', kind: 'item', remote: 0, extra: null, cmp: null, reverses: null, reason: null, by: null };
    const w = wireEvent(row);
    expect(Object.keys(w)).toEqual(Object.keys(redemption));
    expect(w).toEqual(redemption);
    const rev = wireEvent({ ...row, id: 'R1', type: 'reversal' as const, reverses: redemption.id, reason: 'mistake', by: 'owner', offline: 0 });
    expect(rev).toEqual({ ...redemption, id: 'R1', type: 'reversal', offline: false, reverses: redemption.id, reason: 'mistake', by: 'owner' });
    expect(sentEvent.safeParse(rev).success).toBe(true);
  });
});

describe('upload', () => {
  it('a request is { events: [...] }', () => {
    expect(uploadRequest.safeParse({ events: [] }).success).toBe(true);
    expect(uploadRequest.safeParse({ nope: 1 }).success).toBe(false);
    expect(uploadRequest.safeParse({ events: 'all' }).success).toBe(false);
  });

  it('the workstation reads answers as before: a malformed answer marks nothing', () => {
    const ids = ['A', 'B', 'C', 'D'];
    const good = {
      results: [
        { id: 'A', status: 'stored' },
        { id: 'B', status: 'duplicate', was: 'conflict', first: { id: 'F', branch: 'B02', device: 'B02-POS1', at: '2026-11-21T09:00:00Z' } },
        { id: 'C', status: 'conflict', first: { id: 'F', branch: 7, at: 3 } },
        { id: 'D', status: 'rejected' },
      ],
    };
    expect(parseResults(good, ids)).toEqual([
      { id: 'A', status: 'stored' },
      { id: 'B', status: 'conflict', first: { id: 'F', branch: 'B02', device: 'B02-POS1', at: '2026-11-21T09:00:00Z' } },
      { id: 'C', status: 'conflict', first: { id: 'F', branch: null, device: null, at: '' } },
      { id: 'D', status: 'rejected', reason: '' },
    ]);
    for (const bad of [
      null,
      { results: 'x' },
      { results: good.results.slice(1) },
      { results: [{ ...good.results[0], id: 'Z' }, ...good.results.slice(1)] },
      { results: [{ id: 'A', status: 'kept' }, ...good.results.slice(1)] },
      { results: [good.results[0], good.results[1], { id: 'C', status: 'conflict' }, good.results[3]] },
    ]) {
      expect(() => parseResults(bad, ids)).toThrow(SyncError);
    }
  });
});

describe('changes', () => {
  it('a page needs a cursor and a list; `more` and `serverTime` are read leniently', () => {
    expect(changesPage.safeParse({ cursor: 'c-1', changes: [] }).data).toEqual({ cursor: 'c-1', more: false, serverTime: null, changes: [] });
    expect(changesPage.safeParse({ cursor: 'c-1', more: 'yes', changes: [] }).data?.more).toBe(false);
    expect(changesPage.safeParse({ changes: [] }).success).toBe(false);
    expect(changesPage.safeParse({ cursor: 'c-1', changes: {} }).success).toBe(false);
  });

  describe('the workstation skips changes it cannot read and applies the rest', () => {
    let ws: Awaited<ReturnType<typeof newWorkstation>>;
    let core: Core;
    beforeAll(async () => {
      ws = await newWorkstation({ keysFile: null });
      core = ws.core;
    });
    afterAll(() => ws.cleanup());

    it('malformed events, revocations and conflicts change nothing; the cursor moves', async () => {
      await core.sync.applyChanges(
        [
          'not a change',
          { kind: 'redemption' },
          { type: 'redemption', event: { ...redemption, at: 'yesterday' } },
          { type: 'redemption', event: 'nope' },
          { type: 'revocation', iss: '', jti: 'V1' },
          { type: 'conflict', event: redemption.id },
          { type: 'issuer-key', iss: 'gb.example', key: 'nope' },
          { type: 'something-new', x: 1 },
          { type: 'redemption', event: redemption },
          { type: 'revocation', iss: 'gb.example', jti: 'V2', at: 'whenever' },
        ],
        'c-000009',
      );
      expect(core.db.prepare('SELECT id, remote FROM events').all()).toEqual([{ id: redemption.id, remote: 1 }]);
      expect(core.db.prepare('SELECT iss, jti FROM revocations').all()).toEqual([{ iss: 'gb.example', jti: 'V2' }]);
      expect(core.sync.conflicts(true)).toEqual([]);
      expect(core.settings.get('sync.cursor')).toBe('c-000009');
    });
  });
});
