import { homedir } from 'node:os';
import { join } from 'node:path';

/** The per-user data folder, the same one Electron's app.getPath('userData') gives for VoucherDesk. */
export function defaultDataDir(): string {
  if (process.platform === 'win32') return join(process.env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'VoucherDesk');
  if (process.platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'VoucherDesk');
  return join(process.env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), 'VoucherDesk');
}
