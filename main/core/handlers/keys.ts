/** The key store. */
import type { keysCalls } from '../../../preload/api/keys';
import type { Deps, HandlerMap } from './types';

export function keysHandlers({ admin, keystore, log, keystoreChanged }: Deps): HandlerMap<keyof typeof keysCalls> {
  return {
    'keystore.view': () => keystore.view(),
    'keystore.unlock': async ({ passphrase }) => {
      await keystore.unlock(passphrase);
      keystoreChanged();
      return keystore.view();
    },
    'keystore.lock': () => {
      keystore.lock();
      keystoreChanged();
      return keystore.view();
    },
    'keystore.import': async ({ adminToken, ...req }) => {
      admin.require(adminToken, 'owner');
      const result = await keystore.import({ ...req, now: Date.now() });
      log.info('keys imported', { added: result.added.length, warnings: result.warnings.join(',') });
      keystoreChanged();
      return result;
    },
    'keystore.remove': ({ adminToken, kid }) => {
      admin.require(adminToken, 'owner');
      keystore.remove(kid);
      log.info('key removed');
      keystoreChanged();
      return keystore.view();
    },
  };
}
