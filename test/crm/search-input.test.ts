/** Whatever a cashier (or a scanner) puts in the search box, search answers: never core.internal. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callOk, newWorkstation } from '../support/workstation';

let ws: Awaited<ReturnType<typeof newWorkstation>>;
beforeAll(async () => {
  ws = await newWorkstation({ keysFile: null });
  await callOk(ws.core, 'crm.memberAdd', { name: '王小明', phone: '13800000001' });
});
afterAll(() => ws.cleanup());

const search = (q: string) => ws.core.call('crm.search', { q });

describe('member search with odd input', () => {
  it.each(['\u0000', 'a\u0000b', '王\u0000', '\u0000\u0000\u0000', '\u0007\u001b[2J', '"', '*', 'NEAR(', ')', '"\u0000"'])('answers %j', async (q) => {
    const r = await search(q);
    expect(r).toMatchObject({ ok: true });
  });

  it('a control character around the text (a scanner suffix) is ignored: the member is still found', async () => {
    const r = await search('\u0000小明\r');
    expect(r.ok && (r.value as { rows: { name: string }[] }).rows.map((m) => m.name)).toEqual(['王小明']);
  });
});
