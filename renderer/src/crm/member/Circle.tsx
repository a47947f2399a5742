/** A member's circle: friends and family, each with their welcome voucher, and adding one. */
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { LINK_KINDS, type LinkKind, type MemberDetail } from '../../../../preload/contract';
import { Field } from '../../components/Field';
import { useApp } from '../../context';
import { PersonPicker } from '../PersonPicker';
import type { Run } from './run';

export function Circle({ d, onOpen, run }: { d: MemberDetail; onOpen(id: string): void; run: Run }) {
  const { api } = useApp();
  const { t } = useTranslation('crm');
  const [name, setName] = useState('');
  const [phone, setPhone] = useState('');
  const [kind, setKind] = useState<LinkKind>('friend');
  const [dups, setDups] = useState<{ id: string; name: string; phone: string | null }[]>([]);
  const add = (allowDuplicate: boolean, to?: string) =>
    run(async () => {
      const r = await api.call(
        'crm.linkAdd',
        to ? { from: d.member.id, to, kind } : { from: d.member.id, kind, newPerson: { name, phone: phone || null }, allowDuplicate },
      );
      if (r.duplicates.length) {
        setDups(r.duplicates);
        return;
      }
      setDups([]);
      setName('');
      setPhone('');
    });
  // Already in the circle (or the member): not offered again.
  const exclude = useMemo(() => [d.member.id, ...d.circle.map((c) => c.other.id)], [d]);
  return (
    <div className="panel" data-testid="crm-circle">
      <h2 className="panel__title">{t('circle.title')}</h2>
      {d.circle.length === 0 ? <p className="muted">{t('circle.empty')}</p> : null}
      <ul className="crm-circle">
        {d.circle.map((c) => (
          <li key={c.linkId} data-testid="crm-circle-row" data-id={c.other.id} data-kind={c.kind}>
            <button type="button" className="link-button" onClick={() => onOpen(c.other.id)}>
              {c.other.name}
            </button>{' '}
            <span className="tag">{t(c.direction === 'out' ? `circle.kinds.${c.kind}` : `circle.kindsIn.${c.kind}`)}</span>
            {c.other.phone ? <span className="mono muted"> {c.other.phone}</span> : null}
            {c.welcome ? (
              <span className="tag tag--muted" data-testid="crm-circle-welcome">
                {t('circle.welcome')}
                {c.welcome.redeemedAt ? ` · ${t('circle.redeemed')}` : ''}
              </span>
            ) : null}
            <button type="button" className="button button--small button--ghost" onClick={() => void run(() => api.call('crm.linkRemove', { linkId: c.linkId }))}>
              {t('circle.remove')}
            </button>
          </li>
        ))}
      </ul>
      <Field label={t('circle.kind')}>
        <select className="input" value={kind} onChange={(e) => setKind(e.target.value as LinkKind)} data-testid="crm-circle-kind">
          {LINK_KINDS.map((k) => (
            <option key={k} value={k}>
              {t(`circle.kinds.${k}`)}
            </option>
          ))}
        </select>
      </Field>
      <PersonPicker exclude={exclude} onPick={(p) => void add(false, p.id)} />
      <p className="muted">{t('circlePick.orNew')}</p>
      <form
        className="inline-form crm-wrap"
        onSubmit={(e) => {
          e.preventDefault();
          void add(false);
        }}
      >
        <Field label={t('circle.name')}>
          <input className="input" value={name} onChange={(e) => setName(e.target.value)} required data-testid="crm-circle-name" />
        </Field>
        <Field label={t('circle.phone')}>
          <input className="input" value={phone} onChange={(e) => setPhone(e.target.value)} inputMode="tel" data-testid="crm-circle-phone" />
        </Field>
        <button type="submit" className="button button--primary" data-testid="crm-circle-add">
          {t('circle.add')}
        </button>
      </form>
      {dups.length ? (
        <div className="notice notice--warning" data-testid="crm-circle-duplicates">
          <p>{t('add.duplicates')}</p>
          {dups.map((x) => (
            <button key={x.id} type="button" className="button button--small" onClick={() => void add(false, x.id)}>
              {x.name} {x.phone}
            </button>
          ))}
          <button type="button" className="button button--small" onClick={() => void add(true)}>
            {t('add.anyway')}
          </button>
        </div>
      ) : null}
    </div>
  );
}
