/**
 * Kills during the database encryption migration. One workstation is filled
 * through the real core (redemptions of minted single-unit vouchers, a
 * members import), then turned back into what the previous version left: a
 * clear database and no key file. Each trial copies it to a folder of its
 * own and starts the real core process there, which encrypts the clear
 * database in place while it starts (main/core/db/workstation.ts); the kill
 * lands at a random moment of that migration (measured once in setUp, from
 * the key file appearing to the core being ready). The core then starts again
 * on the same folder with the admin passphrase and the check wants: it opens,
 * the file is encrypted (no clear SQLite header), no temp file left, every
 * redemption and member there, no voucher redeemed twice (and an acknowledged
 * one refused on a re-scan), integrity ok.
 */
import { fork } from 'node:child_process';
import { cpSync, existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { databaseState, tempFileOf } from '../../main/core/db/encrypt';
import { keyFilePath } from '../../main/core/db/key';
import { connect } from '../../main/core/db/open';
import { CORE_ENTRY } from '../../main/host/core-child';
import { makeTestIssuer } from '../../test/support/issuer';
import { startStation, type Station } from '../../test/sync/support';
import type { Scenario, Tally, Victim } from './driver';
import { countPeopleByPrefix, databaseKey, DB_FILE, readLedger } from './inspect';

const REDEMPTIONS = 200;
const MEMBERS = 3000;
const MEMBER_PREFIX = 'Soak M ';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Redeemed {
  eventId: string;
  text: string;
}

/** Turns an encrypted workstation into what the version before encryption left: a clear database, no key file. */
async function makeClear(dataDir: string): Promise<void> {
  const key = await databaseKey(dataDir);
  const db = connect(join(dataDir, DB_FILE), key);
  try {
    db.pragma('journal_mode = DELETE');
    db.pragma("rekey = ''");
  } finally {
    db.close();
  }
  rmSync(keyFilePath(dataDir));
}

/** The files a finished or restarted migration must not leave behind. */
function leftovers(dataDir: string): string[] {
  const tmp = tempFileOf(join(dataDir, DB_FILE));
  return [tmp, `${tmp}-journal`, `${tmp}-wal`, `${tmp}-shm`, `${keyFilePath(dataDir)}.tmp`].filter((f) => existsSync(f));
}

/** The real core process on `dataDir`, not waited for: it migrates while it starts. `ready` says whether it got that far. */
function startMigratingCore(dataDir: string): Victim & { ready(): boolean } {
  const child = fork(CORE_ENTRY, ['--data-dir', dataDir, '--protector', 'passphrase'], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
  let ready = false;
  child.on('message', (m) => {
    if ((m as { t?: string }).t === 'ready') ready = true;
  });
  child.stderr?.resume();
  const exited = new Promise((resolve) => child.once('exit', resolve));
  return { child, exited, ready: () => ready };
}

/** Resolves once the migration has begun (the key file is written just before the first page is encrypted), or the process is gone. */
async function migrationBegun(dataDir: string, victim: Victim, timeoutMs = 60_000): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  let gone = false;
  void victim.exited.then(() => (gone = true));
  while (!gone && Date.now() < end) {
    if (existsSync(keyFilePath(dataDir))) return true;
    await sleep(1);
  }
  return false;
}

export function migrationScenario(opts: { dir: string; trials: number; killWithinMs?: readonly [number, number] }): Scenario {
  const template = join(opts.dir, 'clear');
  const redeemed: Redeemed[] = [];
  let members = 0;
  let migrationMs = 0;
  let trial = 0;
  let trialDir: string | null = null;
  let current: (Victim & { ready(): boolean }) | null = null;
  let station: Station | null = null;
  const killed = { during: 0, after: 0 };
  /** What each kill left before the restart: the clear file alone, a temp copy beside it, or the encrypted file. */
  const leftAt = { clear: 0, copy: 0, encrypted: 0 };

  async function check(dataDir: string): Promise<Partial<Tally>> {
    const notes: string[] = [];
    // Acknowledged: each redemption, and the members import as one operation (as in the CRM soak).
    const t: Partial<Tally> = { acknowledged: redeemed.length + 1, lost: 0, doubles: 0, torn: 0, broken: 0, notes };
    try {
      station = await startStation(dataDir);
    } catch {
      t.broken = 1;
      notes.push(`trial ${trial}: the core did not open after the kill`);
      return t;
    }
    const file = join(dataDir, DB_FILE);
    if (databaseState(file) !== 'encrypted') {
      t.broken!++;
      notes.push(`trial ${trial}: the database is still clear after the restart`);
    }
    const left = leftovers(dataDir);
    if (left.length > 0) {
      t.broken!++;
      notes.push(`trial ${trial}: ${left.length} temp files left after the restart`);
    }
    // Two acknowledged vouchers scanned again: refused as already redeemed (VALID shows as a double in the ledger).
    for (const r of [0, 1].map(() => redeemed[Math.floor(Math.random() * redeemed.length)]!)) {
      const o = await station.core.connection.call('voucher.redeem', { text: r.text });
      const verdict = o.ok ? (o.value as { verdict: string }).verdict : o.error.code;
      if (verdict !== 'ALREADY_REDEEMED' && verdict !== 'VALID') {
        t.broken!++;
        notes.push(`trial ${trial}: a re-scan of an acknowledged voucher was answered ${verdict}`);
      }
    }
    await station.core.stop();
    station = null;
    const ledger = await readLedger(dataDir);
    t.lost! += redeemed.filter((r) => !ledger.eventIds.has(r.eventId)).length;
    t.doubles! += ledger.doubles;
    const people = await countPeopleByPrefix(dataDir, MEMBER_PREFIX.length);
    const have = people.counts.get(MEMBER_PREFIX) ?? 0;
    if (have !== members) {
      if (have < members) t.lost!++;
      else t.doubles! += have - members;
      notes.push(`trial ${trial}: ${have} of ${members} members after the restart`);
    }
    for (const integrity of [ledger.integrity, people.integrity]) {
      if (integrity !== 'ok') {
        t.broken!++;
        notes.push(`trial ${trial}: integrity_check: ${integrity.slice(0, 200)}`);
      }
    }
    return t;
  }

  return {
    name: 'during the encryption migration',
    trials: opts.trials,
    // From the migration's start (the key file written) to the core ready: measured in setUp.
    get killWithinMs(): readonly [number, number] {
      return opts.killWithinMs ?? [0, migrationMs];
    },
    async setUp() {
      const issuer = await makeTestIssuer();
      const s = await startStation(template, issuer.bundleJson);
      try {
        for (let i = 0; i < REDEMPTIONS; i++) {
          const { text } = await issuer.mint('item', { qty: 1 });
          const r = await s.call<{ verdict: string; event?: { id: string } }>('voucher.redeem', { text });
          if (r.verdict !== 'VALID' || !r.event) throw new Error(`a fresh voucher was answered ${r.verdict}`);
          redeemed.push({ eventId: r.event.id, text });
        }
        const rows = ['name,phone'];
        for (let i = 0; i < MEMBERS; i++) rows.push(`${MEMBER_PREFIX}#${i},139${String(i).padStart(8, '0')}`);
        const p = await s.call<{ token: string; good: number }>('crm.importPreview', { kind: 'members', contentBase64: Buffer.from(rows.join('\n') + '\n').toString('base64') });
        members = (await s.call<{ added: number }>('crm.importCommit', { token: p.token })).added;
        if (members !== MEMBERS) throw new Error(`the members import added ${members} of ${MEMBERS}`);
      } finally {
        await s.core.stop();
      }
      await makeClear(template);
      if (databaseState(join(template, DB_FILE)) !== 'clear') throw new Error('the template database is not clear');
      // How long the migration takes here, so the kills land inside it.
      const dir = join(opts.dir, 'calibrate');
      cpSync(template, dir, { recursive: true });
      const v = startMigratingCore(dir);
      if (!(await migrationBegun(dir, v))) throw new Error('the core never began the migration');
      const began = Date.now();
      while (!v.ready() && v.child.exitCode === null) await sleep(1);
      migrationMs = Math.max(20, Date.now() - began);
      v.child.kill('SIGKILL');
      await v.exited;
      rmSync(dir, { recursive: true, force: true });
    },
    async restart() {
      if (!trialDir) return {};
      const t = await check(trialDir);
      rmSync(trialDir, { recursive: true, force: true });
      trialDir = null;
      return t;
    },
    async work() {
      trialDir = join(opts.dir, `t${++trial}`);
      cpSync(template, trialDir, { recursive: true });
      const v = startMigratingCore(trialDir);
      current = v;
      await migrationBegun(trialDir, v);
      const dir = trialDir;
      const running = v.exited.then(() => {
        if (v.ready()) killed.after++;
        else killed.during++;
        const file = join(dir, DB_FILE);
        if (existsSync(tempFileOf(file))) leftAt.copy++;
        else if (databaseState(file) === 'encrypted') leftAt.encrypted++;
        else leftAt.clear++;
      });
      return { victim: v, running };
    },
    async finish() {
      return {
        notes: [
          `each trial: a clear database of the previous version holding ${redeemed.length} redemptions and a ${members}-member import (acknowledged: ${redeemed.length} + 1 per trial); ` +
            `the migration took ${migrationMs} ms from the key file to the core ready; ${killed.during} kills landed before the core was ready, ${killed.after} after; ` +
            `a kill left the clear file alone ${leftAt.clear} times, a temp copy beside it ${leftAt.copy}, the encrypted file ${leftAt.encrypted}`,
        ],
      };
    },
    async tearDown() {
      if (current && current.child.exitCode === null && current.child.signalCode === null) current.child.kill('SIGKILL');
      if (station) await station.core.stop();
    },
  };
}
