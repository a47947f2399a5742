import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSPHRASE, tempDir, VECTOR_KEYS_FILE } from '../support/workstation';

// The CRM commands of the command line, as separate processes on one data folder.
const CLI = resolve(__dirname, '../../main/cli/index.ts');
let tmp: ReturnType<typeof tempDir>;
let d: string[];

function cli(args: string[], env: Record<string, string | undefined> = {}) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', CLI, ...args, ...d], {
    env: { ...process.env, VOUCHERDESK_PASSPHRASE: ADMIN_PASSPHRASE, ...env },
    input: '',
    encoding: 'utf8',
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

beforeAll(() => {
  tmp = tempDir('vd-crm-cli-');
  d = ['--data-dir', join(tmp.dir, 'ws')];
  expect(cli(['keys', 'import', VECTOR_KEYS_FILE]).code).toBe(0);
}, 60_000);
afterAll(() => tmp.cleanup());

describe('members on the command line', () => {
  it('adds, refuses a duplicate phone, finds by Chinese characters and partial phone, shows by phone, links a friend', () => {
    const a = cli(['members', 'add', '王小明', '--phone', '13912345678', '--tags', 'vip', '--json']);
    expect(a.code).toBe(0);
    const id = (JSON.parse(a.out) as { id: string }).id;
    const dup = cli(['members', 'add', 'Someone', '--phone', '+86 139-1234-5678']);
    expect(dup.code).toBe(1);
    expect(dup.err).toContain('already here');
    expect(cli(['members', 'find', '小明']).out).toContain(id);
    expect(cli(['members', 'find', '2345678']).out).toContain(id);
    const link = cli(['relationships', 'add', id, '--name', 'Bob', '--phone', '13900000002', '--kind', 'friend']);
    expect(link.code).toBe(0);
    const show = cli(['members', 'show', '139 1234 5678']);
    expect(show.out).toContain('王小明');
    expect(show.out).toMatch(/friend\s+Bob 13900000002/);
    expect(cli(['referrals', 'status', id]).out).toMatch(/Not yet eligible/);
    expect(cli(['members', 'nonsense']).code).toBe(2);
  }, 60_000);

  it('imports only with --yes, lists bad rows, exports with a personal-data warning, erases on request', () => {
    const file = join(tmp.dir, 'm.csv');
    writeFileSync(file, 'name,phone\nZhao,13800000001\n,13800000002\nBad,12\n');
    const pv = cli(['members', 'import', file]);
    expect(pv.code).toBe(1);
    expect(pv.err).toContain('Line 3: the name is missing.');
    expect(pv.err).toContain('Line 4: "12" is not a phone number.');
    expect(pv.err).toContain('Nothing was written');
    expect(cli(['members', 'find', 'Zhao']).out).toContain('No one found');
    expect(cli(['members', 'import', file, '--yes']).out).toContain('1 added');
    const ex = cli(['members', 'export']);
    expect(ex.err).toContain('personal data');
    expect(ex.out).toContain('Zhao,13800000001');
    const zhao = ex.out.split('\n').find((l) => l.includes('Zhao'))!.split(',')[0]!;
    expect(cli(['members', 'delete', zhao], { VOUCHERDESK_PASSPHRASE: 'wrong passphrase' }).code).toBe(1);
    expect(cli(['members', 'delete', zhao]).code).toBe(0);
    expect(cli(['members', 'export']).out).not.toContain('Zhao');
  }, 60_000);

  it('merges a duplicate into the member kept (admin passphrase)', () => {
    const keep = (JSON.parse(cli(['members', 'add', 'Qian', '--phone', '13600000006', '--json']).out) as { id: string }).id;
    const twin = (JSON.parse(cli(['members', 'add', 'Qian Dup', '--phone', '136 0000 0006', '--allow-duplicate', '--json']).out) as { id: string }).id;
    const both = cli(['members', 'show', '13600000006']);
    expect(both.code).toBe(1);
    expect(both.err).toContain(keep);
    expect(both.err).toContain(twin);
    expect(cli(['members', 'merge', keep]).code).toBe(2);
    expect(cli(['members', 'merge', keep, twin], { VOUCHERDESK_PASSPHRASE: 'wrong passphrase' }).code).toBe(1);
    const m = cli(['members', 'merge', keep, twin]);
    expect(m.code).toBe(0);
    expect(m.out).toContain('Merged');
    const found = cli(['members', 'find', 'Qian']).out;
    expect(found).toContain(keep);
    expect(found).not.toContain(twin);
    expect(cli(['members', 'show', '13600000006']).out).toContain('Qian');
  }, 60_000);
});
