import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createCore } from '../../main/core/services';
import { silentLogger } from '../../main/core/log';
import { tempDir } from '../support/workstation';

describe('npm run demo', () => {
  it('sets up a demo workstation and a sheet where every voucher gets the verdict it is labelled with', async () => {
    const t = tempDir('vd-demo-');
    try {
      const r = spawnSync(process.execPath, ['--import', 'tsx', resolve(__dirname, '../../scripts/demo.ts'), '--dir', t.dir, '--no-start'], { encoding: 'utf8' });
      expect(r.status, r.stderr).toBe(0);
      expect(r.stdout).toContain('Admin passphrase:  demo-admin-1234');
      expect(existsSync(join(t.dir, 'sheet', 'sheet.html'))).toBe(true);
      const vouchers = JSON.parse(readFileSync(join(t.dir, 'vouchers.json'), 'utf8')) as { label: string; text: string; expect: string; pin?: string; format?: string }[];
      // Both formats on the sheet: GBV2 for every kind, and a few GBV1 labelled as such.
      for (const v of vouchers.filter((x) => x.format)) expect(v.text.startsWith(`${v.format!.toUpperCase()}:`), v.label).toBe(true);
      expect(vouchers.filter((v) => v.format === 'gbv2').length).toBeGreaterThan(vouchers.filter((v) => v.format === 'gbv1').length);
      for (const v of vouchers.filter((x) => x.format === 'gbv1')) expect(v.label).toMatch(/^GBV1 · /);
      expect(new Set(vouchers.map((v) => v.expect))).toEqual(new Set(['VALID', 'ALREADY_REDEEMED', 'EXPIRED', 'NOT_YET_VALID', 'WRONG_MERCHANT', 'MALFORMED']));
      const sheet = readFileSync(join(t.dir, 'sheet', 'sheet.html'), 'utf8');
      for (const v of vouchers) expect(sheet).toContain(v.label.replace(/&/g, '&amp;'));

      const core = await createCore({ dataDir: join(t.dir, 'workstation'), protector: { mode: 'passphrase' }, logger: silentLogger, passphrase: 'demo-admin-1234' });
      try {
        expect((await core.invoke('keystore.view', {})).state).toBe('locked');
        await core.invoke('keystore.unlock', { passphrase: 'demo-admin-1234' });
        for (const v of vouchers) {
          const got = await core.invoke('voucher.verify', { text: v.text, pin: v.pin });
          expect(got.verdict, v.label).toBe(v.expect);
        }
      } finally {
        core.close();
      }
    } finally {
      t.cleanup();
    }
  });
});
