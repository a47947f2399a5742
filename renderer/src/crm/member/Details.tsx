/** A member's details (contact, handles, tags, notes, consent): editing, making a contact a member, erasing. */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { maskId } from '../../../../common/people/mask';
import type { MemberDetail } from '../../../../preload/contract';
import { useAdmin, withAdmin } from '../../components/AdminGate';
import { Field } from '../../components/Field';
import { useApp } from '../../context';
import { formatDateTime } from '../../format';
import type { Run } from './run';

/**
 * When consent was given, to show beside the box: only while it is given and
 * still ticked (a box left unticked was never "given", whatever date the record holds).
 */
export function consentGivenAt(consent: { given: boolean; at: number | null }, ticked: boolean): number | null {
  return consent.given && ticked ? consent.at : null;
}

export function Details({ d, run }: { d: MemberDetail; run: Run }) {
  const { api, language } = useApp();
  const gate = useAdmin();
  const { t } = useTranslation('crm');
  const m = d.member;
  const [f, setF] = useState({
    name: m.name,
    phone: m.phone ?? '',
    email: m.email ?? '',
    wechat: m.handles.wechat ?? '',
    qq: m.handles.qq ?? '',
    birthday: m.birthday ?? '',
    tags: m.tags.join(', '),
    notes: m.notes,
    consent: m.consent.given,
    how: m.consent.how,
  });
  const consentAt = consentGivenAt(m.consent, f.consent);
  const set = (k: keyof typeof f) => (e: { target: { value: string; checked?: boolean; type?: string } }) =>
    setF((o) => ({ ...o, [k]: e.target.type === 'checkbox' ? !!e.target.checked : e.target.value }));
  const save = () =>
    run(
      () =>
        api.call('crm.memberUpdate', {
          id: m.id,
          name: f.name,
          phone: f.phone || null,
          email: f.email || null,
          birthday: f.birthday || null,
          handles: Object.fromEntries(Object.entries({ wechat: f.wechat, qq: f.qq }).filter(([, v]) => v)),
          tags: f.tags.split(/[,，;]/).map((s) => s.trim()).filter(Boolean),
          notes: f.notes,
          ...(f.consent !== m.consent.given || f.how !== m.consent.how ? { consent: { given: f.consent, how: f.how } } : {}),
        }),
      t('member.saved'),
    );
  const erase = () =>
    run(async () => {
      if (!window.confirm(t('member.eraseConfirm', { name: m.name }))) return;
      await withAdmin(gate, (adminToken) => api.call('crm.erase', { adminToken, id: m.id }));
    }, t('member.erased'));
  return (
    <form
      className="panel"
      data-testid="crm-details"
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <h2 className="panel__title">{t('member.details')}</h2>
      <div className="form-grid">
        <Field label={t('add.name')}>
          <input className="input" value={f.name} onChange={set('name')} required />
        </Field>
        <Field label={t('add.phone')}>
          <input className="input" value={f.phone} onChange={set('phone')} data-testid="crm-edit-phone" />
        </Field>
        <Field label={t('member.email')}>
          <input className="input" value={f.email} onChange={set('email')} />
        </Field>
        <Field label={t('member.wechat')}>
          <input className="input" value={f.wechat} onChange={set('wechat')} />
        </Field>
        <Field label={t('member.qq')}>
          <input className="input" value={f.qq} onChange={set('qq')} />
        </Field>
        <Field label={t('member.birthday')}>
          <input className="input" value={f.birthday} onChange={set('birthday')} placeholder="1990-05-01" />
        </Field>
        <Field label={t('member.tags')}>
          <input className="input" value={f.tags} onChange={set('tags')} />
        </Field>
        <Field label={t('member.consentHow')}>
          <input className="input" value={f.how} onChange={set('how')} />
        </Field>
      </div>
      <Field label={t('member.notes')}>
        <textarea className="input" rows={2} value={f.notes} onChange={set('notes')} />
      </Field>
      <label className="check">
        <input type="checkbox" checked={f.consent} onChange={set('consent')} />
        {t('member.consent')}
        {/* When it was given, only while it is (a box left unticked was never "given"). */}
        {consentAt !== null ? (
          <span className="muted" data-testid="crm-consent-at">
            {' '}
            · {t('member.consentAt', { date: formatDateTime(consentAt, language) })}
          </span>
        ) : null}
      </label>
      <p className="muted">
        {t('app:labelled', { label: t('member.holders') })}<span className="mono">{m.holders.map(maskId).join(', ')}</span>
        {d.mergedFrom.length ? ` · ${t('member.mergedFrom', { count: d.mergedFrom.length })}` : ''}
      </p>
      <div className="button-row">
        <button type="submit" className="button button--primary" data-testid="crm-save">
          {t('member.save')}
        </button>
        {m.memberSince === null ? (
          <button type="button" className="button" onClick={() => void run(() => api.call('crm.memberUpdate', { id: m.id, member: true }))}>
            {t('member.makeMember')}
          </button>
        ) : null}
        <button type="button" className="button button--danger-outline" onClick={() => void erase()} data-testid="crm-erase">
          {t('member.erase')}
        </button>
      </div>
    </form>
  );
}
