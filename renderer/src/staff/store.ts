/**
 * Who is signed in at the counter, as the core last said (`staff.state`, then
 * every `staff.changed`: a sign-in, a sign-out, the idle sign-out, the staff
 * list changing). One store for the app: the top bar, the sign-in panel and
 * the admin gate read it.
 */
import { useEffect, useSyncExternalStore } from 'react';
import type { StaffState, VoucherDeskApi } from '../../../preload/contract';

/** Until the core answers (or when it has no staff yet): the counter as before, no sign-in. */
export const NO_STAFF: StaffState = { enabled: false, current: null, idleMinutes: 0 };

let state: StaffState = NO_STAFF;
const listeners = new Set<() => void>();

export function setStaffState(next: StaffState): void {
  state = next;
  for (const fn of listeners) fn();
}

export function staffState(): StaffState {
  return state;
}

function subscribe(fn: () => void): () => void {
  listeners.add(fn);
  return () => void listeners.delete(fn);
}

export function useStaffState(): StaffState {
  return useSyncExternalStore(subscribe, () => state);
}

/** Calls `fn` whenever the person signed in changes (someone else, or nobody). */
export function onPersonChange(fn: () => void): () => void {
  let who = personKey(state);
  return subscribe(() => {
    const now = personKey(state);
    if (now !== who) {
      who = now;
      fn();
    }
  });
}

function personKey(s: StaffState): string {
  return s.current ? `${s.current.id ?? ''}:${s.current.name}:${s.current.since}` : '';
}

/** The sign-in panel is due: staff exist and nobody is signed in. */
export function signInNeeded(s: StaffState): boolean {
  return s.enabled && !s.current;
}

/** Mounted once in the app: asks the core once, then follows `staff.changed`. */
export function useStaffWatch(api: VoucherDeskApi): void {
  useEffect(() => {
    let live = true;
    const off = api.on('staff.changed', (s) => setStaffState(s));
    api.call('staff.state', {}).then(
      (s) => live && setStaffState(s),
      () => undefined, // a core without staff accounts: the counter as before
    );
    return () => {
      live = false;
      off();
    };
  }, [api]);
}
