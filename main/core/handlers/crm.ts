/** Member CRM: members, circles, referral vouchers, rewards, import and export. */
import type { crmCalls } from '../../../preload/api/crm';
import type { Crm } from '../crm';
import { CrmIo, PERSONAL_DATA_WARNING } from '../crm/io';
import type { Deps, HandlerMap } from './types';

export function crmHandlers(deps: Deps & { crm: Crm }): HandlerMap<keyof typeof crmCalls> {
  const { crm, admin, audit, log, emit } = deps;
  const people = crm.people;
  const io = new CrmIo(deps.db, crm);
  const changed = (reason: string) => emit('crm.changed', { reason });
  return {
    'crm.memberAdd': ({ member, allowDuplicate, ...p }) => {
      const now = Date.now();
      people.checkFields(p);
      const dups = people.duplicates(p.phone, p.email);
      if (dups.length && !allowDuplicate) return { member: null, duplicates: dups.map((d) => people.toRow(d)) };
      const row = deps.db.transaction(() => people.insert(p, { member, at: now }))();
      log.info('crm member added', { member });
      changed('member');
      return { member: people.toView(row), duplicates: [] };
    },
    'crm.memberUpdate': ({ id, ...p }) => {
      const row = people.update(id, p, Date.now());
      changed('member');
      return people.toView(row);
    },
    'crm.memberGet': ({ id }) => {
      const m = people.need(id);
      return {
        member: people.toView(m),
        circle: people.circle(m.id, (pid) => crm.referrals.welcomeOf(pid)),
        history: people.history(m.id),
        referral: crm.referrals.status(m.id),
        mergedFrom: people.historyIds(m.id).slice(1),
      };
    },
    'crm.search': (o) => people.search(o),
    'crm.lookupPhone': ({ phone }) => people.lookupPhone(phone).map((r) => people.toRow(r)),
    'crm.duplicates': ({ phone, email }) => people.duplicates(phone, email).map((r) => people.toRow(r)),
    'crm.merge': ({ adminToken, keepId, mergeId }) => {
      admin.require(adminToken, 'owner');
      const row = people.merge(keepId, mergeId, Date.now());
      log.info('crm members merged', {});
      changed('merge');
      return people.toView(row);
    },
    'crm.erase': ({ adminToken, id }) => {
      admin.require(adminToken, 'owner');
      people.erase(id, Date.now());
      log.info('crm member erased', {});
      changed('erase');
      return { ok: true as const };
    },
    'crm.linkAdd': ({ from, to, newPerson, kind, allowDuplicate }) => {
      const now = Date.now();
      people.need(from);
      if (newPerson) {
        people.checkFields(newPerson);
        const dups = people.duplicates(newPerson.phone, newPerson.email);
        if (dups.length && !allowDuplicate) return { linkId: null, person: null, duplicates: dups.map((d) => people.toRow(d)) };
      }
      const out = deps.db.transaction(() => {
        const target = newPerson ? people.insert(newPerson, { member: false, at: now }) : people.need(to!);
        return { linkId: people.linkAdd(from, target.id, kind, now), person: people.toRow(people.row(target.id)!) };
      })();
      changed('link');
      return { ...out, duplicates: [] };
    },
    'crm.linkRemove': ({ linkId }) => {
      people.linkRemove(linkId, Date.now());
      changed('link');
      return { ok: true as const };
    },
    'crm.attach': ({ eventId, memberId }) => {
      people.attach(eventId, memberId, Date.now());
      changed('attach');
      return { ok: true as const };
    },
    'crm.counterSelect': ({ memberId }) => ({ member: crm.counterSelect(memberId, Date.now()) }),
    'crm.counterGet': () => ({ member: crm.counterMember(Date.now()) }),
    'crm.counterScan': async ({ text }) => ({ member: await crm.counterScan(text, Date.now()) }),
    'crm.cardToken': async ({ memberId }) => ({ text: await crm.tokens.card(people.need(memberId).id, Date.now()) }),
    'crm.rulesGet': () => crm.referrals.rules(),
    'crm.rulesSet': ({ adminToken, rules }) => {
      admin.require(adminToken, 'owner');
      return crm.referrals.setRules(rules);
    },
    'crm.referralIssue': async ({ memberId, personIds }) => {
      const out = await crm.referrals.issueWelcome(memberId, personIds, Date.now());
      changed('referral');
      return out;
    },
    'crm.referralStatus': ({ memberId }) => crm.referrals.status(memberId),
    'crm.toGive': () => crm.referrals.toGive(),
    'crm.markGiven': ({ jti }) => {
      crm.referrals.markGiven(jti, Date.now());
      changed('given');
      return { ok: true as const };
    },
    'crm.voucherText': ({ jti }) => ({ text: crm.referrals.text(jti) }),
    'crm.graph': () => crm.referrals.graph(),
    'crm.report': () => crm.referrals.report(),
    'crm.events': ({ limit }) => people.events(limit),
    'crm.importPreview': ({ kind, contentBase64, encoding, mapping }) => io.preview(kind, contentBase64, encoding, mapping, Date.now()),
    'crm.importCommit': ({ token }) => {
      const r = io.commit(token, Date.now());
      log.info('crm import', r);
      changed('import');
      return r;
    },
    'crm.export': ({ adminToken, kind }) => {
      const actor = admin.require(adminToken, 'owner');
      log.info('crm export', { kind });
      audit.record('export', actor, { what: `crm.${kind}` });
      return { csv: io.exportCsv(kind), warning: PERSONAL_DATA_WARNING };
    },
    'crm.backup': ({ adminToken }) => {
      const actor = admin.require(adminToken, 'owner');
      log.info('crm backup', {});
      audit.record('backup', actor, { what: 'crm' });
      return { json: io.backup(crm.referrals.rules()), warning: PERSONAL_DATA_WARNING };
    },
    'crm.restore': ({ adminToken, json }) => {
      admin.require(adminToken, 'owner');
      const r = io.restore(json, Date.now());
      if (r.rules) crm.referrals.setRules(r.rules);
      log.info('crm restored', { members: r.members });
      changed('restore');
      return { members: r.members, links: r.links, vouchers: r.vouchers };
    },
    'crm.settingsGet': () => crm.crmSettings(),
    'crm.settingsSet': ({ adminToken, syncEnabled }) => {
      admin.require(adminToken, 'owner');
      return crm.setCrmSettings({ syncEnabled });
    },
  };
}
