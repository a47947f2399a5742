import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '../../../main/core/log';
import { createCore, type Core } from '../../../main/core/services';
import { readFileSync } from 'node:fs';
import { FIXTURES } from './fixtures';

export const FUZZ_ADMIN_PASSPHRASE = 'fuzz admin passphrase';

/** A throwaway workstation in a temp folder with the GBV1 vector keys imported, for the parsers that need one. */
export async function throwawayWorkstation(): Promise<{ core: Core; close(): void }> {
  const dir = mkdtempSync(join(tmpdir(), 'vd-fuzz-'));
  const core = await createCore({ dataDir: dir, protector: { mode: 'passphrase' }, device: 'FUZZ-POS', logger: createLogger(dir) });
  await core.keystore.setupAdmin(FUZZ_ADMIN_PASSPHRASE);
  const r = await core.call('keystore.import', {
    adminToken: core.admin.issue().token,
    fileName: 'keys.json',
    content: readFileSync(join(FIXTURES, 'vectors', 'keys.json'), 'utf8'),
  });
  if (!r.ok) throw new Error(`fuzz workstation: key import failed: ${r.error.code}`);
  return {
    core,
    close() {
      core.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
