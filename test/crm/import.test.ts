import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImportPreview } from '../../preload/contract';
import type { Core } from '../../main/core/services';
import { callErr, callOk, newWorkstation } from '../support/workstation';

// CSV import of 10,000 members and 30,000 relationships, with bad rows of every kind.
let core: Core;
let token: string;
let cleanup: () => void;
beforeAll(async () => {
  ({ core, token, cleanup } = await newWorkstation({ keysFile: null }));
}, 60_000);
afterAll(() => cleanup?.());

const N = 10_000;
const phone = (i: number) => `139${String(i).padStart(8, '0')}`;
const names = ['王伟', '李娜', 'Zhang Wei', 'Liu Yang', '陈静', 'Anna Smith'];

/** Members CSV as bytes; returns the lines that are bad and why. */
function membersCsv(): { bytes: Buffer; bad: Map<number, string> } {
  const bad = new Map<number, string>();
  const parts: Buffer[] = [Buffer.from('姓名,手机,email,tags,birthday\n')];
  let line = 1;
  for (let i = 0; i < N; i++) {
    line++;
    let row = `${names[i % names.length]} ${i},${phone(i)},m${i}@example.com,${i % 10 === 0 ? 'vip;regular' : 'regular'},1990-01-0${(i % 9) + 1}\n`;
    if (i % 1000 === 1) {
      row = `Bad Phone ${i},12-34,,regular,\n`;
      bad.set(line, 'crm.import.badPhone');
    } else if (i % 1000 === 2) {
      row = `,${phone(i)},,regular,\n`;
      bad.set(line, 'crm.import.nameRequired');
    } else if (i % 1000 === 3) {
      row = `Twin ${i},${phone(i - 3)},,regular,\n`; // the same phone as three lines up
      bad.set(line, 'crm.import.duplicateInFile');
    } else if (i % 1000 === 4) {
      parts.push(Buffer.concat([new TextEncoder().encode(''), Buffer.from([0xd5, 0xc5, 0xc8, 0xfd]), Buffer.from(`,${phone(i)},,regular,\n`)])); // 张三 in GBK
      bad.set(line, 'crm.import.encoding');
      continue;
    }
    parts.push(Buffer.from(row));
  }
  return { bytes: Buffer.concat(parts), bad };
}

function linksCsv(): { bytes: Buffer; bad: Map<number, string> } {
  const bad = new Map<number, string>();
  const rows = ['member phone,contact phone,contact name,relationship'];
  let line = 1;
  for (let j = 0; j < 30_000; j++) {
    line++;
    const from = phone((j % (N / 10)) * 10); // good members only (multiples of 10 are never bad rows)
    let row = `${from},188${String(j).padStart(8, '0')},Friend ${j},${['friend', '家人', 'colleague'][j % 3]}`;
    if (j % 3000 === 5) {
      row = `${from},188${String(j).padStart(8, '0')},Friend ${j},enemy`;
      bad.set(line, 'crm.import.badKind');
    } else if (j % 3000 === 6) {
      row = `17700000000,188${String(j).padStart(8, '0')},Friend ${j},friend`;
      bad.set(line, 'crm.import.unknownMember');
    } else if (j % 3000 === 7) {
      row = `${from},not-a-phone,Friend ${j},friend`;
      bad.set(line, 'crm.import.badPhone');
    }
    rows.push(row);
  }
  return { bytes: Buffer.from(rows.join('\r\n') + '\r\n'), bad };
}

const count = (sql: string) => (core.db.prepare(sql).get() as { n: number }).n;

describe('CSV import', () => {
  it('previews 10,000 members without writing, lists each bad row, imports the good ones on confirm, and a re-import changes nothing', async () => {
    const { bytes, bad } = membersCsv();
    const p = await callOk<ImportPreview>(core, 'crm.importPreview', { kind: 'members', contentBase64: bytes.toString('base64') });
    expect(p.mapping).toMatchObject({ name: '姓名', phone: '手机', email: 'email', tags: 'tags' });
    expect(count('SELECT count(*) AS n FROM crm_people')).toBe(0); // nothing written by a preview
    expect(new Map(p.issues.map((i) => [i.line, i.code]))).toEqual(bad);
    expect(p.good).toBe(N - bad.size);
    const r = await callOk<{ added: number }>(core, 'crm.importCommit', { token: p.token });
    expect(r.added).toBe(N - bad.size);
    expect(count('SELECT count(*) AS n FROM crm_people WHERE member_since IS NOT NULL')).toBe(N - bad.size);
    // The token is spent.
    expect((await callErr(core, 'crm.importCommit', { token: p.token })).code).toBe('crm.import.expired');

    const before = JSON.stringify(core.db.prepare('SELECT * FROM crm_people ORDER BY id').all());
    const again = await callOk<ImportPreview>(core, 'crm.importPreview', { kind: 'members', contentBase64: bytes.toString('base64') });
    expect(again.unchanged).toBe(N - bad.size);
    const r2 = await callOk<{ added: number; updated: number; unchanged: number }>(core, 'crm.importCommit', { token: again.token });
    expect(r2).toMatchObject({ added: 0, updated: 0, unchanged: N - bad.size });
    expect(JSON.stringify(core.db.prepare('SELECT * FROM crm_people ORDER BY id').all())).toBe(before);

    const found = await callOk<{ rows: { name: string; tags: string[] }[] }>(core, 'crm.search', { q: '李娜 1', tag: 'regular' });
    expect(found.rows.length).toBeGreaterThan(0);
    expect(found.rows.every((x) => x.name.startsWith('李娜 1') && x.tags.includes('regular'))).toBe(true);
  }, 120_000);

  it('the GBK file imports when the owner says it is GBK', async () => {
    const gbk = Buffer.concat([Buffer.from('name,phone\n'), Buffer.from([0xd5, 0xc5, 0xc8, 0xfd]), Buffer.from(',13700000001\n')]);
    const asUtf8 = await callOk<ImportPreview>(core, 'crm.importPreview', { kind: 'members', contentBase64: gbk.toString('base64'), encoding: 'utf-8' });
    expect(asUtf8.issues.map((i) => i.code)).toEqual(['crm.import.encoding']);
    const p = await callOk<ImportPreview>(core, 'crm.importPreview', { kind: 'members', contentBase64: gbk.toString('base64'), encoding: 'gbk' });
    expect(p.issues).toEqual([]);
    expect(p.sample[0]).toEqual({ name: '张三', phone: '13700000001' });
  });

  it('imports 30,000 relationships (new contacts made from name and phone), reporting bad rows; a re-import changes nothing', async () => {
    const { bytes, bad } = linksCsv();
    const people = count('SELECT count(*) AS n FROM crm_people');
    const p = await callOk<ImportPreview>(core, 'crm.importPreview', { kind: 'relationships', contentBase64: bytes.toString('base64') });
    expect(p.mapping).toMatchObject({ from: 'member phone', to: 'contact phone', toName: 'contact name', kind: 'relationship' });
    expect(new Map(p.issues.map((i) => [i.line, i.code]))).toEqual(bad);
    expect(count('SELECT count(*) AS n FROM crm_links')).toBe(0);
    const r = await callOk<{ links: number; added: number }>(core, 'crm.importCommit', { token: p.token });
    expect(r.links).toBe(30_000 - bad.size);
    expect(r.added).toBe(30_000 - bad.size);
    expect(count('SELECT count(*) AS n FROM crm_people')).toBe(people + r.added);
    expect(count("SELECT count(*) AS n FROM crm_links WHERE kind = 'family'")).toBeGreaterThan(9000);

    const links = count('SELECT count(*) AS n FROM crm_links');
    const again = await callOk<ImportPreview>(core, 'crm.importPreview', { kind: 'relationships', contentBase64: bytes.toString('base64') });
    const r2 = await callOk<{ links: number; added: number }>(core, 'crm.importCommit', { token: again.token });
    expect(r2).toMatchObject({ links: 0, added: 0 });
    expect(count('SELECT count(*) AS n FROM crm_links')).toBe(links);
  }, 180_000);

  it('exports warn about personal data, and a backup restores the whole CRM', async () => {
    const ex = await callOk<{ csv: string; warning: string }>(core, 'crm.export', { adminToken: token, kind: 'members' });
    expect(ex.warning).toMatch(/personal data/);
    expect(ex.csv.split('\n')[0]).toContain('name,phone,email');
    expect((await callErr(core, 'crm.export', { adminToken: 'x', kind: 'members' })).code).toMatch(/^admin\./);
    const b = await callOk<{ json: string }>(core, 'crm.backup', { adminToken: token });
    const people = count('SELECT count(*) AS n FROM crm_people');
    const links = count('SELECT count(*) AS n FROM crm_links');
    expect((await callErr(core, 'crm.restore', { adminToken: token, json: '{"format":"other"}' })).code).toBe('crm.backup.unreadable');
    expect(count('SELECT count(*) AS n FROM crm_people')).toBe(people);
    core.db.prepare('DELETE FROM crm_links').run();
    const r = await callOk<{ members: number; links: number }>(core, 'crm.restore', { adminToken: token, json: b.json });
    expect(r).toMatchObject({ members: people, links });
    expect(count('SELECT count(*) AS n FROM crm_links')).toBe(links);
    const found = await callOk<{ rows: unknown[] }>(core, 'crm.search', { q: '13900000010' });
    expect(found.rows).toHaveLength(1);
  }, 120_000);
});
