import { describe, expect, it } from 'vitest';
import { AdminSessions } from '../../main/core/admin';
import { OWNER } from '../../main/core/staff/roles';

describe('tokens carry a person and their role', () => {
  it('answers who a token is for, and refuses one below the role a call needs, naming the role', () => {
    const admin = new AdminSessions();
    const manager = { name: 'Bo', role: 'manager' as const, staffId: 'S2' };
    const { token } = admin.issue(manager);
    expect(admin.require(token, 'manager')).toEqual(manager);
    expect(admin.require(token, 'cashier')).toEqual(manager);
    expect(() => admin.require(token, 'owner')).toThrow(expect.objectContaining({ code: 'staff.roleRequired', params: { role: 'owner' } }));
    expect(admin.require(admin.issue().token)).toEqual(OWNER);
    expect(() => admin.require(undefined, 'cashier')).toThrow(expect.objectContaining({ code: 'admin.required' }));
  });

  it('forgets every token when cleared, and a token past its time', () => {
    let now = 0;
    const admin = new AdminSessions(1000, () => now);
    const a = admin.issue().token;
    now = 1000;
    expect(() => admin.require(a)).toThrow(expect.objectContaining({ code: 'admin.required' }));
    now = 0;
    const b = admin.issue().token;
    admin.clear();
    expect(() => admin.require(b)).toThrow(expect.objectContaining({ code: 'admin.required' }));
  });
});
