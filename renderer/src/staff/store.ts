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
/** The owner has given the passphrase (the admin gate holds their token): the counter is theirs without a staff sign-in. */
let owner = false;
const listeners = new Set<() => void>();

function changed(): void {
  for (const fn of listeners) fn();
}

export function setStaffState(next: StaffState): void {
  state = next;
  changed();
}

/** Set by the admin gate when it takes or drops the owner's passphrase token. */
export function setOwnerAtWork(on: boolean): void {
  if (owner === on) return;
  owner = on;
  changed();
}

export function useOwnerAtWork(): boolean {
  return useSyncExternalStore(subscribe, () => owner);
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

/** The sign-in panel is due: staff exist and nobody is signed in (nor the owner with the passphrase). */
export function signInNeeded(s: StaffState, ownerAtWork = false): boolean {
  return s.enabled && !s.current && !ownerAtWork;
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
