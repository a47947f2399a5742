/**
 * Kiosk mode in the core (issue 13, part 7): the owner turns it on or off, a
 * manager (or the owner) lets the counter out, a cashier cannot; every change is
 * in the audit log with who did it; a restart locks again; the shell and the
 * page hear `kiosk.changed`. And app.about answers where the data lives.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { AboutInfo, KioskState } from '../../preload/contract';
import { createCore, type Core } from '../../main/core/services';
import { createLogger } from '../../main/core/log';
import { ADMIN_PASSPHRASE, callErr, callOk, newWorkstation, openWorkstation } from '../support/workstation';

const MANAGER = { name: 'Mia', role: 'manager', staffId: 'staff-mia' } as const;
const CASHIER = { name: 'Carl', role: 'cashier', staffId: 'staff-carl' } as const;

let ws: Awaited<ReturnType<typeof newWorkstation>> | null = null;
afterEach(() => {
  ws?.cleanup();
  ws = null;
});

const kioskLines = (core: Core) =>
  core.audit
    .list()
    .filter((e) => e.action === 'kiosk')
    .map((e) => ({ actor: e.actor, role: e.role, change: e.detail.change }))
    .reverse();

describe('kiosk mode', () => {
  it('is off on a new workstation', async () => {
    ws = await newWorkstation({ keysFile: null });
    expect(await callOk<KioskState>(ws.core, 'kiosk.get', {})).toEqual({ enabled: false, locked: false });
  });

  it('only the owner turns it on or off; a manager or a cashier is refused, with the role named', async () => {
    ws = await newWorkstation({ keysFile: null });
    const { core } = ws;
    expect((await callErr(core, 'kiosk.set', { on: true })).code).toBe('admin.required');
    const manager = core.admin.issue(MANAGER).token;
    const refused = await callErr(core, 'kiosk.set', { adminToken: manager, on: true });
    expect(refused.code).toBe('staff.roleRequired');
    expect((refused as { params?: unknown }).params).toEqual({ role: 'owner' });
    expect(await callOk<KioskState>(core, 'kiosk.get', {})).toEqual({ enabled: false, locked: false });
    expect(kioskLines(core)).toEqual([]);

    expect(await callOk<KioskState>(core, 'kiosk.set', { adminToken: ws.token, on: true })).toEqual({ enabled: true, locked: true });
    expect(await callOk<KioskState>(core, 'kiosk.set', { adminToken: ws.token, on: false })).toEqual({ enabled: false, locked: false });
    expect(kioskLines(core)).toEqual([
      { actor: 'owner', role: 'owner', change: 'on' },
      { actor: 'owner', role: 'owner', change: 'off' },
    ]);
  });

  it('leaving needs a manager: a cashier and no token are refused; the manager is recorded by name', async () => {
    ws = await newWorkstation({ keysFile: null });
    const { core } = ws;
    await callOk(core, 'kiosk.set', { adminToken: ws.token, on: true });

    expect((await callErr(core, 'kiosk.leave', {})).code).toBe('admin.required');
    const cashier = core.admin.issue(CASHIER).token;
    const refused = await callErr(core, 'kiosk.leave', { adminToken: cashier });
    expect(refused.code).toBe('staff.roleRequired');
    expect((refused as { params?: unknown }).params).toEqual({ role: 'manager' });
    expect(await callOk<KioskState>(core, 'kiosk.get', {})).toEqual({ enabled: true, locked: true });

    const manager = core.admin.issue(MANAGER).token;
    expect(await callOk<KioskState>(core, 'kiosk.leave', { adminToken: manager })).toEqual({ enabled: true, locked: false });
    // Leaving again changes nothing and records nothing.
    expect(await callOk<KioskState>(core, 'kiosk.leave', { adminToken: manager })).toEqual({ enabled: true, locked: false });
    expect(kioskLines(core)).toEqual([
      { actor: 'owner', role: 'owner', change: 'on' },
      { actor: 'Mia', role: 'manager', change: 'leave' },
    ]);
    const line = core.audit.list()[0]!;
    expect(line.staffId).toBe('staff-mia');

    // Anyone may lock the counter again.
    expect(await callOk<KioskState>(core, 'kiosk.resume', {})).toEqual({ enabled: true, locked: true });
  });

  it('the owner may leave too; leaving when kiosk mode is off records nothing', async () => {
    ws = await newWorkstation({ keysFile: null });
    const { core } = ws;
    expect(await callOk<KioskState>(core, 'kiosk.leave', { adminToken: ws.token })).toEqual({ enabled: false, locked: false });
    expect(kioskLines(core)).toEqual([]);
    await callOk(core, 'kiosk.set', { adminToken: ws.token, on: true });
    expect(await callOk<KioskState>(core, 'kiosk.leave', { adminToken: ws.token })).toEqual({ enabled: true, locked: false });
    expect(kioskLines(core).map((l) => l.change)).toEqual(['on', 'leave']);
  });

  it('announces every change as kiosk.changed', async () => {
    ws = await newWorkstation({ keysFile: null });
    const dir = join(ws.dir, 'second');
    const heard: KioskState[] = [];
    const core = await createCore({
      dataDir: dir,
      protector: { mode: 'passphrase' },
      device: 'TEST-POS',
      logger: createLogger(dir),
      emit: (name, payload) => {
        if (name === 'kiosk.changed') heard.push(payload as KioskState);
      },
    });
    try {
      const { token } = await core.invoke('admin.setup', { passphrase: ADMIN_PASSPHRASE });
      await core.invoke('kiosk.set', { adminToken: token, on: true });
      await core.invoke('kiosk.leave', { adminToken: core.admin.issue(MANAGER).token });
      await core.invoke('kiosk.resume', {});
      await core.invoke('kiosk.resume', {}); // already locked: nothing to say
      expect(heard).toEqual([
        { enabled: true, locked: true },
        { enabled: true, locked: false },
        { enabled: true, locked: true },
      ]);
    } finally {
      core.close();
    }
  });

  it('a restart locks again after a leave (the setting stays on)', async () => {
    ws = await newWorkstation({ keysFile: null });
    const { core, dir, token } = ws;
    await callOk(core, 'kiosk.set', { adminToken: token, on: true });
    await callOk(core, 'kiosk.leave', { adminToken: core.admin.issue(MANAGER).token });
    core.close();
    const again = await openWorkstation(dir);
    try {
      expect(await callOk<KioskState>(again, 'kiosk.get', {})).toEqual({ enabled: true, locked: true });
    } finally {
      again.close();
    }
  });
});

describe('app.about', () => {
  it('says the version, the device and where the data, the logs and the database are', async () => {
    ws = await newWorkstation();
    const about = await callOk<AboutInfo>(ws.core, 'app.about', {});
    const info = await callOk<{ version: string; device: string; merchant: unknown }>(ws.core, 'app.info', {});
    expect(about.version).toBe(info.version);
    expect(about.device).toBe(info.device);
    expect(about.merchant).toEqual(info.merchant);
    expect(about.dataDir).toBe(ws.dir);
    expect(about.logDir).toBe(join(ws.dir, 'logs'));
    expect(about.databaseFile).toBe(join(ws.dir, 'voucherdesk.db'));
    expect(existsSync(join(about.logDir, 'core.log'))).toBe(true);
    expect(existsSync(about.databaseFile)).toBe(true);
  });
});
