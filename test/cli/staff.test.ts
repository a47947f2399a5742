import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSPHRASE, tempDir, VECTOR_KEYS_FILE } from '../support/workstation';

const CLI = resolve(__dirname, '../../main/cli/index.ts');
let tmp: ReturnType<typeof tempDir>;
let dataDir: string;

function cli(args: string[], env: Record<string, string | undefined> = {}) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', CLI, ...args, '--data-dir', dataDir], {
    env: { ...process.env, VOUCHERDESK_PASSPHRASE: ADMIN_PASSPHRASE, VOUCHERDESK_STAFF_PIN: undefined, ...env },
    input: '',
    encoding: 'utf8',
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

beforeAll(() => {
  tmp = tempDir('vd-cli-staff-');
  dataDir = join(tmp.dir, 'ws');
});
afterAll(() => tmp.cleanup());

describe('staff on the command line', () => {
  it('adds a staff member with the PIN from the environment, lists them, and shows the audit log and its CSV', () => {
    expect(cli(['keys', 'import', VECTOR_KEYS_FILE]).code).toBe(0);
    const added = cli(['staff', 'add', 'Amy', 'Wu', '--role', 'cashier'], { VOUCHERDESK_STAFF_PIN: '2468' });
    expect(added.code, added.err).toBe(0);
    expect(added.out).toMatch(/^Added Amy Wu \(cashier\) as S\w+\.$/m);
    const list = JSON.parse(cli(['staff', 'list', '--json']).out) as { name: string; role: string; active: boolean }[];
    expect(list).toEqual([expect.objectContaining({ name: 'Amy Wu', role: 'cashier', active: true, hasBadge: false })]);
    const audit = cli(['audit']);
    expect(audit.code, audit.err).toBe(0);
    expect(audit.out).toMatch(/staff\s+owner \(owner\)\s+\{"change":"add"/);
    const csv = cli(['audit', '--csv']);
    expect(csv.out.split('\r\n')[0]).toBe('seq,at,action,actor,role,staffId,approver,detail');
    expect(audit.out + csv.out).not.toContain('2468');
  });

  it('says what is wrong: a missing PIN, a role that is none, no name', () => {
    expect(cli(['staff', 'add', 'Bo', '--role', 'manager']).err).toMatch(/VOUCHERDESK_STAFF_PIN/);
    expect(cli(['staff', 'add', 'Bo', '--role', 'boss'], { VOUCHERDESK_STAFF_PIN: '1234' })).toMatchObject({ code: 2, err: expect.stringMatching(/--role must be one of cashier, manager, owner/) });
    expect(cli(['staff', 'add', '--role', 'manager']).code).toBe(2);
  });
});
