import { describe, expect, it } from 'vitest';
import { migrate } from '../../../main/core/db/migrate';
import { migrations } from '../../../main/core/db/migrations';
import { databaseAt, schemaOf, shippedSchema, tables, version } from './schema';

describe('migration 1: settings, keys, ledger', () => {
  it('turns an empty file into the shipped version 1 schema', () => {
    const db = databaseAt(0);
    expect(tables(db)).toEqual([]);
    migrate(db, migrations.slice(0, 1));
    expect(version(db)).toBe(1);
    expect(tables(db)).toEqual(expect.arrayContaining(['settings', 'issuers', 'keys', 'events', 'vouchers', 'pin_attempts']));
    expect(schemaOf(db)).toEqual(shippedSchema(1));
    db.close();
  });

  it('keeps the ledger honest: only redemptions and reversals, a reversal once, never more used than the face', () => {
    const db = databaseAt(1);
    const event = db.prepare('INSERT INTO events (id, type, device, at, reverses) VALUES (?, ?, ?, ?, ?)');
    event.run('E1', 'redemption', 'D', 1, null);
    expect(() => event.run('E2', 'refund', 'D', 2, null)).toThrow(/CHECK/);
    event.run('R1', 'reversal', 'D', 3, 'E1');
    expect(() => event.run('R2', 'reversal', 'D', 4, 'E1')).toThrow(/UNIQUE/);
    const voucher = db.prepare("INSERT INTO vouchers (iss, jti, kind, face, used) VALUES ('I', ?, 'count', 2, ?)");
    voucher.run('J1', 2);
    expect(() => voucher.run('J2', 3)).toThrow(/CHECK/);
    expect(() => db.prepare("INSERT INTO keys (role, kid, kty, public_jwk, fingerprint, source, added_at) VALUES ('someone', 'k', 'OKP', '{}', 'f', 's', 1)").run()).toThrow(/CHECK/);
    db.close();
  });
});
