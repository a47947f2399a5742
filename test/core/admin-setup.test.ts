/** A first admin passphrase that is too short is refused with words for it (page and CLI alike), and nothing is set up. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../main/core/services';
import { openWorkstation, tempDir } from '../support/workstation';

let tmp: ReturnType<typeof tempDir>;
let core: Core;
beforeAll(async () => {
  tmp = tempDir();
  core = await openWorkstation(tmp.dir);
});
afterAll(() => {
  core.close();
  tmp.cleanup();
});

describe('admin.setup', () => {
  it('a 7-character passphrase: admin.passphraseTooShort with the minimum, and still not configured', async () => {
    const r = await core.call('admin.setup', { passphrase: 'short12' });
    expect(r).toMatchObject({ ok: false, error: { code: 'admin.passphraseTooShort', params: { min: 8 } } });
    expect(await core.call('admin.setup', { passphrase: 'long enough' })).toMatchObject({ ok: true });
  });
});
