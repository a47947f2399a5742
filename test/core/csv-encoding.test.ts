/**
 * A CSV from a spreadsheet is read in the encoding it is in: UTF-8 with or
 * without a byte order mark, UTF-16 with one, and GBK/GB18030 (a real GBK file
 * made with iconv, test/fixtures/csv/). A GBK members file imports as it is,
 * with no encoding chosen, where it used to come out as "the file is empty".
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeText, detectEncoding } from '../../common/text/encoding';
import type { ImportPreview, ProductView } from '../../preload/contract';
import { FIXTURES, callOk, newWorkstation } from '../support/workstation';

const CSV = join(FIXTURES, 'csv');
const MEMBERS = 'name,phone,tags\n张三,13700000001,常客\n李娜,13700000002,会员\n王小明,13700000003,\n';
const utf16 = (text: string, bigEndian: boolean): Uint8Array => {
  const out = new Uint8Array(2 + text.length * 2);
  out.set(bigEndian ? [0xfe, 0xff] : [0xff, 0xfe]);
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    out.set(bigEndian ? [c >> 8, c & 0xff] : [c & 0xff, c >> 8], 2 + i * 2);
  }
  return out;
};

describe('decodeText', () => {
  const gbk = readFileSync(join(CSV, 'members-gbk.csv'));
  it.each([
    ['GBK (iconv)', gbk, 'gb18030'],
    ['UTF-8', new TextEncoder().encode(MEMBERS), 'utf-8'],
    ['UTF-8 with BOM', Uint8Array.from([0xef, 0xbb, 0xbf, ...new TextEncoder().encode(MEMBERS)]), 'utf-8'],
    ['UTF-16 LE with BOM', utf16(MEMBERS, false), 'utf-16le'],
    ['UTF-16 BE with BOM', utf16(MEMBERS, true), 'utf-16be'],
  ] as const)('%s', (_, bytes, encoding) => {
    expect(detectEncoding(bytes)).toBe(encoding);
    expect(decodeText(bytes).text).toBe(MEMBERS);
  });

  it('a UTF-8 file with one stray GBK line stays UTF-8 (the line is reported, not the file misread)', () => {
    const mixed = Buffer.concat([Buffer.from(MEMBERS), Buffer.from([0xd5, 0xc5, 0xc8, 0xfd]), Buffer.from(',13700000009,\n')]);
    expect(detectEncoding(mixed)).toBe('utf-8');
  });
});

describe('imports', () => {
  let ws: Awaited<ReturnType<typeof newWorkstation>>;
  beforeAll(async () => {
    ws = await newWorkstation();
  });
  afterAll(() => ws.cleanup());

  it('the GBK members file, with no encoding chosen, previews its rows in Chinese without problems', async () => {
    const bytes = readFileSync(join(CSV, 'members-gbk.csv'));
    const p = await callOk<ImportPreview>(ws.core, 'crm.importPreview', { kind: 'members', contentBase64: bytes.toString('base64') });
    expect(p.issues).toEqual([]);
    expect(p.rows).toBe(3);
    expect(p.sample[0]).toEqual({ name: '张三', phone: '13700000001', tags: '常客' });
  });

  it('a UTF-16 members file (Excel "Unicode text") previews as well', async () => {
    const p = await callOk<ImportPreview>(ws.core, 'crm.importPreview', { kind: 'members', contentBase64: Buffer.from(utf16(MEMBERS, false)).toString('base64') });
    expect(p.issues).toEqual([]);
    expect(p.sample[1]).toMatchObject({ name: '李娜' });
  });

  it('the GBK products file, decoded the way the screen and the CLI read it, imports the Chinese names', async () => {
    const { text } = decodeText(readFileSync(join(CSV, 'products-gbk.csv')));
    expect(await callOk(ws.core, 'products.import', { adminToken: ws.token, fileName: 'products-gbk.csv', content: text })).toEqual({ imported: 2 });
    const list = await callOk<ProductView[]>(ws.core, 'products.list', {});
    expect(list.map((p) => p.name).sort()).toEqual(['抹茶蛋糕', '珍珠奶茶'].sort());
  });
});
