/** Kiosk mode (the owner's to turn on, a manager's to leave) and the About/Help facts. */
import { resolve } from 'node:path';
import type { kioskCalls } from '../../../preload/api/kiosk';
import { Kiosk } from '../kiosk';
import { logDir } from '../log';
import { VERSION } from '../version';
import type { Deps, HandlerMap } from './types';

/** Where this workstation keeps its data: the core knows it, the page only shows it. */
export interface DataPlaces {
  dataDir: string;
  databaseFile: string;
}

export function kioskHandlers({ settings, admin, audit, keystore, ctx, emit }: Deps, places: DataPlaces): HandlerMap<keyof typeof kioskCalls> {
  const kiosk = new Kiosk(settings, audit, (state) => emit('kiosk.changed', state));
  return {
    'kiosk.get': () => kiosk.state(),
    'kiosk.set': ({ adminToken, on }) => kiosk.set(on, admin.require(adminToken, 'owner')),
    'kiosk.leave': ({ adminToken }) => kiosk.leave(admin.require(adminToken, 'manager')),
    'kiosk.resume': () => kiosk.resume(),
    'app.about': () => ({
      version: VERSION,
      device: ctx.device(),
      merchant: keystore.merchant(),
      branch: keystore.branch(),
      dataDir: resolve(places.dataDir),
      logDir: resolve(logDir(places.dataDir)),
      databaseFile: resolve(places.databaseFile),
    }),
  };
}
