import type { JWK } from 'jose';
import { createHash, timingSafeEqual, type KeyObject } from 'node:crypto';
import type { ImportResult, KeyView, KeystoreView } from '../../../preload/contract';
import type { Db } from '../db/open';
import { UserError } from '../errors';
import type { IssuerKeyType, Keyring, MerchantKeyType } from '../vouchers/codec';
import { readKeyFile, type ImportPlan, type ImportRequest, type Role } from './files';
import { checkKeyPair, describeJwk, fingerprint, issuerKeyType, keyObjectFromJwk, merchantKeyType, publicJwk } from './jwk';
import { AesGcmProtector, checkKdf, createKdf, type KdfRecord, type SecretProtector } from './protector';
import { Settings } from '../settings';
import type { PassphraseLockout } from '../lockout';

export type ProtectorMode = { mode: 'passphrase' } | { mode: 'os'; os: SecretProtector };

interface KeyRow {
  role: Role;
  kid: string;
  iss: string | null;
  kty: string;
  crv: string | null;
  bits: number | null;
  public_jwk: string;
  private_blob: Buffer | null;
  fingerprint: string;
  source: string;
  added_at: number;
}

const KDF_SETTING = 'admin.kdf';

/**
 * The merchant's keys. Public parts live in the clear; private parts only as
 * protected blobs. Keys are turned into key objects once (at unlock or import)
 * and kept in memory for the codec; they never leave the core process.
 */
export class KeyStore implements Keyring {
  private protector: SecretProtector | null;
  private merchantKeys = new Map<string, { type: MerchantKeyType; key: KeyObject }>();
  private signingKeys = new Map<string, KeyObject>();
  private issuerKeys = new Map<string, { type: IssuerKeyType; key: KeyObject; iss: string }>();
  private privateLoaded = false;
  /** A passphrase already proven by opening the database, used once by the next check instead of deriving its key again. */
  private proven: { digest: Buffer; check: string; key: Buffer } | null = null;

  constructor(
    private readonly db: Db,
    private readonly settings: Settings,
    private readonly mode: ProtectorMode,
    /** Counts wrong admin passphrases (shared with the database key's check before the database opens). */
    private readonly lockout: PassphraseLockout,
    /** Hears every admin passphrase proven right, with its KDF record and key (the database key file is sealed with it). */
    private readonly onAdminKey: (record: KdfRecord, key: Buffer) => Promise<void> = async () => {},
  ) {
    this.protector = mode.mode === 'os' ? mode.os : null;
    this.loadPublic();
  }

  /** In the app the OS keychain opens the store at start; with a passphrase it stays locked. */
  async start(): Promise<void> {
    if (this.mode.mode !== 'os') return;
    try {
      await this.loadPrivate();
    } catch {
      // Keys sealed by another machine's keychain (or none here): the store stays locked.
    }
  }

  // ------------------------------------------------------------ state

  private countKeys(): number {
    return (this.db.prepare('SELECT count(*) AS n FROM keys').get() as { n: number }).n;
  }

  state(): KeystoreView['state'] {
    if (this.countKeys() === 0) return 'empty';
    return this.privateLoaded ? 'unlocked' : 'locked';
  }

  adminConfigured(): boolean {
    return this.settings.getJson<KdfRecord>(KDF_SETTING) !== null;
  }

  merchant(): { id: string; name: string } | null {
    return this.settings.getJson('merchant');
  }

  branch(): { id: string; name: string } | null {
    return this.settings.getJson('branch');
  }

  view(): KeystoreView {
    const rows = this.db.prepare('SELECT * FROM keys ORDER BY role, added_at, kid').all() as KeyRow[];
    return {
      state: this.state(),
      protector: this.mode.mode,
      merchant: this.merchant(),
      branch: this.branch(),
      issuers: this.db.prepare('SELECT iss, name FROM issuers ORDER BY iss').all() as { iss: string; name: string }[],
      keys: rows.map(toView),
    };
  }

  // ------------------------------------------------------------ admin passphrase

  /** First run: the admin chooses the passphrase that guards admin actions (and, without a keychain, the keys). */
  async setupAdmin(passphrase: string): Promise<void> {
    if (this.adminConfigured()) throw new UserError('admin.alreadyConfigured', 'An admin passphrase is already set.');
    if (passphrase.length < 8) throw new UserError('admin.passphraseTooShort', 'The admin passphrase needs at least 8 characters.', { min: 8 });
    const { record, key } = await createKdf(passphrase);
    this.settings.setJson(KDF_SETTING, record);
    await this.onAdminKey(record, key);
    if (this.mode.mode === 'passphrase') {
      this.protector = new AesGcmProtector(key);
      this.privateLoaded = true; // nothing to load yet: an empty store is open
    }
  }

  /** The passphrase that opened the database (db/key.ts), its KDF record and derived key: the next check of it skips scrypt. */
  rememberProven(passphrase: string, record: KdfRecord, key: Buffer): void {
    this.proven = { digest: digest(passphrase), check: record.check, key };
  }

  private takeProven(record: KdfRecord, passphrase: string): Buffer | null {
    const p = this.proven;
    this.proven = null;
    return p && p.check === record.check && timingSafeEqual(p.digest, digest(passphrase)) ? p.key : null;
  }

  /** Checks the admin passphrase; with passphrase protection it also unlocks the store. */
  async checkAdmin(passphrase: string): Promise<void> {
    const record = this.settings.getJson<KdfRecord>(KDF_SETTING);
    if (!record) throw new UserError('admin.notConfigured', 'No admin passphrase is set yet: set one on the Keys screen first.');
    const lockout = this.lockout;
    lockout.check();
    const key = this.takeProven(record, passphrase) ?? (await checkKdf(record, passphrase));
    if (!key) {
      lockout.failed();
      throw new UserError('admin.wrongPassphrase', 'Wrong admin passphrase.');
    }
    lockout.succeeded();
    await this.onAdminKey(record, key);
    if (this.mode.mode === 'passphrase' && !this.privateLoaded) {
      this.protector = new AesGcmProtector(key);
      await this.loadPrivate();
    }
  }

  async unlock(passphrase: string): Promise<void> {
    if (this.mode.mode === 'os' && this.privateLoaded) return;
    await this.checkAdmin(passphrase);
  }

  lock(): void {
    if (this.mode.mode === 'os') return; // the OS keychain keeps it open; nothing to forget
    this.protector = null;
    this.merchantKeys.clear();
    this.signingKeys.clear();
    this.privateLoaded = false;
  }

  // ------------------------------------------------------------ keyring for the codec

  merchantKey(kid: string): { type: MerchantKeyType; key: KeyObject } | 'locked' | null {
    const k = this.merchantKeys.get(kid);
    if (k) return k;
    if (!this.privateLoaded && this.publicMerchantKids.has(kid)) return 'locked';
    return null;
  }

  issuerKey(kid: string): { type: IssuerKeyType; key: KeyObject; iss: string } | null {
    return this.issuerKeys.get(kid) ?? null;
  }

  signingKey(kid: string): KeyObject | null {
    return this.signingKeys.get(kid) ?? null;
  }

  /** The server token from the bundle, for sync; null when there is none or the store is locked. */
  async serverToken(): Promise<string | null> {
    const blob = this.settings.get('server.token');
    if (!blob || !this.protector) return null;
    return (await this.protector.unprotect(Buffer.from(blob, 'base64'))).toString('utf8');
  }

  private publicMerchantKids = new Set<string>();

  /** Re-reads the public keys after another part of the core changed the table (sync adds issuer keys). */
  reloadPublic(): void {
    this.loadPublic();
  }

  private loadPublic(): void {
    this.issuerKeys.clear();
    this.publicMerchantKids.clear();
    for (const row of this.db.prepare('SELECT * FROM keys').all() as KeyRow[]) {
      if (row.role === 'issuer') {
        const jwk = JSON.parse(row.public_jwk) as JWK;
        const type = issuerKeyType(describeJwk(jwk).type);
        if (type && row.iss) this.issuerKeys.set(row.kid, { type, key: keyObjectFromJwk(jwk, 'public'), iss: row.iss });
      } else if (row.role === 'merchant-encryption') {
        this.publicMerchantKids.add(row.kid);
      }
    }
    // The merchant's own signing keys verify the vouchers it issues itself
    // (referral and reward vouchers, member cards) under `merchant:<id>`
    // (docs/spec/voucher-format.md §8). A platform's key with the same kid wins.
    const mid = this.merchant()?.id;
    if (!mid) return;
    for (const row of this.db.prepare("SELECT * FROM keys WHERE role = 'merchant-signing'").all() as KeyRow[]) {
      if (this.issuerKeys.has(row.kid)) continue;
      const jwk = JSON.parse(row.public_jwk) as JWK;
      const type = issuerKeyType(describeJwk(jwk).type);
      if (type) this.issuerKeys.set(row.kid, { type, key: keyObjectFromJwk(jwk, 'public'), iss: merchantIssuer(mid) });
    }
  }

  private async loadPrivate(): Promise<void> {
    if (!this.protector) return;
    const rows = this.db.prepare("SELECT * FROM keys WHERE role != 'issuer'").all() as KeyRow[];
    const merchant = new Map<string, { type: MerchantKeyType; key: KeyObject }>();
    const signing = new Map<string, KeyObject>();
    for (const row of rows) {
      if (!row.private_blob) continue;
      let jwk: JWK;
      try {
        jwk = JSON.parse((await this.protector.unprotect(row.private_blob)).toString('utf8')) as JWK;
      } catch {
        throw new UserError('keystore.unreadable', 'A stored private key could not be opened with this keychain or passphrase.');
      }
      const key = keyObjectFromJwk(jwk, 'private');
      if (row.role === 'merchant-encryption') merchant.set(row.kid, { type: merchantKeyType(describeJwk(jwk).type)!, key });
      else signing.set(row.kid, key);
    }
    this.merchantKeys = merchant;
    this.signingKeys = signing;
    this.privateLoaded = true;
  }

  // ------------------------------------------------------------ import and remove

  /** Reads, checks and stores an import file: all of it or nothing. */
  async import(req: ImportRequest & { replaceMerchant?: boolean; now: number }): Promise<ImportResult> {
    if (!this.protector || (this.mode.mode === 'passphrase' && !this.privateLoaded)) {
      throw new UserError('keystore.locked', 'The key store is locked: enter the admin passphrase first.');
    }
    const plan = await readKeyFile(req);
    const current = this.merchant();
    const replacing = !!(plan.merchant && current && plan.merchant.id !== current.id);
    if (replacing && !req.replaceMerchant) {
      throw new UserError(
        'keys.otherMerchant',
        `This bundle is for merchant ${plan.merchant!.id}, but this workstation belongs to ${current!.id}. Nothing was imported.`,
        { found: plan.merchant!.id, current: current!.id },
      );
    }
    const needsMerchant = plan.keys.some((k) => k.role !== 'issuer');
    if (needsMerchant && !plan.merchant && !current) {
      throw new UserError('keys.noMerchant', 'Import the merchant bundle first: a merchant key needs to know its merchant id.');
    }

    // Everything that can fail is checked and prepared before the one write.
    // Replacing the merchant drops its own keys; the issuers' keys stay.
    const existing = new Map<string, KeyRow>();
    for (const r of this.db.prepare('SELECT * FROM keys').all() as KeyRow[]) {
      if (!replacing || r.role === 'issuer') existing.set(`${r.role}/${r.kid}`, r);
    }
    const seen = new Set<string>();
    const rows: KeyRow[] = [];
    for (const k of plan.keys) {
      const id = `${k.role}/${k.kid}`;
      if (seen.has(id)) throw new UserError('keys.duplicateKid', `The file has two keys with the id ${k.kid}.`, { kid: k.kid });
      seen.add(id);
      const pub = publicJwk(k.jwk, k.kid);
      const fp = await fingerprint(pub);
      const old = existing.get(id);
      if (old) {
        if (old.fingerprint !== fp || old.iss !== k.iss) {
          throw new UserError('keys.duplicateKid', `A different key with the id ${k.kid} is already stored. Remove it first.`, { kid: k.kid });
        }
        continue; // the same key again: nothing to do
      }
      checkKeyPair(k.jwk, k.info.isPrivate); // proves the numbers make a key, and the halves match
      const privateBlob = k.info.isPrivate ? await this.protector.protect(Buffer.from(JSON.stringify({ ...k.jwk, kid: k.kid }))) : null;
      rows.push({
        role: k.role,
        kid: k.kid,
        iss: k.iss,
        kty: k.info.kty,
        crv: k.info.crv,
        bits: k.info.bits,
        public_jwk: JSON.stringify(pub),
        private_blob: privateBlob,
        fingerprint: fp,
        source: plan.source,
        added_at: req.now,
      });
    }
    const tokenBlob = plan.server ? (await this.protector.protect(Buffer.from(plan.server.token))).toString('base64') : null;

    this.write(plan, rows, replacing, tokenBlob);
    this.loadPublic();
    await this.loadPrivate();
    return { merchant: plan.merchant ?? current, added: rows.map(toView), warnings: plan.warnings };
  }

  private write(plan: ImportPlan, rows: KeyRow[], replacing: boolean, tokenBlob: string | null): void {
    this.db.transaction(() => {
      if (replacing) {
        this.db.prepare("DELETE FROM keys WHERE role != 'issuer'").run();
        this.settings.delete('branch');
        this.settings.delete('server');
        this.settings.delete('server.token');
      }
      if (plan.merchant) this.settings.setJson('merchant', plan.merchant);
      if (plan.branch) this.settings.setJson('branch', plan.branch);
      if (plan.server) {
        // The issuers this server speaks for: sync takes key changes for these only (issue 11).
        this.settings.setJson('server', { url: plan.server.url, deviceId: plan.server.deviceId, issuers: plan.issuers.map((i) => i.iss) });
        this.settings.set('server.token', tokenBlob!);
      }
      const upsertIssuer = this.db.prepare(
        'INSERT INTO issuers (iss, name) VALUES (?, ?) ON CONFLICT(iss) DO UPDATE SET name = excluded.name WHERE excluded.name != excluded.iss',
      );
      for (const i of plan.issuers) upsertIssuer.run(i.iss, i.name);
      const insert = this.db.prepare(`INSERT INTO keys (role, kid, iss, kty, crv, bits, public_jwk, private_blob, fingerprint, source, added_at)
        VALUES (@role, @kid, @iss, @kty, @crv, @bits, @public_jwk, @private_blob, @fingerprint, @source, @added_at)`);
      for (const r of rows) insert.run(r);
    })();
  }

  remove(kid: string): void {
    const n = this.db.prepare('DELETE FROM keys WHERE kid = ?').run(kid).changes;
    if (n === 0) throw new UserError('keys.unknownKid', `No key with the id ${kid}.`, { kid });
    this.merchantKeys.delete(kid);
    this.signingKeys.delete(kid);
    this.loadPublic();
  }
}

function digest(passphrase: string): Buffer {
  return createHash('sha256').update(passphrase.normalize('NFC')).digest();
}

/** The issuer id of the vouchers a merchant issues itself. */
export function merchantIssuer(merchantId: string): string {
  return `merchant:${merchantId}`;
}

function toView(r: KeyRow): KeyView {
  return {
    kid: r.kid,
    role: r.role,
    iss: r.iss,
    kty: r.kty,
    crv: r.crv,
    bits: r.bits,
    fingerprint: r.fingerprint,
    source: r.source,
    addedAt: r.added_at,
  };
}
