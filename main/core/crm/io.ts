import { randomBytes } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import {
  CSV_LINK_FIELDS,
  CSV_MEMBER_FIELDS,
  type ImportIssue,
  type ImportPreview,
  type LinkKind,
  type ReferralRules,
} from '../../../preload/api/crm';
import type { ErrorCode } from '../../../preload/api/errors';
import type { Db } from '../db/open';
import { decodeText, detectEncoding } from '../../../common/text/encoding';
import { UserError } from '../errors';
import { backupJson, exportCsv, PERSONAL_DATA_WARNING, restoreBackup } from './backup';
import type { Crm } from './index';
import type { PersonInput, PersonRow } from './crm';
import { badEmail, badPhone, cleanTags, normBirthday, normEmail, normPhone } from './normalize';

/**
 * CSV import: preview, then commit (nothing is written before the owner
 * confirms). CSV export and the JSON backup of the whole CRM are in backup.ts;
 * this class is their one door for the handlers.
 */

export { PERSONAL_DATA_WARNING };

/** Header names recognised for each field (lower case), English and Chinese. */
const ALIASES: Record<string, string[]> = {
  id: ['id', 'member id', '会员号', '会员编号'],
  name: ['name', 'full name', '姓名', '名字', '名称'],
  phone: ['phone', 'mobile', 'tel', 'telephone', '电话', '手机', '手机号', '手机号码'],
  email: ['email', 'e-mail', 'mail', '邮箱', '电子邮件'],
  birthday: ['birthday', 'birth date', 'date of birth', '生日', '出生日期'],
  tags: ['tags', 'tag', '标签'],
  notes: ['notes', 'note', 'remarks', '备注'],
  wechat: ['wechat', 'weixin', '微信'],
  qq: ['qq'],
  consent: ['consent', '同意', '同意联系'],
  memberSince: ['member since', 'membersince', 'joined', '入会日期', '加入日期'],
  from: ['from', 'member', 'member phone', 'from phone', '会员', '会员电话'],
  to: ['to', 'contact', 'contact phone', 'to phone', 'friend phone', '联系人电话', '联系人'],
  toName: ['to name', 'toname', 'contact name', 'friend name', '联系人姓名'],
  kind: ['kind', 'relationship', 'relation', 'type', '关系'],
};

const KIND_WORDS: Record<string, LinkKind> = {
  friend: 'friend',
  family: 'family',
  colleague: 'colleague',
  referred_by: 'referred_by',
  'referred by': 'referred_by',
  shared: 'shared',
  朋友: 'friend',
  好友: 'friend',
  家人: 'family',
  亲属: 'family',
  同事: 'colleague',
  推荐人: 'referred_by',
  分享: 'shared',
};

interface MemberPlan {
  line: number;
  action: 'add' | 'update' | 'unchanged';
  id?: string;
  input: PersonInput;
  memberSince: number | null;
}
interface LinkPlan {
  line: number;
  from: string;
  to: string | null;
  toNew: PersonInput | null;
  kind: LinkKind;
}
type Plan = { kind: 'members'; rows: MemberPlan[] } | { kind: 'relationships'; rows: LinkPlan[] };

const PREVIEW_TTL_MS = 30 * 60 * 1000;

function issue(line: number, code: ErrorCode, message: string, params?: Record<string, string | number>): ImportIssue {
  return params ? { line, code, message, params } : { line, code, message };
}

/** The owner's choice of encoding, or (auto) the one the file is in; see decodeLines. */
export function decodeFile(bytes: Buffer, encoding: 'auto' | 'utf-8' | 'gbk'): { text: string; bad: number[] } {
  if (encoding !== 'auto') return decodeLines(bytes, encoding);
  const found = detectEncoding(bytes);
  if (found === 'utf-8' || found === 'gb18030') return decodeLines(bytes, found);
  return decodeLines(Buffer.from(decodeText(bytes).text, 'utf8'), 'utf-8'); // UTF-16, told by its byte order mark
}

/** Decodes the file line by line so that a line in another encoding is reported, not turned into mojibake. */
export function decodeLines(bytes: Buffer, encoding: 'utf-8' | 'gbk' | 'gb18030'): { text: string; bad: number[] } {
  let start = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  const out: string[] = [];
  const bad: number[] = [];
  const dec = new TextDecoder(encoding, { fatal: true });
  let line = 1;
  while (start <= bytes.length) {
    let end = bytes.indexOf(0x0a, start);
    if (end === -1) end = bytes.length;
    const chunk = bytes.subarray(start, end);
    try {
      out.push(dec.decode(chunk));
    } catch {
      bad.push(line);
      out.push('');
    }
    line++;
    start = end + 1;
  }
  return { text: out.join('\n'), bad };
}

export class CrmIo {
  private previews = new Map<string, { plan: Plan; at: number }>();

  constructor(
    private readonly db: Db,
    private readonly crm: Crm,
  ) {}

  preview(kind: 'members' | 'relationships', contentBase64: string, encoding: 'auto' | 'utf-8' | 'gbk', mapping: Record<string, string> | undefined, now: number): ImportPreview {
    const bytes = Buffer.from(contentBase64, 'base64');
    const { text, bad } = decodeFile(bytes, encoding);
    let records: { record: string[]; info: { lines: number } }[];
    try {
      records = parse(text, { info: true, relax_column_count: true, skip_empty_lines: true, trim: true, bom: true }) as unknown as typeof records;
    } catch (e) {
      throw new UserError('crm.import.unreadable', 'The file could not be read as CSV.', { detail: e instanceof Error ? e.message.slice(0, 120) : '' });
    }
    if (records.length === 0) throw new UserError('crm.import.empty', 'The file is empty.');
    const header = records[0]!.record;
    const fields = kind === 'members' ? CSV_MEMBER_FIELDS : CSV_LINK_FIELDS;
    const map: Record<string, string> = {};
    for (const f of fields) {
      const given = mapping?.[f];
      if (given !== undefined) {
        if (given !== '' && !header.includes(given)) throw new UserError('crm.import.noSuchColumn', `The file has no column "${given}".`, { column: given });
        if (given !== '') map[f] = given;
        continue;
      }
      const col = header.find((h) => (ALIASES[f] ?? [f.toLowerCase()]).includes(h.trim().toLowerCase()));
      if (col) map[f] = col;
    }
    if (kind === 'members' && !map.name) throw new UserError('crm.import.needName', 'Choose the column that holds the names.');
    if (kind === 'relationships' && (!map.from || !map.to)) throw new UserError('crm.import.needFromTo', 'Choose the columns for the member and the contact (phone numbers or member ids).');
    const idx = Object.fromEntries(Object.entries(map).map(([f, c]) => [f, header.indexOf(c)]));
    const get = (rec: string[], f: string): string => (idx[f] === undefined ? '' : (rec[idx[f]!] ?? '').trim());

    const issues: ImportIssue[] = bad.map((l) => issue(l, 'crm.import.encoding', `Line ${l} is not ${encoding.toUpperCase()} text (save the file as UTF-8, or choose GBK).`, { line: l }));
    const sample: Record<string, string>[] = [];
    const body = records.slice(1);
    let plan: Plan;
    if (kind === 'members') plan = { kind, rows: this.planMembers(body, get, issues) };
    else plan = { kind, rows: this.planLinks(body, get, issues) };
    for (const r of body.slice(0, 10)) sample.push(Object.fromEntries(header.map((h, i) => [h, r.record[i] ?? ''])));
    issues.sort((a, b) => a.line - b.line);

    for (const [t, p] of this.previews) if (now - p.at > PREVIEW_TTL_MS) this.previews.delete(t);
    const token = randomBytes(16).toString('base64url');
    this.previews.set(token, { plan, at: now });
    const unchanged = plan.kind === 'members' ? plan.rows.filter((r) => r.action === 'unchanged').length : 0;
    return {
      token,
      kind,
      columns: header,
      mapping: map,
      rows: body.length + bad.filter((l) => !body.some((r) => r.info.lines === l)).length,
      good: plan.rows.length,
      unchanged,
      issues: issues.slice(0, 2000),
      sample,
    };
  }

  private planMembers(body: { record: string[]; info: { lines: number } }[], get: (r: string[], f: string) => string, issues: ImportIssue[]): MemberPlan[] {
    const seenPhone = new Map<string, number>();
    const seenEmail = new Map<string, number>();
    const out: MemberPlan[] = [];
    for (const { record, info } of body) {
      const line = info.lines;
      const name = get(record, 'name');
      const phone = get(record, 'phone');
      const email = get(record, 'email');
      const birthday = get(record, 'birthday');
      if (!name) {
        issues.push(issue(line, 'crm.import.nameRequired', `Line ${line}: the name is missing.`, { line }));
        continue;
      }
      if (badPhone(phone)) {
        issues.push(issue(line, 'crm.import.badPhone', `Line ${line}: "${phone.slice(0, 30)}" is not a phone number.`, { line, value: phone.slice(0, 30) }));
        continue;
      }
      if (badEmail(email)) {
        issues.push(issue(line, 'crm.import.badEmail', `Line ${line}: "${email.slice(0, 60)}" is not an e-mail address.`, { line, value: email.slice(0, 60) }));
        continue;
      }
      if (birthday && !normBirthday(birthday)) {
        issues.push(issue(line, 'crm.import.badBirthday', `Line ${line}: "${birthday.slice(0, 20)}" is not a date (YYYY-MM-DD).`, { line, value: birthday.slice(0, 20) }));
        continue;
      }
      const pn = normPhone(phone);
      const en = normEmail(email);
      const twin = (pn && seenPhone.get(pn)) || (en && seenEmail.get(en));
      if (twin) {
        issues.push(issue(line, 'crm.import.duplicateInFile', `Line ${line}: the same phone or e-mail as line ${twin}.`, { line, other: twin }));
        continue;
      }
      if (pn) seenPhone.set(pn, line);
      if (en) seenEmail.set(en, line);
      const handles: Record<string, string> = {};
      if (get(record, 'wechat')) handles.wechat = get(record, 'wechat');
      if (get(record, 'qq')) handles.qq = get(record, 'qq');
      const consentRaw = get(record, 'consent').toLowerCase();
      const sinceRaw = get(record, 'memberSince');
      const since = sinceRaw ? Date.parse(sinceRaw) : NaN;
      const input: PersonInput = {
        name,
        phone: phone || null,
        email: email || null,
        birthday: birthday || null,
        tags: cleanTags(get(record, 'tags').split(/[;,，；|]/)),
        notes: get(record, 'notes'),
        handles,
        ...(consentRaw ? { consent: { given: ['yes', 'y', '1', 'true', '是', '同意'].includes(consentRaw), how: 'import' } } : {}),
      };
      const idCol = get(record, 'id');
      const existing = (idCol ? this.crm.people.resolve(idCol) : null) ?? this.crm.people.duplicates(phone, email)[0] ?? null;
      if (existing && !existing.erased_at) {
        out.push({ line, action: sameAs(existing, input) ? 'unchanged' : 'update', id: existing.id, input, memberSince: Number.isFinite(since) ? since : null });
      } else out.push({ line, action: 'add', input, memberSince: Number.isFinite(since) ? since : null });
    }
    return out;
  }

  private person(key: string): PersonRow | null {
    const byId = this.crm.people.resolve(key);
    if (byId && !byId.erased_at) return byId;
    const pn = normPhone(key);
    return pn ? (this.crm.people.duplicates(key, null)[0] ?? null) : null;
  }

  private planLinks(body: { record: string[]; info: { lines: number } }[], get: (r: string[], f: string) => string, issues: ImportIssue[]): LinkPlan[] {
    const out: LinkPlan[] = [];
    const seen = new Set<string>();
    for (const { record, info } of body) {
      const line = info.lines;
      const fromKey = get(record, 'from');
      const toKey = get(record, 'to');
      const kindRaw = get(record, 'kind').toLowerCase() || 'friend';
      const kind = KIND_WORDS[kindRaw];
      if (!kind) {
        issues.push(issue(line, 'crm.import.badKind', `Line ${line}: "${kindRaw.slice(0, 20)}" is not a relationship (friend, family, colleague, referred_by, shared).`, { line, value: kindRaw.slice(0, 20) }));
        continue;
      }
      const from = fromKey ? this.person(fromKey) : null;
      if (!from) {
        issues.push(issue(line, 'crm.import.unknownMember', `Line ${line}: no member "${fromKey.slice(0, 30)}".`, { line, value: fromKey.slice(0, 30) }));
        continue;
      }
      if (!toKey) {
        issues.push(issue(line, 'crm.import.missingContact', `Line ${line}: the contact is missing.`, { line }));
        continue;
      }
      const to = this.person(toKey);
      let toNew: PersonInput | null = null;
      if (!to) {
        if (badPhone(toKey) || !normPhone(toKey)) {
          issues.push(issue(line, 'crm.import.badPhone', `Line ${line}: "${toKey.slice(0, 30)}" is not a phone number.`, { line, value: toKey.slice(0, 30) }));
          continue;
        }
        const toName = get(record, 'toName');
        if (!toName) {
          issues.push(issue(line, 'crm.import.nameRequired', `Line ${line}: the contact's name is missing.`, { line }));
          continue;
        }
        toNew = { name: toName, phone: toKey };
      }
      if (to && to.id === from.id) {
        issues.push(issue(line, 'crm.import.selfLink', `Line ${line}: a person cannot be linked to themself.`, { line }));
        continue;
      }
      const key = `${from.id}|${to?.id ?? normPhone(toKey)}|${kind}`;
      if (seen.has(key)) {
        issues.push(issue(line, 'crm.import.duplicateInFile', `Line ${line}: the same relationship appears earlier in the file.`, { line, other: 0 }));
        continue;
      }
      seen.add(key);
      out.push({ line, from: from.id, to: to?.id ?? null, toNew, kind });
    }
    return out;
  }

  commit(token: string, now: number): { added: number; updated: number; unchanged: number; links: number; skipped: number } {
    const p = this.previews.get(token);
    if (!p || now - p.at > PREVIEW_TTL_MS) throw new UserError('crm.import.expired', 'This preview has expired or was already imported: preview the file again.');
    this.previews.delete(token);
    const people = this.crm.people;
    const res = { added: 0, updated: 0, unchanged: 0, links: 0, skipped: 0 };
    this.db
      .transaction(() => {
        if (p.plan.kind === 'members') {
          for (const r of p.plan.rows) {
            if (r.action === 'unchanged') {
              res.unchanged++;
              continue;
            }
            const existing = r.id ? people.resolve(r.id) : (people.duplicates(r.input.phone, r.input.email)[0] ?? null);
            if (existing && !existing.erased_at) {
              if (sameAs(existing, r.input)) res.unchanged++;
              else {
                people.update(existing.id, { ...r.input, member: true }, now);
                res.updated++;
              }
            } else {
              people.insert(r.input, { member: true, at: now, memberSince: r.memberSince });
              res.added++;
            }
          }
        } else {
          for (const r of p.plan.rows) {
            let to = r.to;
            if (!to && r.toNew) {
              const dup = people.duplicates(r.toNew.phone, null)[0];
              to = dup ? dup.id : people.insert(r.toNew, { member: false, at: now }).id;
              if (!dup) res.added++;
            }
            if (!to || to === r.from) {
              res.skipped++;
              continue;
            }
            if (people.linkAdd(r.from, to, r.kind, now)) res.links++;
            else res.unchanged++;
          }
        }
      })
      .immediate();
    return res;
  }

  exportCsv(kind: 'members' | 'relationships'): string {
    return exportCsv(this.db, kind);
  }

  backup(rules: ReferralRules): string {
    return backupJson(this.db, rules);
  }

  /** Replaces the CRM with a backup, in one transaction; a broken file changes nothing. */
  restore(json: string, now: number): { members: number; links: number; vouchers: number; rules: ReferralRules | null } {
    return restoreBackup(this.db, this.crm.people, json, now);
  }
}

function sameAs(r: PersonRow, p: PersonInput): boolean {
  const tags = JSON.stringify(cleanTags(p.tags ?? []));
  return (
    r.name === p.name.trim() &&
    (r.phone ?? '') === (p.phone?.trim() ?? '') &&
    (r.email ?? '') === (p.email?.trim() ?? '') &&
    (r.birthday ?? null) === normBirthday(p.birthday) &&
    r.tags === tags &&
    r.notes === (p.notes ?? '') &&
    r.handles === JSON.stringify(p.handles ?? {}) &&
    (p.consent === undefined || (r.consent === 1) === p.consent.given)
  );
}
