import { describe, expect, it, vi } from 'vitest';
import { ApiError, type AppInfo, type Role, type StaffState } from '../../preload/contract';
import { errorText, i18n, i18nOptions } from '../../renderer/src/i18n';
import { captureScans, onExternalScan, scansCaptured, submitExternalScan } from '../../renderer/src/scanners/store';
import { neededRole, refusalFor, roleAtLeast, runApproved } from '../../renderer/src/staff/approval';
import { readCode } from '../../renderer/src/staff/code';
import { checkName, checkPin, detailText } from '../../renderer/src/staff/form';
import { eligible } from '../../renderer/src/staff/NamePicker';
import { NO_STAFF, onPersonChange, setStaffState, signInNeeded } from '../../renderer/src/staff/store';
import { unlockBy } from '../../renderer/src/staff/unlock';

// Issue 13 part 1, the screens: signing in by PIN or badge, a manager's approval, the Staff screen's checks.

const roleRequired = (role: Role) => new ApiError('staff.roleRequired', `This needs a ${role}.`, { role });
const adminRequired = () => new ApiError('admin.required', 'This needs the admin passphrase.');

describe('the "PIN or badge" field', () => {
  it('takes 4 to 8 digits as a PIN for the name picked, anything else as a scanned badge', () => {
    expect(readCode('1234', 's1')).toEqual({ proof: { staffId: 's1', pin: '1234' } });
    expect(readCode(' 12345678\r\n', 's1')).toEqual({ proof: { staffId: 's1', pin: '12345678' } });
    expect(readCode('GBV2:ABC DEF', null)).toEqual({ proof: { badge: 'GBV2:ABC DEF' } });
    expect(readCode('eyJhbGciOi.x.y', 's1')).toEqual({ proof: { badge: 'eyJhbGciOi.x.y' } });
  });

  it('asks for the name before a PIN, and says a PIN has 4 to 8 digits', () => {
    expect(readCode('1234', null)).toEqual({ problem: 'pickName' });
    expect(readCode('123', 's1')).toEqual({ problem: 'pinShape' });
    expect(readCode('123456789', 's1')).toEqual({ problem: 'pinShape' });
    expect(readCode('   ', 's1')).toEqual({ problem: 'empty' });
  });
});

describe("a manager's approval (runApproved)", () => {
  it('the signed-in person acts without a token; a refusal for the role asks that role and runs again with the approver\'s token', async () => {
    const tokens: (string | undefined)[] = [];
    const ask = vi.fn(async (_need: Role, _why: ApiError | null) => 'manager-token');
    const out = await runApproved({
      held: undefined,
      current: 'cashier',
      ask,
      forget: () => undefined,
      call: async (token) => {
        tokens.push(token);
        if (!token) throw roleRequired('manager');
        return 'undone';
      },
    });
    expect(out).toBe('undone');
    expect(tokens).toEqual([undefined, 'manager-token']);
    expect(ask).toHaveBeenCalledTimes(1);
    expect(ask.mock.calls[0]![0]).toBe('manager');
    expect(ask.mock.calls[0]![1]?.code).toBe('staff.roleRequired');
  });

  it('a call that wants a token (admin.required, or a schema that needs one) asks a manager, naming the role to a cashier', async () => {
    for (const refusal of [adminRequired(), new ApiError('api.badInput', 'Invalid input', { call: 'ledger.reverse', fields: 'adminToken' })]) {
      const ask = vi.fn(async (_need: Role, _why: ApiError | null) => 't');
      await runApproved({ held: undefined, current: 'cashier', ask, forget: () => undefined, call: async (token) => (token ? 1 : Promise.reject(refusal)) });
      expect(ask.mock.calls[0]![0]).toBe('manager');
      expect(ask.mock.calls[0]![1]?.params).toEqual({ role: 'manager' });
    }
    // Other bad input is no question of roles.
    const other = new ApiError('api.badInput', 'Invalid input', { call: 'ledger.reverse', fields: 'reason' });
    await expect(runApproved({ held: undefined, current: 'cashier', ask: async () => 't', forget: () => undefined, call: async () => Promise.reject(other) })).rejects.toBe(other);
  });

  it('a manager approving what needs the owner is asked again for the owner', async () => {
    const asked: Role[] = [];
    const out = await runApproved({
      held: undefined,
      current: 'cashier',
      ask: async (need) => {
        asked.push(need);
        return need;
      },
      forget: () => undefined,
      call: async (token) => {
        if (token !== 'owner') throw roleRequired('owner');
        return 'done';
      },
    });
    expect(out).toBe('done');
    expect(asked).toEqual(['owner']);
    const again: Role[] = [];
    await runApproved({
      held: undefined,
      current: 'cashier',
      ask: async (need) => (again.push(need), need),
      forget: () => undefined,
      call: async (token) => {
        if (!token) throw roleRequired('manager');
        if (token === 'manager') throw roleRequired('owner');
        return 'done';
      },
    });
    expect(again).toEqual(['manager', 'owner']);
  });

  it('cancelled: nothing runs again; other errors are thrown; a held token that expired is forgotten', async () => {
    const call = vi.fn(async (token: string | undefined) => (token ? 'ok' : Promise.reject(roleRequired('manager'))));
    expect(await runApproved({ held: undefined, current: 'cashier', ask: async () => null, forget: () => undefined, call })).toBeUndefined();
    expect(call).toHaveBeenCalledTimes(1);

    const boom = new ApiError('ledger.alreadyReversed', 'Already undone');
    await expect(runApproved({ held: undefined, current: 'manager', ask: async () => 't', forget: () => undefined, call: async () => Promise.reject(boom) })).rejects.toBe(boom);

    const forget = vi.fn();
    const out = await runApproved({
      held: 'old-owner-token',
      current: 'manager',
      ask: async () => 'fresh',
      forget,
      call: async (token) => (token === 'fresh' ? 'ok' : Promise.reject(adminRequired())),
    });
    expect(out).toBe('ok');
    expect(forget).toHaveBeenCalledTimes(1);
  });

  it('gives up after a few approvals that do not help', async () => {
    const ask = vi.fn(async () => 'never-enough');
    await expect(runApproved({ held: undefined, current: 'cashier', ask, forget: () => undefined, call: async () => Promise.reject(roleRequired('owner')) })).rejects.toMatchObject({ code: 'staff.roleRequired' });
    expect(ask).toHaveBeenCalledTimes(3);
  });

  it('names the role needed, and shows no refusal to a manager who only confirms with their PIN', () => {
    expect(neededRole(roleRequired('owner'), null)).toBe('owner');
    expect(neededRole(adminRequired(), null)).toBe('manager');
    expect(neededRole(adminRequired(), 'owner')).toBe('owner');
    expect(neededRole(new Error('x'), null)).toBeNull();
    expect(refusalFor(adminRequired(), 'manager', 'manager')).toBeNull();
    expect(refusalFor(adminRequired(), 'manager', 'cashier')?.code).toBe('staff.roleRequired');
    const r = roleRequired('owner');
    expect(refusalFor(r, 'owner', 'manager')).toBe(r);
    expect(roleAtLeast('owner', 'manager')).toBe(true);
    expect(roleAtLeast('cashier', 'manager')).toBe(false);
  });

  it('the refusal reads in the cashier\'s language, with the role in their words', async () => {
    await i18n.init(i18nOptions('en'));
    expect(errorText(i18n.t, roleRequired('manager'))).toBe('Your role cannot do this (manager needed): ask a manager or the owner to approve it. Nothing was changed.');
    await i18n.changeLanguage('zh-CN');
    const zh = errorText(i18n.t, roleRequired('manager'));
    expect(zh).toMatch(/[\u4e00-\u9fff]/);
    expect(zh).not.toContain('manager');
    await i18n.changeLanguage('en');
  });
});

describe('who may approve, and the sign-in', () => {
  const person = (name: string, role: Role, active = true) => ({ id: name, name, role, active, hasBadge: false, createdAt: 0 });

  it('lists the active staff with at least the role needed, by name', () => {
    const people = [person('Zoe', 'manager'), person('Amy', 'cashier'), person('Bob', 'owner'), person('Cai', 'manager', false)];
    expect(eligible(people, 'manager').map((p) => p.name)).toEqual(['Bob', 'Zoe']);
    expect(eligible(people, null).map((p) => p.name)).toEqual(['Amy', 'Bob', 'Zoe']);
  });

  it('shows the sign-in while staff exist and nobody is signed in, and tells when the person changes', () => {
    const amy: StaffState = { enabled: true, current: { id: 'a', name: 'Amy', role: 'cashier', since: 1, idleSignOutAt: null }, idleMinutes: 5 };
    expect(signInNeeded(NO_STAFF)).toBe(false);
    expect(signInNeeded({ ...amy, current: null })).toBe(true);
    expect(signInNeeded(amy)).toBe(false);
    const changed = vi.fn();
    setStaffState(NO_STAFF);
    const off = onPersonChange(changed);
    setStaffState(amy);
    setStaffState({ ...amy, idleMinutes: 10 }); // the same person: no change
    setStaffState({ ...amy, current: null }); // the idle sign-out
    off();
    setStaffState(NO_STAFF);
    expect(changed).toHaveBeenCalledTimes(2);
  });

  it('a scan while the sign-in (or an approval) is open goes to it, not to the Redeem screen', () => {
    const redeem = vi.fn();
    const badge = vi.fn();
    const offRedeem = onExternalScan(redeem);
    const release = captureScans(badge);
    expect(scansCaptured()).toBe(true);
    expect(submitExternalScan('BADGE-TEXT', 'serial')).toBe(true);
    expect(badge).toHaveBeenCalledWith('BADGE-TEXT');
    expect(redeem).not.toHaveBeenCalled();
    release();
    expect(scansCaptured()).toBe(false);
    submitExternalScan('GBV1:voucher', 'serial');
    expect(redeem).toHaveBeenCalledWith('GBV1:voucher');
    offRedeem();
  });
});

describe("the Staff screen's checks", () => {
  it('wants a name and the same PIN of 4 to 8 digits twice', () => {
    expect(checkName('  ')).toBe('nameMissing');
    expect(checkName('Amy')).toBeNull();
    expect(checkPin('12a4', '12a4')).toBe('pinShape');
    expect(checkPin('1234', '1243')).toBe('pinMismatch');
    expect(checkPin('1234', '1234')).toBeNull();
  });

  it('writes an audit detail as its pairs, leaving out empty ones', () => {
    expect(detailText({ staffId: 's1', name: 'Amy', count: 3, note: null, ok: true })).toBe('staffId: s1 · name: Amy · count: 3 · ok: true');
  });
});

describe('who can unlock', () => {
  const info = (protector: 'passphrase' | 'os', extra: object = {}) => ({ protector, ...extra }) as unknown as AppInfo;
  it("says the owner when the keys are under the owner's passphrase, and follows the core when it says", () => {
    expect(unlockBy(info('passphrase'))).toBe('owner');
    expect(unlockBy(info('os'))).toBe('nobody');
    expect(unlockBy(info('os', { unlockBy: 'owner' }))).toBe('owner');
    expect(unlockBy(info('passphrase', { unlockBy: 'nobody' }))).toBe('nobody');
  });

  it('says it in both languages', async () => {
    await i18n.init(i18nOptions('en'));
    expect(i18n.t('staff:unlock.ownerOnly')).toContain('Only the owner can unlock this workstation');
    await i18n.changeLanguage('zh-CN');
    expect(i18n.t('staff:unlock.ownerOnly')).toContain('只有店主可以解锁');
    await i18n.changeLanguage('en');
  });
});
