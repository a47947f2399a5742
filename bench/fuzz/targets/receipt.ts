/**
 * The batch file's receipt, as the workstation reads it back from removable
 * storage (loadReceipt in main/core/sync/batch.ts: one JSON answer or JSON
 * lines), on a throwaway workstation with three events waiting in its sync
 * outbox; each input inside a transaction rolled back afterwards.
 *
 * Refusal: a UserError (sync.badReceipt). Crash: anything else.
 * False accept: an event marked (uploaded, conflict or rejected) although the
 * receipt does not name its id: a receipt speaks only for the events it lists.
 */
import { isUserError } from '../../../main/core/errors';
import { loadReceipt } from '../parsers';
import type { Target } from '../harness';
import { DICT } from '../mutate';
import { throwawayWorkstation } from './workstation';

const IDS = ['01JD0000000000000000000011', '01JD0000000000000000000012', '01JD0000000000000000000013'];
const FIRST = { id: '01JD0000000000000000000019', branch: 'B02', device: 'B02-POS1', at: '2030-01-02T03:04:05.000Z' };

export async function receiptTarget(): Promise<Target & { close(): void }> {
  const ws = await throwawayWorkstation();
  const { core } = ws;
  const add = core.db.prepare('INSERT INTO sync_outbox (id, body, status, sent_at, via) VALUES (?, ?, NULL, NULL, NULL)');
  for (const id of IDS) add.run(id, JSON.stringify({ id, type: 'redemption', iss: 'gb-pub-a', jti: `J-${id.slice(-2)}`, at: '2030-01-02T03:04:05.000Z' }));
  const waiting = core.db.prepare<[], { id: string }>('SELECT id FROM sync_outbox WHERE status IS NULL');
  const results = [
    { id: IDS[0], status: 'stored' },
    { id: IDS[1], status: 'conflict', first: FIRST },
    { id: IDS[2], status: 'rejected', reason: 'unknown voucher' },
    { id: '01JD0000000000000000000099', status: 'stored' },
  ];
  const seeds = [
    JSON.stringify({ format: 'gb-events-receipt', v: 1, mid: 'M-pub-1001', device: 'FUZZ-POS', counts: { stored: 2, duplicate: 0, conflict: 1, rejected: 1 }, results }),
    [JSON.stringify({ format: 'gb-events-receipt', v: 1 }), ...results.map((r) => JSON.stringify(r))].join('\n') + '\n',
  ].map((s) => Buffer.from(s));
  return {
    name: 'batch receipt',
    seeds,
    maxInput: 16 * 1024,
    dict: [...DICT.json, ...['"stored"', '"duplicate"', '"conflict"', '"rejected"', '"results"', '"status"', `"${IDS[0]}"`].map((t) => Buffer.from(t))],
    open(input) {
      const content = input.toString('utf8');
      core.db.exec('SAVEPOINT fuzz');
      let marked: string[];
      try {
        loadReceipt(core.db, core.sync, content);
        const still = new Set(waiting.all().map((r) => r.id));
        marked = IDS.filter((id) => !still.has(id));
      } catch (e) {
        if (isUserError(e)) return 'refused';
        throw e;
      } finally {
        core.db.exec('ROLLBACK TO fuzz; RELEASE fuzz');
      }
      return marked.every((id) => content.includes(id)) ? 'accepted' : { falseAccept: 'an event marked that the receipt does not name' };
    },
    close: () => ws.close(),
  };
}
