/**
 * Online-first with the real server: a scan still opens the voucher exactly once
 * (the codec counted), whether the server stores the would-be event or answers
 * that another counter was first.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { RedeemResult } from '../../preload/contract';
import { createCore, type Core } from '../../main/core/services';
import { createLogger } from '../../main/core/log';
import { openVoucher } from '../../main/core/vouchers/codec';
import { ADMIN_PASSPHRASE, callOk, tempDir } from '../support/workstation';
import { makePlatform, startServer, type Platform, type ServerProc } from './support';

vi.mock('../../main/core/vouchers/codec', async (importOriginal) => {
  const codec = await importOriginal<typeof import('../../main/core/vouchers/codec')>();
  return { ...codec, openVoucher: vi.fn(codec.openVoucher) };
});
const opened = vi.mocked(openVoucher);

describe('online-first opens the voucher once', () => {
  const tmp = tempDir('vd-scan-once-');
  let p: Platform;
  let server: ServerProc | null = null;
  const cores: Core[] = [];

  async function station(name: string, bundle: string): Promise<Core> {
    const dir = join(tmp.dir, name);
    const core = await createCore({ dataDir: dir, protector: { mode: 'passphrase' }, logger: createLogger(dir) });
    cores.push(core);
    const { token } = await core.invoke('admin.setup', { passphrase: ADMIN_PASSPHRASE });
    await callOk(core, 'keystore.import', { adminToken: token, fileName: `${name}.jwe`, content: bundle, bundlePassphrase: 'bundle passphrase 1' });
    return core;
  }

  beforeAll(async () => {
    p = await makePlatform(tmp.dir, { vouchers: 2 });
    server = await startServer(p);
  }, 60_000);

  afterAll(async () => {
    for (const c of cores) c.close();
    await server?.kill();
    tmp.cleanup();
  });

  it('stored by the server: one opening, one question to the server, recorded as online', async () => {
    const a = await station('a', p.bundles.B01!);
    await a.sync.syncNow();
    const asked = vi.spyOn(a.sync, 'ask');
    opened.mockClear();
    const r = await callOk<RedeemResult>(a, 'voucher.redeem', { text: p.vouchers[0]!, unlessAsking: true });
    expect(r.verdict).toBe('VALID');
    expect(opened).toHaveBeenCalledTimes(1);
    expect(asked).toHaveBeenCalledTimes(1);
    expect(await asked.mock.results[0]!.value).toEqual({ status: 'stored' });
    expect(a.sync.status().waiting).toBe(0);
  }, 60_000);

  it('another counter was first: one opening, refused with where it was used', async () => {
    const [a, b] = [cores[0]!, await station('b', p.bundles.B02!)];
    await b.sync.syncNow();
    await callOk<RedeemResult>(a, 'voucher.redeem', { text: p.vouchers[1]!, unlessAsking: true });
    opened.mockClear();
    const r = await callOk<RedeemResult>(b, 'voucher.redeem', { text: p.vouchers[1]!, unlessAsking: true });
    expect(r).toMatchObject({ verdict: 'ALREADY_REDEEMED', detail: { reason: 'usedElsewhere' }, last: { branch: 'B01' } });
    expect(opened).toHaveBeenCalledTimes(1);
  }, 60_000);
});
