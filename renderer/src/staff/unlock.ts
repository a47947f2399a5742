/**
 * Who can unlock this workstation's keys. The core may say so (`unlockBy` in
 * app.info); an older core does not, and then the protector tells: keys under
 * the owner's passphrase (no OS keychain: the browser host, the CLI) open only
 * with it.
 */
import type { AppInfo } from '../../../preload/contract';

export type UnlockBy = 'owner' | 'nobody';

export function unlockBy(info: AppInfo): UnlockBy {
  const said = (info as AppInfo & { unlockBy?: unknown }).unlockBy;
  if (said === 'owner' || said === 'nobody') return said;
  return info.protector === 'passphrase' ? 'owner' : 'nobody';
}
