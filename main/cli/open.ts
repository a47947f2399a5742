/** Opening the workstation from the command line, and the admin passphrase it may need. */
import { isUserError, UserError } from '../core/errors';
import { createCore, type Core } from '../core/services';
import { askSecret } from './prompt';

let given: string | null = null;

/** Asked once per run: opening an encrypted workstation and an admin login take the same passphrase. */
export async function passphrase(): Promise<string | null> {
  given ??= process.env.VOUCHERDESK_PASSPHRASE || (await askSecret('Admin passphrase: '));
  return given;
}

/**
 * Opens the workstation; where its database key is sealed with the admin
 * passphrase (no OS keychain here), the passphrase opens it.
 */
export async function openCore(dataDir: string): Promise<Core> {
  try {
    return await createCore({ dataDir, protector: { mode: 'passphrase' } });
  } catch (e) {
    if (!isUserError(e) || e.code !== 'keystore.locked') throw e;
  }
  const p = await passphrase();
  if (!p) throw new UserError('keystore.locked', 'This workstation is encrypted: set VOUCHERDESK_PASSPHRASE or run it in a terminal.');
  return createCore({ dataDir, protector: { mode: 'passphrase' }, passphrase: p });
}
