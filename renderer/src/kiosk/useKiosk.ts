/** Kiosk mode as the page knows it: the core's state, kept current by kiosk.changed, and the calls that change it. */
import { useCallback, useEffect, useState } from 'react';
import type { KioskState } from '../../../preload/contract';
import { useAdmin, withAdmin } from '../components/AdminGate';
import { useApp } from '../context';

/** True in the Electron app (its shell locks the window); false in a browser (the page does what a page can). */
export function inShell(): boolean {
  return typeof window.voucherdesk === 'object';
}

export interface KioskControls {
  /** null until the core has answered. */
  state: KioskState | null;
  /** The owner turns it on or off; resolves undefined when the approval was cancelled. */
  set(on: boolean): Promise<KioskState | undefined>;
  /** A manager (or the owner) lets the counter out: approval is asked every time, never taken from a token held. */
  leave(): Promise<KioskState | undefined>;
  /** Locks the counter again after a leave. */
  resume(): Promise<KioskState>;
}

export function useKiosk(): KioskControls {
  const { api } = useApp();
  const admin = useAdmin();
  const [state, setState] = useState<KioskState | null>(null);

  useEffect(() => {
    let live = true;
    api.call('kiosk.get', {}).then(
      (s) => live && setState(s),
      () => {},
    );
    const stop = api.on('kiosk.changed', setState);
    return () => {
      live = false;
      stop();
    };
  }, [api]);

  const set = useCallback(
    async (on: boolean) => {
      const s = await withAdmin(admin, (adminToken) => api.call('kiosk.set', { adminToken, on }));
      // Nobody at the counter keeps the owner's approval once it is locked.
      if (s) {
        admin.forget();
        setState(s);
      }
      return s;
    },
    [api, admin],
  );

  const leave = useCallback(async () => {
    admin.forget();
    const s = await withAdmin(admin, (adminToken) => api.call('kiosk.leave', { adminToken }));
    admin.forget();
    if (s) setState(s);
    return s;
  }, [api, admin]);

  const resume = useCallback(async () => {
    const s = await api.call('kiosk.resume', {});
    setState(s);
    return s;
  }, [api]);

  return { state, set, leave, resume };
}
