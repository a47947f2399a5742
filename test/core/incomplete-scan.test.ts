/**
 * A scan cut short says "incomplete scan: scan again", not "not a voucher":
 * real GBV1 and GBV2 vouchers cut at many places answer with the detail
 * `incompleteScan`; texts that are no voucher at all keep the plain MALFORMED,
 * and a paste far longer than any voucher says `tooLong`.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VerifyResult } from '../../preload/contract';
import { FIXTURES, VECTORS, callOk, newWorkstation } from '../support/workstation';

type Vectors = typeof VECTORS;
const V2 = JSON.parse(readFileSync(join(FIXTURES, 'vectors-v2', 'vectors.json'), 'utf8')) as Vectors;

/** Cut points over the whole text: just after the prefix, inside each part, one character short. */
function cuts(text: string): number[] {
  const at = new Set<number>([5, 6, 9, text.length - 1, text.length - 2, text.length - 5]);
  for (let n = 10; n < text.length; n += 37) at.add(n);
  // Around every part boundary of a GBV1 JWE.
  for (let i = text.indexOf('.'); i !== -1; i = text.indexOf('.', i + 1)) [i, i + 1, i + 2].forEach((n) => at.add(n));
  return [...at].filter((n) => n >= 5 && n < text.length).sort((a, b) => a - b);
}

for (const [format, vectors, keysFile] of [
  ['GBV1', VECTORS, join(FIXTURES, 'vectors', 'keys.json')],
  ['GBV2', V2, join(FIXTURES, 'vectors-v2', 'keys.json')],
] as const) {
  describe(`${format}: a voucher cut short`, () => {
    let ws: Awaited<ReturnType<typeof newWorkstation>>;
    beforeAll(async () => {
      ws = await newWorkstation({ keysFile });
    });
    afterAll(() => ws.cleanup());
    const verify = (text: string) => callOk<VerifyResult>(ws.core, 'voucher.verify', { text, now: vectors.now });

    const valid = vectors.vectors.filter((v) => v.expect === 'VALID' && !v.pin).slice(0, 3);
    it('has real vouchers to cut', () => expect(valid.length).toBe(3));

    for (const v of valid) {
      it(`${v.name}: every cut says incompleteScan`, async () => {
        expect(v.text.startsWith(`${format}:`)).toBe(true);
        const points = cuts(v.text);
        expect(points.length).toBeGreaterThan(8);
        for (const n of points) {
          const r = await verify(v.text.slice(0, n));
          expect(r.detail, `cut at ${n} of ${v.text.length}`).toEqual({ reason: 'incompleteScan' });
          expect(['MALFORMED', 'DECRYPT_FAILED']).toContain(r.verdict);
        }
        expect((await verify(v.text)).verdict).toBe('VALID');
      });
    }

    it('what is no voucher stays plain MALFORMED', async () => {
      for (const text of ['6901234567892', '', 'hello world', `${format}:??`, `${format}:${'%'.repeat(40)}`]) {
        expect(await verify(text), text).toEqual({ verdict: 'MALFORMED' });
      }
    });

    it('a paste far longer than any voucher says tooLong', async () => {
      expect(await verify(`${valid[0]!.text}${'A'.repeat(5000)}`)).toEqual({ verdict: 'MALFORMED', detail: { reason: 'tooLong' } });
    });
  });
}
