/**
 * Issue 14 part 5, the workstation's side: when the server tells a conflict
 * again with a new winner (a later-arriving offline event with an earlier `at`
 * overturned the first), the Conflicts list shows the new `first`, and the
 * conflict stays one row (server side: test/server/scale.test.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../main/core/services';
import { newWorkstation } from '../support/workstation';

const lost = { type: 'conflict', event: '01JF0000000000000000000LOST', iss: 'gb.example', jti: 'V1', at: '2026-11-21T10:00:00.000Z', branch: 'B02', device: 'B02-POS1' };
const oldFirst = { id: '01JF000000000000000000FIRST', branch: 'B01', device: 'B01-POS1', at: '2026-11-21T09:00:00.000Z' };
const newFirst = { id: '01JF0000000000000000EARLIER', branch: 'B03', device: 'B03-POS1', at: '2026-11-21T08:00:00.000Z' };

describe('a conflict whose winner changes', () => {
  let ws: Awaited<ReturnType<typeof newWorkstation>>;
  let core: Core;
  beforeAll(async () => {
    ws = await newWorkstation({ keysFile: null });
    core = ws.core;
  });
  afterAll(() => ws.cleanup());

  it('shows the newest winner the server names, in one row', async () => {
    await core.sync.applyChanges([{ ...lost, first: oldFirst }], 'c-000001');
    expect(core.sync.conflicts(true).map((c) => c.first)).toMatchObject([{ id: oldFirst.id }]);
    await core.sync.applyChanges([{ ...lost, first: newFirst }], 'c-000002');
    const shown = core.sync.conflicts(true);
    expect(shown).toHaveLength(1);
    expect(shown[0]!.first).toMatchObject({ id: newFirst.id, device: 'B03-POS1' });
  });
});
