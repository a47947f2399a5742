/**
 * Kills during CRM imports: members CSV files (100 to 1,500 rows each) previewed
 * and committed one after the other. An acknowledged import (the commit
 * answered) must be wholly there after the restart; an unacknowledged one
 * wholly there or wholly absent, never half. Each file's people carry the
 * file's number in their names, so a count per name prefix tells.
 */
import { join } from 'node:path';
import type { ImportPreview } from '../../preload/contract';
import { startStation, type Station } from '../../test/sync/support';
import type { Scenario, Tally } from './driver';
import { countPeopleByPrefix } from './inspect';

const PREFIX_LENGTH = 'Soak F00000 '.length;
const prefixOf = (file: number) => `Soak F${String(file).padStart(5, '0')} `;

interface ImportFile {
  rows: number;
  acknowledged: boolean;
  /** Already counted as lost, torn or doubled (each failure is counted once). */
  reported: boolean;
}

/** A members CSV of `rows` people, phones unique over the run (file number and row in the digits). */
function membersCsv(file: number, rows: number): string {
  const lines = ['name,phone'];
  for (let i = 0; i < rows; i++) lines.push(`${prefixOf(file)}#${i},1${3 + (file % 7)}${String(Math.floor(file / 7) % 1000).padStart(3, '0')}${String(i).padStart(6, '0')}`);
  return lines.join('\n') + '\n';
}

export function crmImportScenario(opts: { dir: string; trials: number; killWithinMs?: readonly [number, number]; random?: () => number }): Scenario {
  const dataDir = join(opts.dir, 'crm');
  const random = opts.random ?? Math.random;
  const files = new Map<number, ImportFile>();
  let nextFile = 1;
  let station: Station | null = null;
  let sinceCheck = 0;
  const killedIn = { preview: 0, commit: 0 };
  const notes: string[] = [];

  async function importLoop(s: Station): Promise<void> {
    for (;;) {
      const n = nextFile++;
      const rows = 100 + Math.floor(random() * 1400);
      const f: ImportFile = { rows, acknowledged: false, reported: false };
      files.set(n, f);
      const preview = await s.core.connection.call('crm.importPreview', { kind: 'members', contentBase64: Buffer.from(membersCsv(n, rows)).toString('base64') });
      if (!preview.ok) {
        if (preview.error.code !== 'core.stopped') notes.push(`preview answered ${preview.error.code}`);
        else killedIn.preview++;
        return;
      }
      const p = preview.value as ImportPreview;
      if (p.good !== rows) notes.push(`preview found ${p.good} good rows of ${rows}`);
      const commit = await s.core.connection.call('crm.importCommit', { token: p.token });
      if (!commit.ok) {
        if (commit.error.code !== 'core.stopped') notes.push(`commit answered ${commit.error.code}`);
        else killedIn.commit++;
        return;
      }
      f.acknowledged = true;
      sinceCheck++;
    }
  }

  async function check(): Promise<Partial<Tally>> {
    const { integrity, counts } = await countPeopleByPrefix(dataDir, PREFIX_LENGTH);
    const t: Partial<Tally> = { acknowledged: sinceCheck, lost: 0, doubles: 0, torn: 0, broken: integrity === 'ok' ? 0 : 1, notes: notes.splice(0) };
    if (integrity !== 'ok') t.notes!.push(`integrity_check: ${integrity.slice(0, 200)}`);
    sinceCheck = 0;
    for (const [n, f] of files) {
      if (f.reported) continue;
      const have = counts.get(prefixOf(n)) ?? 0;
      if (have > f.rows) t.doubles! += have - f.rows;
      else if (f.acknowledged && have < f.rows) t.lost!++;
      else if (!f.acknowledged && have !== 0 && have !== f.rows) t.torn!++;
      else continue;
      f.reported = true;
    }
    return t;
  }

  return {
    name: 'during CRM imports',
    trials: opts.trials,
    killWithinMs: opts.killWithinMs ?? [20, 1500],
    async setUp() {},
    async restart() {
      station = await startStation(dataDir);
      return check();
    },
    async work() {
      const s = station!;
      return { victim: s.core, running: importLoop(s) };
    },
    async finish() {
      const committed = [...files.values()].filter((f) => f.acknowledged).length;
      await station?.core.stop();
      station = null;
      return { notes: [`${committed} of ${files.size} imports acknowledged, ${[...files.values()].reduce((a, f) => a + (f.acknowledged ? f.rows : 0), 0)} rows; kills during a preview ${killedIn.preview}, during a commit ${killedIn.commit}`] };
    },
    async tearDown() {
      if (station) await station.core.stop();
    },
  };
}
