/**
 * Records that may be the same person as this member (same phone or e-mail),
 * each with a Merge button: after a confirmation and the admin passphrase (as
 * for deleting personal data), the other record is merged into this one.
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { MemberDetail, MemberRow } from '../../../../preload/contract';
import { useAdmin, withAdmin } from '../../components/AdminGate';
import { useApp } from '../../context';
import type { Run } from './run';

export function Duplicates({ d, run }: { d: MemberDetail; run: Run }) {
  const { api } = useApp();
  const gate = useAdmin();
  const { t } = useTranslation('crm');
  const m = d.member;
  const [dups, setDups] = useState<MemberRow[]>([]);
  useEffect(() => {
    let live = true;
    if (!m.phone && !m.email) {
      setDups([]);
      return;
    }
    api.call('crm.duplicates', { phone: m.phone, email: m.email }).then(
      (rows) => live && setDups(rows.filter((r) => r.id !== m.id)),
      () => live && setDups([]),
    );
    return () => {
      live = false;
    };
  }, [api, m.id, m.phone, m.email, d]);
  if (!dups.length) return null;
  const merge = (other: MemberRow) =>
    run(async () => {
      if (!window.confirm(t('member.mergeConfirm', { name: m.name, other: other.name }))) return;
      await withAdmin(gate, (adminToken) => api.call('crm.merge', { adminToken, keepId: m.id, mergeId: other.id }));
    }, t('member.merged'));
  return (
    <div className="panel" data-testid="crm-duplicates">
      <h2 className="panel__title">{t('member.duplicates')}</h2>
      <ul className="crm-circle">
        {dups.map((x) => (
          <li key={x.id} data-testid="crm-duplicate">
            {x.name} <span className="mono muted">{x.phone ?? ''}</span>{' '}
            <button type="button" className="button button--small" onClick={() => void merge(x)} data-testid="crm-merge">
              {t('member.merge')}
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}
