/**
 * The CRM CSV import's reading step, CrmIo.preview (bytes → decoded lines →
 * CSV records → a plan of rows, nothing written), on a throwaway workstation.
 * The input's length picks the kind (members or relationships) and the
 * encoding (UTF-8 or GBK), so every input is read one way, reproducibly.
 * Inputs stay within 16 KB (see maxInput below).
 *
 * Refusal: a UserError (unreadable, empty, no name column…). Crash: anything else.
 * False accept: a preview counting more good rows than rows, or more unchanged
 * rows than good ones; or a line that is not text in the chosen encoding (each
 * \n-separated line checked here with a strict decoder, independently of the
 * importer) without its `crm.import.encoding` issue: its bytes would be
 * imported as something else.
 */
import { isUserError } from '../../../main/core/errors';
import { CrmIo } from '../parsers';
import type { Target } from '../harness';
import { DICT } from '../mutate';
import { throwawayWorkstation } from './workstation';

const gbk = (hex: string) => Buffer.from(hex.replace(/\s/g, ''), 'hex');
const MEMBERS = 'name,phone,email,birthday,tags,notes\n张三,13800138000,zs@example.com,1990-02-03,vip,"likes ""tea"", green"\nAnna Li,+86 139 0000 1111,,,,\n李四,13800138000,,,,duplicate phone\n,13700000000,,,,no name\n';
const LINKS = 'from,to,kind,toName\n13800138000,13900001111,friend,王五\n13800138000,13700000000,family,\n';

function badLines(bytes: Buffer, encoding: 'utf-8' | 'gbk'): number[] {
  const start = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  const dec = new TextDecoder(encoding, { fatal: true });
  const bad: number[] = [];
  bytes
    .subarray(start)
    .toString('latin1')
    .split('\n')
    .forEach((line, i) => {
      try {
        dec.decode(Buffer.from(line, 'latin1'));
      } catch {
        bad.push(i + 1);
      }
    });
  return bad;
}

export async function csvTarget(): Promise<Target & { close(): void }> {
  const ws = await throwawayWorkstation();
  const io = new CrmIo(ws.core.db, ws.core.crm);
  let now = Date.now();
  const seeds = [
    Buffer.from(MEMBERS, 'utf8'),
    Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(MEMBERS, 'utf8')]),
    Buffer.from(LINKS, 'utf8'),
    // GBK: 姓名,电话 / 张三,13800138000 / 李四,13900001111
    Buffer.concat([gbk('D0D5C3FB'), Buffer.from(','), gbk('B5E7BBB0'), Buffer.from('\r\n'), gbk('D5C5C8FD'), Buffer.from(',13800138000\r\n'), gbk('C0EECBC4'), Buffer.from(',13900001111\r\n')]),
  ];
  return {
    name: 'CRM CSV import',
    seeds,
    dict: DICT.csv,
    // csv-parse reads about a megabyte a second on a busy counter PC, and a
    // pathological file (thousands of lines opening a quote) 10-20 times slower
    // (1.4 s for 64 KB measured): past 16 KB the 1 s hang bound would measure
    // file size, not a hang.
    maxInput: 16 * 1024,
    open(input) {
      const kind = input.length % 4 < 2 ? 'members' : 'relationships';
      const encoding = input.length % 2 === 0 ? 'utf-8' : 'gbk';
      // Each preview is kept until a later one finds it expired: move the clock past the
      // keeping time so the run does not hold a million plans.
      now += 3_600_000;
      let p;
      try {
        p = io.preview(kind, input.toString('base64'), encoding, undefined, now);
      } catch (e) {
        if (isUserError(e)) return 'refused';
        throw e;
      }
      if (p.good > p.rows) return { falseAccept: 'more good rows than rows' };
      if (p.unchanged > p.good) return { falseAccept: 'more unchanged rows than good ones' };
      if (p.issues.length < 2000) {
        const flagged = new Set(p.issues.filter((i) => i.code === 'crm.import.encoding').map((i) => i.line));
        const missed = badLines(input, encoding).find((l) => !flagged.has(l));
        if (missed !== undefined) return { falseAccept: `a line not in ${encoding} read without an encoding issue` };
      }
      return 'accepted';
    },
    close: () => ws.close(),
  };
}
