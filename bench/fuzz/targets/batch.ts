/**
 * The batch file for removable storage, as the platform reads it: readBatch of
 * the reference server (server/batch.ts: JWS or JSON lines, header, count,
 * merchant, device, signature), against a throwaway server database with two
 * merchants: M1 has a signing key (its files must be signed), M2 has none (its
 * files come as plain JSON lines). Seeds: a signed M1 file and a plain M2 file.
 *
 * Refusal: BatchRefused. Crash: anything else.
 * False accept: a file read (i) for M1 unsigned, or signed with header and
 * events other than a seed's: the signature must catch every change; (ii) for
 * M2 signed (it has no key to check a signature with); (iii) whose header names
 * a device of another merchant, or counts other than the events it carries.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { JWK } from 'jose';
import { createDevice, createMerchant, initPlatform } from '../../../server/admin';
import { BatchRefused, writeBatch } from '../../../server/batch';
import { openServerDb } from '../../../server/db';
import { readBatch } from '../parsers';
import type { Target } from '../harness';
import { DICT } from '../mutate';
import { canon } from './vouchers';

const event = (id: string, mid: string, device: string) => ({
  id,
  type: 'redemption',
  iss: 'gb.fuzz',
  jti: `J-${id.slice(-4)}`,
  mid,
  device,
  at: '2030-01-02T03:04:05.000Z',
  units: 1,
  amount: 1250,
  cur: 'CNY',
  cashier: 'amy',
  member: null,
  offline: true,
});

export async function batchTarget(): Promise<Target & { close(): Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'vd-fuzz-server-'));
  const sdb = await openServerDb({ dataDir: dir });
  await initPlatform(sdb, { iss: 'gb.fuzz', name: 'Fuzz GB' });
  await createMerchant(sdb, { id: 'M1', name: 'Signed shop', sharePercent: 85 });
  await createMerchant(sdb, { id: 'M2', name: 'Plain shop', sharePercent: 85, signing: false });
  const d1 = await createDevice(sdb, { mid: 'M1', id: 'M1-POS1', url: 'http://127.0.0.1:1', passphrase: 'pw', p2c: 1000 });
  await createDevice(sdb, { mid: 'M2', id: 'M2-POS1', url: 'http://127.0.0.1:1', passphrase: 'pw', p2c: 1000 });
  const sigKey = d1.bundle.signingKeys![0]! as JWK;
  const signed = await writeBatch({ mid: 'M1', device: 'M1-POS1', events: [event('01JD0000000000000000000001', 'M1', 'M1-POS1'), event('01JD0000000000000000000002', 'M1', 'M1-POS1')], signingKey: sigKey });
  const plain = await writeBatch({ mid: 'M2', device: 'M2-POS1', events: [event('01JD0000000000000000000003', 'M2', 'M2-POS1')] });
  const signedContent = new Set<string>();
  const s = await readBatch(sdb, signed);
  signedContent.add(canon({ header: s.header, events: s.events }));
  const deviceOf: Record<string, string> = { 'M1-POS1': 'M1', 'M2-POS1': 'M2' };
  return {
    name: 'batch file',
    seeds: [Buffer.from(signed), Buffer.from(plain)],
    dict: [...DICT.json, ...DICT.base64url, ...['"gb-events"', '"count"', '"M1"', '"M2"', '"M1-POS1"', '"M2-POS1"', '"EdDSA"', '"none"'].map((t) => Buffer.from(t))],
    async open(input) {
      let r;
      try {
        r = await readBatch(sdb, input);
      } catch (e) {
        if (e instanceof BatchRefused) return 'refused';
        throw e;
      }
      const { header, events } = r;
      if (deviceOf[header.device] !== header.mid) return { falseAccept: "a device of another merchant" };
      if (header.count !== events.length) return { falseAccept: 'a count other than the events' };
      if (header.mid === 'M1' && !r.signed) return { falseAccept: 'an unsigned file of a merchant with a signing key' };
      if (header.mid === 'M1' && !signedContent.has(canon({ header, events }))) return { falseAccept: 'a signed file whose content changed' };
      if (header.mid === 'M2' && r.signed) return { falseAccept: 'a signed file of a merchant without a signing key' };
      return 'accepted';
    },
    async close() {
      await sdb.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
