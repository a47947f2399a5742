import { spawnSync } from 'node:child_process';
import { CompactEncrypt } from 'jose';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSPHRASE, tempDir, VECTOR_KEYS_FILE, VECTORS } from '../support/workstation';

const CLI = resolve(__dirname, '../../main/cli/index.ts');
let tmp: ReturnType<typeof tempDir>;
let dataDir: string;

function cli(args: string[], opts: { env?: Record<string, string | undefined>; input?: string } = {}) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', CLI, ...args], {
    env: { ...process.env, VOUCHERDESK_PASSPHRASE: ADMIN_PASSPHRASE, VOUCHERDESK_BUNDLE_PASSPHRASE: undefined, ...opts.env },
    input: opts.input ?? '',
    encoding: 'utf8',
  });
  return { code: r.status, out: r.stdout, err: r.stderr, json: () => JSON.parse(r.stdout) };
}
const vector = (name: string) => VECTORS.vectors.find((v) => v.name.startsWith(name))!;
const now = String(VECTORS.now);

beforeAll(() => {
  tmp = tempDir('vd-cli-');
  dataDir = join(tmp.dir, 'ws');
});
afterAll(() => tmp.cleanup());

describe('command line', () => {
  it('imports keys (setting the admin passphrase the first time) and lists them with fingerprints', () => {
    const r = cli(['keys', 'import', VECTOR_KEYS_FILE, '--data-dir', dataDir]);
    expect(r.code, r.err).toBe(0);
    expect(r.err).toMatch(/not encrypted/);
    expect(r.out).toMatch(/Imported 7 key\(s\) for merchant M-pub-1001/);
    // The database is encrypted, its key sealed with the admin passphrase: without it nothing is read (issue 11).
    const refused = cli(['keys', 'list', '--data-dir', dataDir, '--json'], { env: { VOUCHERDESK_PASSPHRASE: undefined } });
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(/encrypted: set VOUCHERDESK_PASSPHRASE/);
    const list = cli(['keys', 'list', '--data-dir', dataDir, '--json']);
    expect(list.code).toBe(0);
    const v = list.json();
    expect(v.merchant.id).toBe('M-pub-1001');
    expect(v.keys.map((k: { kid: string }) => k.kid)).toEqual(expect.arrayContaining(['pub-m-x25519', 'pub-i-ed']));
    expect(v.keys[0].fingerprint).toMatch(/^[\w-]{16}$/);
  });

  it('refuses a wrong admin passphrase and a sealed bundle without its passphrase', async () => {
    const wrong = cli(['keys', 'import', VECTOR_KEYS_FILE, '--data-dir', dataDir], { env: { VOUCHERDESK_PASSPHRASE: 'not the passphrase' } });
    expect(wrong.code).toBe(1);
    expect(wrong.err).toMatch(/Wrong admin passphrase/);
    const sealed = await new CompactEncrypt(new TextEncoder().encode('{"v":1}'))
      .setProtectedHeader({ alg: 'PBES2-HS512+A256KW', enc: 'A256GCM', cty: 'gb-merchant-bundle+json', p2c: 1000 })
      .encrypt(new TextEncoder().encode('pw'));
    const f = join(tmp.dir, 'b.jwe');
    writeFileSync(f, sealed);
    const r = cli(['keys', 'import', f, '--data-dir', dataDir]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/passphrase the platform gave you/);
  });

  it('verify prints one JSON object with the verdict, claims and what remains; exit 0 for VALID, 1 otherwise', () => {
    const v = vector('x25519-ed25519');
    const ok = cli(['verify', '--data-dir', dataDir, '--now', now, v.text]);
    expect(ok.code, ok.err).toBe(0);
    const j = ok.json();
    expect(j.verdict).toBe('VALID');
    expect(j.claims).toEqual(v.claims);
    expect(j.remaining).toEqual({ left: 2, face: 2, usesLeft: null });
    const bad = cli(['verify', '--data-dir', dataDir, '--now', now, 'not a voucher']);
    expect(bad.code).toBe(1);
    expect(bad.json().verdict).toBe('MALFORMED');
    const pin = vector('pin wrong');
    expect(cli(['verify', '--data-dir', dataDir, '--now', now, '--pin', pin.pin!, pin.text]).json().verdict).toBe('PIN_WRONG');
    // Without the passphrase (no env, no terminal) the key store stays locked.
    const locked = cli(['verify', '--data-dir', dataDir, '--now', now, v.text], { env: { VOUCHERDESK_PASSPHRASE: undefined } });
    expect(locked.code).toBe(1);
    expect(locked.json().verdict).toBe('KEYSTORE_LOCKED');
  });

  it('exit 2 for usage errors', () => {
    expect(cli(['verify', '--data-dir', dataDir]).code).toBe(2);
    expect(cli(['redeem', '--data-dir', dataDir, '--units', 'two', 'x']).code).toBe(2);
    expect(cli(['frobnicate']).code).toBe(2);
    expect(cli(['verify', '--bogus-flag', 'x']).code).toBe(2);
    expect(cli([]).code).toBe(2);
  });

  it('redeem records once (text from stdin too), history shows it, reverse undoes it', () => {
    const v = vector('p256 kw');
    const first = cli(['redeem', '--data-dir', dataDir, '--now', now, '-'], { input: v.text + '\r\n' });
    expect(first.code, first.err).toBe(0);
    const event = first.json().event;
    expect(event).toMatchObject({ type: 'redemption', iss: 'gb-pub-a', jti: 'pub-8270ec5a49', units: 1 });
    const again = cli(['redeem', '--data-dir', dataDir, '--now', now, v.text]);
    expect(again.code).toBe(1);
    expect(again.json()).toMatchObject({ verdict: 'ALREADY_REDEEMED', last: { eventId: event.id } });
    const history = cli(['history', '--data-dir', dataDir, '--json']).json();
    expect(history[0]).toMatchObject({ id: event.id, type: 'redemption' });
    expect(cli(['history', '--data-dir', dataDir]).out).toContain(event.id);
    const rev = cli(['reverse', event.id, '--reason', 'mistake', '--data-dir', dataDir]);
    expect(rev.code, rev.err).toBe(0);
    expect(cli(['reverse', event.id, '--data-dir', dataDir]).code).toBe(1);
    expect(cli(['redeem', '--data-dir', dataDir, '--now', now, v.text]).code).toBe(0);
  });

  it('redeem --units takes part of a voucher', () => {
    const v = vector('bare jwe'); // qty 5
    const r = cli(['redeem', '--data-dir', dataDir, '--now', now, '--units', '2', v.text]);
    expect(r.code).toBe(0);
    expect(r.json().remaining).toEqual({ left: 3, face: 5, usesLeft: null });
    const tooMany = cli(['redeem', '--data-dir', dataDir, '--now', now, '--units', '4', v.text]);
    expect(tooMany.code).toBe(1);
    expect(tooMany.err).toMatch(/Only 3 left/);
  });

  it('campaigns, products, revocations, points and stored value from the command line', () => {
    const f = (name: string, body: string) => {
      const path = join(tmp.dir, name);
      writeFileSync(path, body);
      return path;
    };
    expect(cli(['campaigns', 'import', f('c.csv', 'id,name,stock,hours\nCNY,Spring,5,00:00-23:59\n'), '--data-dir', dataDir]).code).toBe(0);
    expect(cli(['campaigns', 'set', 'X1', '--name', 'One', '--stock', '3', '--hours', '10:00-22:00', '--data-dir', dataDir]).code).toBe(0);
    expect(cli(['campaigns', 'set', 'X2', '--data-dir', dataDir]).code).toBe(2);
    const list = cli(['campaigns', 'list', '--json', '--data-dir', dataDir]).json();
    expect(list.map((c: { id: string }) => c.id)).toEqual(['CNY', 'X1']);
    expect(cli(['products', 'import', f('p.csv', 'sku,name\nSKU-88,Double hotpot set\n'), '--data-dir', dataDir]).code).toBe(0);
    const value = cli(['redeem', '--data-dir', dataDir, '--now', now, '--amount', '1250', vector('stored value').text]);
    expect(value.json()).toMatchObject({ verdict: 'VALID', remaining: { left: 28750 }, voucher: { product: 'Double hotpot set' } });
    expect(cli(['history', '--data-dir', dataDir]).out).toMatch(/Double hotpot set\s+CN¥12\.50/);
    const shared = cli(['redeem', '--data-dir', dataDir, '--now', now, '--units', '1', vector('sharing chain').text]).json();
    expect(shared.points.map((p: { holder: string }) => p.holder)).toEqual(['C-77', 'C-1', 'C-2']);
    expect(cli(['points', 'show', 'C-1', '--json', '--data-dir', dataDir]).json()).toMatchObject({ holder: 'C-1', points: 5 });
    const jti = vector('sharing chain').claims!.jti as string;
    expect(cli(['revocations', 'import', f('r.csv', `iss,jti,reason\ngb-pub-a,${jti},refunded\n`), '--data-dir', dataDir]).code).toBe(0);
    expect(cli(['revocations', 'list', '--json', '--data-dir', dataDir]).json()[0]).toMatchObject({ jti, reason: 'refunded' });
    expect(cli(['redeem', '--data-dir', dataDir, '--now', now, vector('sharing chain').text]).json()).toMatchObject({ verdict: 'REVOKED', detail: { reason: 'revoked', note: 'refunded' } });
    const bad = cli(['products', 'import', f('bad.csv', 'sku,name\nA,\n'), '--data-dir', dataDir]);
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/row 1/);
  });

  it("a campaign's mode (issue 15): set with --mode, shown in the list with what is left", () => {
    expect(cli(['campaigns', 'set', 'MODE', '--name', 'Mode', '--stock', '4', '--mode', 'loose', '--data-dir', dataDir]).code).toBe(2);
    expect(cli(['campaigns', 'set', 'MODE', '--name', 'Mode', '--stock', '4', '--mode', 'strict', '--data-dir', dataDir]).code).toBe(0);
    expect(cli(['campaigns', 'list', '--data-dir', dataDir]).out).toMatch(/MODE .* left 4 {2}strict \(chosen here\)/);
    // Back to the platform's default (lenient for a campaign the platform never sent).
    expect(cli(['campaigns', 'set', 'MODE', '--name', 'Mode', '--stock', '4', '--mode', 'platform', '--data-dir', dataDir]).code).toBe(0);
    expect(cli(['campaigns', 'list', '--data-dir', dataDir]).out).toMatch(/MODE .* left 4 {2}lenient {2}/);
  });
});
