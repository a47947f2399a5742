/** Scanners: status, ports and settings (see scanners/service.ts). */
import type { scannersCalls } from '../../../preload/api/scanners';
import type { Deps, HandlerMap } from './types';

export function scannersHandlers({ scanners }: Deps): HandlerMap<keyof typeof scannersCalls> {
  return {
    'scanners.status': () => scanners.status(),
    'scanners.listPorts': () => scanners.listPorts(),
    'scanners.configure': (patch) => scanners.configure(patch),
  };
}
