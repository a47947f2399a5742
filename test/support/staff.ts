/** A shop with staff for the staff tests: a workstation on a clock the test moves, with a merchant bundle that can sign badges. */
import { createCore, type Core } from '../../main/core/services';
import { silentLogger } from '../../main/core/log';
import type { StaffMember, StaffState } from '../../preload/contract';
import { makeTestIssuer, type TestIssuer } from './issuer';
import { ADMIN_PASSPHRASE, callOk, tempDir } from './workstation';

export interface Shop {
  core: Core;
  /** The owner's token from the admin passphrase. */
  token: string;
  issuer: TestIssuer;
  /** The core's clock for the staff session and tokens; move it with `advance`. */
  now(): number;
  advance(ms: number): void;
  /** staff.changed events heard, in order. */
  changes: StaffState[];
  add(name: string, role: StaffMember['role'], pin: string): Promise<StaffMember>;
  /** A fresh owner token (the passphrase), e.g. after the clock moved past the first one's time. */
  login(): Promise<string>;
  cleanup(): void;
}

let issuer: Promise<TestIssuer> | null = null;

export async function newShop(): Promise<Shop> {
  const iss = await (issuer ??= makeTestIssuer());
  const { dir, cleanup } = tempDir();
  let t = Date.now();
  const changes: StaffState[] = [];
  const core = await createCore({
    dataDir: dir,
    protector: { mode: 'passphrase' },
    device: 'TEST-POS',
    logger: silentLogger,
    passphrase: ADMIN_PASSPHRASE,
    clock: () => t,
    emit: (name, payload) => {
      if (name === 'staff.changed') changes.push(payload as StaffState);
    },
  });
  const { token } = await core.invoke('admin.setup', { passphrase: ADMIN_PASSPHRASE });
  await callOk(core, 'keystore.import', { adminToken: token, fileName: 'bundle.json', content: iss.bundleJson });
  const shop: Shop = {
    core,
    token,
    issuer: iss,
    now: () => t,
    advance: (ms) => {
      t += ms;
    },
    changes,
    add: (name, role, pin) => callOk<StaffMember>(core, 'staff.add', { adminToken: shop.token, name, role, pin }),
    login: async () => (shop.token = (await core.invoke('admin.login', { passphrase: ADMIN_PASSPHRASE })).token),
    cleanup: () => {
      core.close();
      cleanup();
    },
  };
  return shop;
}
