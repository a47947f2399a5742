import type { EventFields } from '../sync/wire';

/**
 * Online-first redemption (docs/spec/sync-protocol.md): asks the server before recording.
 * Implemented by the sync client; absent or not ready means "decide offline".
 */
export interface OnlineFirst {
  /** True when the server answered within the last minute and sync is configured. */
  ready(): boolean;
  /**
   * Posts the would-be event; null when there was no usable answer (timeout, network, error).
   * The event is noted durably first: should the process die before `settled`, the next
   * start withdraws it from the server (it may have stored it) unless the ledger has it.
   */
  ask(event: EventFields): Promise<OnlineAnswer | null>;
  /** The counter recorded, refused or withdrew the asked event: forget the note. */
  settled(eventId: string): void;
  /** The server stored the event as a conflict: it is refused here; record that honestly. */
  refusedAfterConflict(event: EventFields, first: OnlineFirstRef): void;
  /** The server stored the event but the counter refused it after all: tell the server. */
  withdraw(event: EventFields, why: string): void;
  /**
   * The counter refused for want of the server (strict stock, nothing held
   * here): find out now, not when the sync's backoff ends, whether it is back,
   * so that the next scan is asked online (at most one try every few seconds).
   */
  probe(): void;
}
export interface OnlineFirstRef {
  id: string;
  branch: string | null;
  device: string | null;
  at: string;
}
export type OnlineAnswer =
  | { status: 'stored' | 'duplicate' }
  | { status: 'conflict'; first: OnlineFirstRef }
  | { status: 'rejected'; reason: string };
