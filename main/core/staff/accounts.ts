import { randomBytes } from 'node:crypto';
import type { StaffMember } from '../../../preload/contract';
import type { MerchantTokens } from '../crm/tokens';
import type { Db } from '../db/open';
import { UserError } from '../errors';
import { idFactory } from '../ids';
import { merchantIssuer } from '../keystore/keystore';
import type { Settings } from '../settings';
import { StaffLockout } from './lockout';
import { hashPin, pinMatches, type PinKdf } from './pin';
import type { Actor, Role } from './roles';

interface Row {
  id: string;
  name: string;
  role: Role;
  pin_hash: string;
  pin_salt: string;
  pin_kdf: string;
  badge_nonce: string | null;
  active: 0 | 1;
  created_at: number;
  updated_at: number;
}

/** The claim that tells a staff badge from a member card (`vdm: "card"`) and a voucher. */
export const BADGE_MARK = 'staff';
const BADGE_JTI_PREFIX = 'staff-';

const newId = idFactory();

/**
 * The shop's staff accounts: a name, a role and a PIN (kept as a slow KDF's
 * hash), and optionally a badge, a staff card printed as a code signed with the
 * merchant's key like a member card (crm/tokens.ts), carrying the account and a
 * nonce: issuing a new badge replaces the nonce, which withdraws the old one.
 * An account is never deleted, only made inactive.
 */
export class StaffAccounts {
  readonly lockout: StaffLockout;
  /** Asked before every call (staff.ts): prepared once. */
  private readonly anyAccount;

  constructor(
    private readonly db: Db,
    settings: Settings,
    private readonly tokens: MerchantTokens,
    private readonly clock: () => number = Date.now,
    private readonly kdf?: PinKdf,
  ) {
    this.lockout = new StaffLockout(settings, clock);
    this.anyAccount = db.prepare('SELECT 1 FROM staff LIMIT 1');
  }

  /** Whether any account exists: without one the counter works as before, with nobody signing in. */
  enabled(): boolean {
    return this.anyAccount.get() !== undefined;
  }

  list(): StaffMember[] {
    return (this.db.prepare('SELECT * FROM staff ORDER BY active DESC, name').all() as Row[]).map(toMember);
  }

  get(id: string): StaffMember {
    return toMember(this.need(id));
  }

  actor(id: string): Actor {
    const r = this.need(id);
    return { name: r.name, role: r.role, staffId: r.id };
  }

  async add(p: { name: string; role: Role; pin: string }): Promise<StaffMember> {
    const name = p.name.trim();
    this.checkName(name, null);
    const h = await hashPin(p.pin, this.kdf);
    const now = this.clock();
    const id = `S${newId(now)}`;
    this.db
      .prepare('INSERT INTO staff (id, name, role, pin_hash, pin_salt, pin_kdf, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
      .run(id, name, p.role, h.hash, h.salt, JSON.stringify(h.kdf), now, now);
    return this.get(id);
  }

  async update(id: string, p: { name?: string | undefined; role?: Role | undefined; pin?: string | undefined; active?: boolean | undefined }): Promise<StaffMember> {
    const before = this.need(id);
    const name = p.name?.trim();
    if (name !== undefined) this.checkName(name, id);
    const role = p.role ?? before.role;
    const active = p.active ?? before.active === 1;
    // The shop always keeps an active owner account once there are accounts: otherwise nobody could manage staff at the counter.
    if (before.role === 'owner' && before.active === 1 && (role !== 'owner' || !active) && this.activeOwners() === 1) {
      throw new UserError('staff.lastOwner', 'This is the only active owner account: add another owner first.');
    }
    const h = p.pin !== undefined ? await hashPin(p.pin, this.kdf) : null;
    this.db
      .prepare(
        `UPDATE staff SET name = ?, role = ?, active = ?, pin_hash = coalesce(?, pin_hash), pin_salt = coalesce(?, pin_salt),
           pin_kdf = coalesce(?, pin_kdf), updated_at = ? WHERE id = ?`,
      )
      .run(name ?? before.name, role, active ? 1 : 0, h?.hash ?? null, h?.salt ?? null, h ? JSON.stringify(h.kdf) : null, this.clock(), id);
    if (h) this.lockout.succeeded(id);
    return this.get(id);
  }

  /** Checks a PIN, counting wrong ones: the account's person, or staff.wrongPin / staff.lockedOut. */
  async checkPin(id: string, pin: string): Promise<Actor> {
    const r = this.need(id);
    if (!r.active) throw new UserError('staff.inactive', 'This staff account is turned off.');
    this.lockout.check(id);
    const ok = await pinMatches(pin, { hash: r.pin_hash, salt: r.pin_salt, kdf: JSON.parse(r.pin_kdf) as PinKdf });
    if (!ok) {
      this.lockout.failed(id);
      throw new UserError('staff.wrongPin', 'Wrong PIN.');
    }
    this.lockout.succeeded(id);
    return { name: r.name, role: r.role, staffId: r.id };
  }

  /** Issues a new badge for the account, withdrawing any earlier one: the text of its code, to print. */
  async issueBadge(id: string): Promise<string> {
    const r = this.need(id);
    if (!r.active) throw new UserError('staff.inactive', 'This staff account is turned off.');
    this.tokens.check();
    const nonce = randomBytes(12).toString('base64url');
    const mid = this.tokens.merchantId();
    const now = this.clock();
    // exp in the past on purpose, as on a member card: a voucher path handed a badge refuses it (EXPIRED).
    const text = await this.tokens.mint({ iss: merchantIssuer(mid), jti: `${BADGE_JTI_PREFIX}${nonce}`, sub: r.id, mid, knd: 'item', qty: 1, iat: Math.floor(now / 1000), exp: 1, vdm: BADGE_MARK });
    this.db.prepare('UPDATE staff SET badge_nonce = ?, updated_at = ? WHERE id = ?').run(nonce, now, id);
    return text;
  }

  /** The person a scanned badge is for: staff.notABadge, staff.badgeWithdrawn, staff.inactive. */
  async readBadge(text: string): Promise<Actor> {
    const claims = await this.tokens.verifiedClaims(text);
    const mid = this.tokens.merchantId();
    const jti = typeof claims?.jti === 'string' ? claims.jti : '';
    if (!claims || claims.vdm !== BADGE_MARK || claims.mid !== mid || claims.iss !== merchantIssuer(mid) || typeof claims.sub !== 'string' || !jti.startsWith(BADGE_JTI_PREFIX)) {
      throw new UserError('staff.notABadge', 'This is not a staff badge of this shop.');
    }
    const r = this.row(claims.sub);
    if (!r || r.badge_nonce !== jti.slice(BADGE_JTI_PREFIX.length)) throw new UserError('staff.badgeWithdrawn', 'This badge has been withdrawn: a newer one was issued, or none is valid.');
    if (!r.active) throw new UserError('staff.inactive', 'This staff account is turned off.');
    return { name: r.name, role: r.role, staffId: r.id };
  }

  private checkName(name: string, self: string | null): void {
    const other = this.db.prepare('SELECT id FROM staff WHERE name = ?').get(name) as { id: string } | undefined;
    if (other && other.id !== self) throw new UserError('staff.nameTaken', 'There is already a staff member with this name.');
  }

  private activeOwners(): number {
    return (this.db.prepare("SELECT count(*) AS n FROM staff WHERE role = 'owner' AND active = 1").get() as { n: number }).n;
  }

  private row(id: string): Row | undefined {
    return this.db.prepare('SELECT * FROM staff WHERE id = ?').get(id) as Row | undefined;
  }

  private need(id: string): Row {
    const r = this.row(id);
    if (!r) throw new UserError('staff.unknownStaff', 'There is no such staff member.');
    return r;
  }
}

function toMember(r: Row): StaffMember {
  return { id: r.id, name: r.name, role: r.role, active: r.active === 1, hasBadge: r.badge_nonce !== null, createdAt: r.created_at };
}
