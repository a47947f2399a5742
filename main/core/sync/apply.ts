/**
 * Applying a page of changes (docs/spec/sync-protocol.md "GET /v1/changes"):
 * one applier per kind of change, each handing it to its owner: events to
 * the ledger, conflicts to the outbox and the Conflicts list, revocations and
 * campaigns to the catalog, issuer keys to the key store. A change that
 * cannot be read, or of a kind not known here, is skipped.
 */
import {
  campaignChange,
  change as anyChange,
  conflictChange,
  eventChange,
  issuerKeyChange,
  parseEvent,
  revocationChange,
  type Event,
  wireCampaignMode,
} from '../../../common/protocol/sync';
import type { Catalog } from '../catalog/catalog';
import { campaignRow } from '../catalog/catalog';
import { merchantIssuer, type KeyStore } from '../keystore/keystore';
import { SyncedIssuerKeys, type AnnouncedKey } from '../keystore/synced';
import type { Ledger, RemoteEvent } from '../ledger/ledger';
import type { Logger } from '../log';
import type { Settings } from '../settings';
import type { Db } from '../db/open';
import type { Conflicts } from './conflicts';
import type { Outbox } from './outbox';

export interface ApplyDeps {
  db: Db;
  ledger: Ledger;
  catalog: Catalog;
  keystore: KeyStore;
  settings: Settings;
  outbox: Outbox;
  conflicts: Conflicts;
  log: Logger;
  /** Where announced keys came from, for the Keys screen (the authenticated channel and its server). */
  keySource: () => string;
}

/** A page is applied in short transactions with a pause between them. */
const CHUNK = 250;

/** An event from another workstation as the ledger takes it. */
export function remoteEvent(e: Event): RemoteEvent {
  const r = e as Event & Partial<Record<'iss' | 'jti' | 'units' | 'amount' | 'cur' | 'cashier' | 'member' | 'offline' | 'cmp' | 'allot', unknown>>;
  const text = (v: unknown) => (typeof v === 'string' ? v : null);
  const count = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : null);
  return {
    id: e.id,
    type: e.type,
    iss: text(r.iss),
    jti: text(r.jti),
    mid: e.mid ?? null,
    branch: e.branch ?? null,
    device: e.device ?? null,
    cashier: text(r.cashier),
    at: Date.parse(e.at),
    units: count(r.units),
    amount: count(r.amount),
    cur: text(r.cur),
    reverses: e.type === 'reversal' ? e.reverses : null,
    reason: e.type === 'reversal' ? (e.reason ?? null) : null,
    by: e.type === 'reversal' ? (e.by ?? null) : null,
    member: text(r.member),
    offline: r.offline !== false,
    cmp: text(r.cmp),
    allot: count(r.allot),
  };
}

export class ChangeAppliers {
  private readonly keys: SyncedIssuerKeys;

  constructor(private readonly d: ApplyDeps) {
    this.keys = new SyncedIssuerKeys(d.db, d.log);
  }

  /**
   * Stores one page of changes and moves the cursor with the last chunk.
   * Applying a page twice changes nothing the second time (events by id,
   * conflicts by event id, revocations and campaigns are upserts, keys by
   * kid), so a page cut off half way is simply downloaded and applied again;
   * between chunks a scan gets its turn.
   */
  async applyPage(changes: unknown[], cursor: string): Promise<void> {
    // Keys are read and fingerprinted before the transaction (that is async).
    const keys = new Map<number, AnnouncedKey>();
    for (let i = 0; i < changes.length; i++) {
      const k = issuerKeyChange.safeParse(changes[i]);
      if (!k.success) continue;
      const read = await this.keys.read(k.data.key);
      if (read) keys.set(i, read);
    }
    const now = Date.now();
    let keysChanged = false;
    for (let from = 0; from < changes.length || from === 0; from += CHUNK) {
      const to = Math.min(changes.length, from + CHUNK);
      const last = to >= changes.length;
      this.d.ledger.exclusive(() => {
        for (let i = from; i < to; i++) keysChanged = this.applyOne(changes[i], now, keys.get(i)) || keysChanged;
        if (last) this.d.settings.set('sync.cursor', cursor);
      });
      if (last) break;
      await new Promise((r) => setImmediate(r));
    }
    if (keysChanged) this.d.keystore.reloadPublic();
  }

  /** Applies one change; true when the trusted keys changed. */
  private applyOne(raw: unknown, now: number, key: AnnouncedKey | undefined): boolean {
    const c = anyChange.safeParse(raw);
    if (!c.success) return false;
    switch (c.data.type) {
      case 'redemption':
      case 'reversal':
        this.event(raw);
        return false;
      case 'conflict':
        this.conflict(raw, now);
        return false;
      case 'revocation':
        this.revocation(raw, now);
        return false;
      case 'campaign':
        this.campaign(raw, now);
        return false;
      case 'issuer-key':
        return this.issuerKey(raw, now, key);
      default:
        return false;
    }
  }

  /** A redemption or reversal from another device of the merchant → the ledger. */
  private event(raw: unknown): void {
    const c = eventChange.safeParse(raw);
    const e = c.success ? parseEvent(c.data.event) : null;
    if (!e?.ok) {
      this.d.log.info('sync: event ignored', { reason: 'invalid' });
      return;
    }
    this.d.ledger.appendRemote(remoteEvent(e.ev));
  }

  /** One of ours (or one we know) lost a conflict → the outbox and the Conflicts list. */
  private conflict(raw: unknown, now: number): void {
    const c = conflictChange.safeParse(raw);
    if (!c.success) return;
    const id = typeof c.data.event === 'string' ? c.data.event : c.data.event.id;
    this.d.outbox.markConflict(id, c.data.first, now);
    // The first event is kept as the server told it.
    this.d.conflicts.record(id, (raw as { first: object }).first, 'server', now, c.data);
  }

  /** A revoked voucher → the catalog. */
  private revocation(raw: unknown, now: number): void {
    const c = revocationChange.safeParse(raw);
    if (!c.success) return;
    const at = c.data.at ? Date.parse(c.data.at) : NaN;
    this.d.catalog.addRevocations([{ iss: c.data.iss, jti: c.data.jti, reason: c.data.reason ?? '', at: Number.isNaN(at) ? now : at }], 'sync');
  }

  /** A campaign's rules → the catalog. */
  private campaign(raw: unknown, now: number): void {
    const c = campaignChange.safeParse(raw);
    if (!c.success) return;
    // The platform sends null for "not set"; the campaign rules read absent fields.
    // A mode this workstation does not know is left out (the campaign's mode stays as it is).
    const fields = Object.fromEntries(Object.entries(c.data).filter(([k, v]) => v !== null && (k !== 'mode' || wireCampaignMode.safeParse(v).success)));
    const parsed = campaignRow.safeParse({ ...fields, name: c.data.name ?? c.data.id });
    if (!parsed.success) {
      this.d.log.info('sync: campaign ignored', { reason: 'invalid' });
      return;
    }
    try {
      // `mode` (protocol 2) is the platform's default: an owner's choice on this workstation stays.
      this.d.catalog.setCampaign(parsed.data, 'sync', now, 'platform');
    } catch {
      this.d.log.info('sync: campaign ignored', { reason: 'range' });
    }
  }

  /** An issuer key announced, rotated or retired → the key store. */
  private issuerKey(raw: unknown, now: number, key: AnnouncedKey | undefined): boolean {
    const c = issuerKeyChange.safeParse(raw);
    if (!c.success || !key) return false;
    return this.keys.apply(key, c.data.iss, c.data.status, this.d.keySource(), now, this.serverIssuers());
  }

  /**
   * The issuers the sync server speaks for: those its bundle names, never the
   * merchant's own. A bundle imported before the list was kept names none, so
   * its key changes are refused until it is imported again.
   */
  private serverIssuers(): ReadonlySet<string> {
    const named = this.d.settings.getJson<{ issuers?: unknown }>('server')?.issuers;
    const set = new Set(Array.isArray(named) ? named.filter((i): i is string => typeof i === 'string') : []);
    const mid = this.d.settings.getJson<{ id?: unknown }>('merchant')?.id;
    if (typeof mid === 'string') set.delete(merchantIssuer(mid));
    return set;
  }
}
