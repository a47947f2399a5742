/** The sync status, kept current from the core's `sync.status` events (and a slow poll for the clock words). */
import { useEffect, useState } from 'react';
import type { SyncStatus, VoucherDeskApi } from '../../../preload/contract';

export function useSyncStatus(api: VoucherDeskApi): SyncStatus | null {
  const [status, setStatus] = useState<SyncStatus | null>(null);
  useEffect(() => {
    let alive = true;
    const load = () =>
      api.call('sync.status', {}).then(
        (s) => alive && setStatus(s),
        () => {},
      );
    void load();
    const off = api.on('sync.status', (s) => alive && setStatus(s));
    const offLedger = api.on('ledger.changed', () => void load());
    const timer = setInterval(() => void load(), 15_000);
    return () => {
      alive = false;
      off();
      offLedger();
      clearInterval(timer);
    };
  }, [api]);
  return status;
}
