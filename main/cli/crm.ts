/**
 * CLI for the member CRM: `members add|find|show|import|export|delete|merge`,
 * `relationships add`, `referrals status [MEMBER]`. Imports preview first and
 * write only with --yes; exports, deletion and merging need the admin passphrase.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { CallInput, MemberRow } from '../../preload/contract';
import { UserError } from '../core/errors';
import type { Core } from '../core/services';

export const CRM_COMMANDS = ['members', 'relationships', 'referrals'];

export const CRM_USAGE = `  members add NAME [--phone P] [--email E] [--tags a,b] [--contact] [--allow-duplicate]
  members find TEXT [--limit N] [--json]    (name prefix, Chinese characters, partial phone)
  members show ID|PHONE [--json]
  members import FILE [--relationships] [--encoding auto|utf-8|gbk] [--yes]   (preview; writes only with --yes)
  members export [--relationships] [--out FILE]                         (personal data: admin)
  members delete ID                                                     (erase personal data: admin)
  members merge KEEP_ID OTHER_ID                                        (OTHER is a duplicate of KEEP: admin)
  relationships add FROM_ID (TO_ID | --name N --phone P) [--kind friend|family|colleague|referred_by|shared]
  referrals status [MEMBER] [--json]`;

export class CrmUsage extends Error {}

const money = (minor: number) => (minor / 100).toFixed(2);
const date = (ms: number | null) => (ms ? new Date(ms).toISOString().slice(0, 10) : '—');

export async function runCrmCommand(
  core: Core,
  command: string,
  args: string[],
  admin: () => Promise<string>,
  out: (line: string) => void,
  err: (line: string) => void,
): Promise<number> {
  const sub = args[0];
  let parsed;
  try {
    parsed = parseArgs({
      args: args.slice(1),
      allowPositionals: true,
      strict: true,
      options: {
        'data-dir': { type: 'string' },
        json: { type: 'boolean' },
        phone: { type: 'string' },
        email: { type: 'string' },
        tags: { type: 'string' },
        contact: { type: 'boolean' },
        'allow-duplicate': { type: 'boolean' },
        limit: { type: 'string' },
        relationships: { type: 'boolean' },
        encoding: { type: 'string' },
        yes: { type: 'boolean' },
        out: { type: 'string' },
        name: { type: 'string' },
        kind: { type: 'string' },
      },
    });
  } catch (e) {
    throw new CrmUsage((e as Error).message);
  }
  const { values: v, positionals: p } = parsed;
  const print = (value: unknown, human: () => string) => out(v.json ? JSON.stringify(value, null, 2) : human());
  const row = (r: MemberRow) => `${r.id}  ${r.name.padEnd(18)} ${(r.phone ?? '').padEnd(16)} L${r.level}  ${r.visits} visit(s)  ${money(r.spend)}  last ${date(r.lastVisit)}  ${r.tags.join(',')}`;

  if (command === 'members') {
    switch (sub) {
      case 'add': {
        if (!p[0]) throw new CrmUsage('members add needs a NAME');
        const r = await core.invoke('crm.memberAdd', {
          name: p[0],
          phone: v.phone ?? null,
          email: v.email ?? null,
          tags: (v.tags ?? '').split(',').filter(Boolean),
          member: !v.contact,
          allowDuplicate: !!v['allow-duplicate'],
        });
        if (!r.member) {
          err('Someone with this phone or e-mail is already here (add --allow-duplicate to add anyway):');
          for (const d of r.duplicates) err('  ' + row(d));
          return 1;
        }
        print(r.member, () => `Added ${r.member!.name}: ${r.member!.id}`);
        return 0;
      }
      case 'find': {
        const r = await core.invoke('crm.search', { q: p.join(' '), limit: Number(v.limit ?? 50), membersOnly: false });
        print(r.rows, () => (r.rows.length ? r.rows.map(row).join('\n') + (r.more ? '\n…' : '') : 'No one found.'));
        return 0;
      }
      case 'show': {
        if (!p[0]) throw new CrmUsage('members show needs an ID or a PHONE');
        let id = p[0];
        if (/^[\d\s+()-]+$/.test(id)) {
          const found = await core.invoke('crm.lookupPhone', { phone: id });
          if (!found[0]) throw new UserError('crm.unknownMember', 'There is no such member.');
          if (found.length > 1) {
            // Never one of them at random: the operator says which.
            err('Several people have this phone number; show one by its ID:');
            for (const d of found) err('  ' + row(d));
            return 1;
          }
          id = found[0].id;
        }
        const d = await core.invoke('crm.memberGet', { id });
        const m = d.member;
        print(d, () =>
          [
            `${m.name}  (${m.id})${m.memberSince ? `  member since ${date(m.memberSince)}` : '  contact'}`,
            `phone ${m.phone ?? '—'}  e-mail ${m.email ?? '—'}  birthday ${m.birthday ?? '—'}  tags ${m.tags.join(',') || '—'}  consent ${m.consent.given ? 'yes' : 'no'}`,
            `visits ${m.visits}  spend ${money(m.spend)}  last visit ${date(m.lastVisit)}  points ${m.points}  level ${m.level}`,
            `circle:`,
            ...d.circle.map((c) => `  ${c.direction === 'out' ? c.kind : `${c.kind} (of)`}  ${c.other.name} ${c.other.phone ?? ''}${c.welcome ? `  welcome voucher${c.welcome.redeemedAt ? ' used' : ''}` : ''}`),
            `referrals: ${d.referral.issued}/${d.referral.maxWelcome} welcome voucher(s), ${d.referral.counted} came, ${d.referral.rewards} reward(s)`,
            `history: ${d.history.length} event(s)`,
          ].join('\n'),
        );
        return 0;
      }
      case 'import': {
        const file = p[0];
        if (!file) throw new CrmUsage('members import needs a FILE');
        const encoding = v.encoding ?? 'auto';
        if (encoding !== 'auto' && encoding !== 'utf-8' && encoding !== 'gbk') throw new CrmUsage('--encoding is auto, utf-8 or gbk');
        const pv = await core.invoke('crm.importPreview', {
          kind: v.relationships ? 'relationships' : 'members',
          contentBase64: readFileSync(file).toString('base64'),
          encoding,
        });
        err(`${pv.rows} row(s): ${pv.good} good (${pv.unchanged} already here), ${pv.issues.length} with problems. Columns: ${Object.entries(pv.mapping).map(([f, c]) => `${f}=${c}`).join(', ')}`);
        for (const i of pv.issues.slice(0, 50)) err(`  ${i.message}`);
        if (pv.issues.length > 50) err(`  … and ${pv.issues.length - 50} more`);
        if (!v.yes) {
          err('Nothing was written. Run again with --yes to import the good rows.');
          return pv.issues.length ? 1 : 0;
        }
        const r = await core.invoke('crm.importCommit', { token: pv.token });
        print(r, () => `Imported: ${r.added} added, ${r.updated} updated, ${r.unchanged} unchanged, ${r.links} relationship(s).`);
        return 0;
      }
      case 'export': {
        const token = await admin();
        const r = await core.invoke('crm.export', { adminToken: token, kind: v.relationships ? 'relationships' : 'members' });
        err(`WARNING: ${r.warning}`);
        if (v.out) writeFileSync(v.out, '\ufeff' + r.csv);
        else out(r.csv.trimEnd());
        return 0;
      }
      case 'delete': {
        if (!p[0]) throw new CrmUsage('members delete needs an ID');
        const token = await admin();
        await core.invoke('crm.erase', { adminToken: token, id: p[0] });
        out(`Personal data of ${p[0]} erased; their redemptions stay in the books, anonymously.`);
        return 0;
      }
      case 'merge': {
        if (!p[0] || !p[1]) throw new CrmUsage('members merge needs KEEP_ID and OTHER_ID');
        const token = await admin();
        const m = await core.invoke('crm.merge', { adminToken: token, keepId: p[0], mergeId: p[1] });
        print(m, () => `Merged ${p[1]} into ${m.name} (${m.id}): one member now, with both histories.`);
        return 0;
      }
      default:
        throw new CrmUsage('members takes add, find, show, import, export, delete or merge');
    }
  }
  if (command === 'relationships') {
    if (sub !== 'add') throw new CrmUsage('relationships takes add');
    const from = p[0];
    if (!from) throw new CrmUsage('relationships add needs FROM_ID and TO_ID (or --name and --phone)');
    // Checked by the contract (an unknown kind is refused as bad input).
    const kind = (v.kind ?? 'friend') as CallInput<'crm.linkAdd'>['kind'];
    const to = p[1];
    if (!to && !v.name) throw new CrmUsage('relationships add needs TO_ID, or --name (and --phone) for a new contact');
    const r = await core.invoke(
      'crm.linkAdd',
      to ? { from, to, kind } : { from, kind, newPerson: { name: v.name!, phone: v.phone ?? null, email: v.email ?? null }, allowDuplicate: !!v['allow-duplicate'] },
    );
    if (!r.person) {
      err('Someone with this phone or e-mail is already here; link them by id, or add --allow-duplicate:');
      for (const d of r.duplicates) err('  ' + row(d));
      return 1;
    }
    print(r, () => (r.linkId ? `Linked: ${kind} ${r.person!.name} (${r.person!.id})` : 'That relationship was already there.'));
    return 0;
  }
  // referrals
  if (sub !== 'status') throw new CrmUsage('referrals takes status');
  if (p[0]) {
    const s = await core.invoke('crm.referralStatus', { memberId: p[0] });
    print(s, () =>
      [
        s.eligible ? `Eligible: ${s.issued}/${s.maxWelcome} welcome voucher(s) issued.` : `Not yet eligible${s.missing.spend ? `: spend ${money(s.missing.spend)} more` : ''}${s.missing.visits ? `${s.missing.spend ? ' or' : ':'} ${s.missing.visits} more visit(s)` : ''}.`,
        `${s.redeemed} redeemed, ${s.counted} counted (first visits), ${s.rewards} reward(s); ${s.toNextReward} more for the next reward.`,
        ...s.vouchers.map((x) => `  ${x.purpose.padEnd(7)} ${x.jti}  ${x.personName || '—'}  ${x.terms}  ${x.redeemedAt ? 'used ' + date(x.redeemedAt) : x.givenAt ? 'handed over' : 'to give'}`),
      ].join('\n'),
    );
    return 0;
  }
  const rep = await core.invoke('crm.report', {});
  const give = await core.invoke('crm.toGive', {});
  print({ report: rep, toGive: give }, () =>
    [
      `Welcome vouchers: ${rep.totals.issued} issued, ${rep.totals.redeemed} redeemed (${Math.round(rep.totals.conversion * 100)}%); rewards: ${rep.totals.rewards}.`,
      ...rep.perMonth.map((m) => `  ${m.month}  issued ${m.issued}  redeemed ${m.redeemed}`),
      `To give (${give.length}):`,
      ...give.map((g) => `  ${g.purpose.padEnd(7)} ${g.jti}  for ${g.purpose === 'reward' ? g.memberName : `${g.personName} (from ${g.memberName})`}  ${g.terms}`),
    ].join('\n'),
  );
  return 0;
}
