/**
 * `core.invoke`: the contract's calls, typed, for the CLI (and, later, the
 * tests). It answers what `core.call` answers and throws a refusal as a
 * UserError with the same code, message and params.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isUserError, type UserError } from '../../main/core/errors';
import type { Core } from '../../main/core/services';
import { ADMIN_PASSPHRASE, newWorkstation } from '../support/workstation';

let ws: Awaited<ReturnType<typeof newWorkstation>>;
let core: Core;

beforeAll(async () => {
  ws = await newWorkstation();
  core = ws.core;
}, 60_000);
afterAll(() => ws?.cleanup());

async function refusal(p: Promise<unknown>): Promise<UserError> {
  const e: unknown = await p.then(
    () => null,
    (err: unknown) => err,
  );
  if (!isUserError(e)) throw new Error(`expected a UserError, got ${String(e)}`);
  return e;
}

describe('core.invoke', () => {
  it('answers a call with its result, the same as core.call', async () => {
    const view = await core.invoke('keystore.view', {});
    expect(view.state).toBe('unlocked');
    const called = await core.call('keystore.view', {});
    expect(called).toEqual({ ok: true, value: view });
    const { token } = await core.invoke('admin.login', { passphrase: ADMIN_PASSPHRASE });
    expect(typeof token).toBe('string');
    expect(await core.invoke('campaigns.list', {})).toEqual([]);
  });

  it('throws a refused call as a UserError with the code, message and params core.call gives', async () => {
    const input = { adminToken: 'not-a-token', eventId: 'E1', reason: '' };
    const e = await refusal(core.invoke('ledger.reverse', input));
    const called = await core.call('ledger.reverse', input);
    if (called.ok) throw new Error('ledger.reverse unexpectedly succeeded');
    expect(e.toCallError()).toEqual(called.error);
    expect(e.code).toMatch(/^admin\./);
  });

  it('checks the input against the contract first', async () => {
    const e = await refusal(core.invoke('points.show', { holder: '' }));
    expect(e.code).toBe('api.badInput');
    expect(e.params).toMatchObject({ call: 'points.show', fields: 'holder' });
  });
});
