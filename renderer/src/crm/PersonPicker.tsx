/** Finding someone already in the CRM by name or phone, to pick them (for a circle) instead of typing them again. */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { MemberRow } from '../../../preload/contract';
import { Field } from '../components/Field';
import { useApp } from '../context';

const SHOWN = 8;

export function PersonPicker({ exclude, onPick }: { exclude: readonly string[]; onPick(p: MemberRow): void }) {
  const { api } = useApp();
  const { t } = useTranslation('crm');
  const [q, setQ] = useState('');
  const [rows, setRows] = useState<MemberRow[]>([]);
  useEffect(() => {
    if (q.trim() === '') {
      setRows([]);
      return;
    }
    let live = true;
    const h = setTimeout(() => {
      api.call('crm.search', { q, membersOnly: false, limit: SHOWN + exclude.length }).then(
        (r) => live && setRows(r.rows.filter((x) => !exclude.includes(x.id)).slice(0, SHOWN)),
        () => live && setRows([]),
      );
    }, 150);
    return () => {
      live = false;
      clearTimeout(h);
    };
  }, [api, q, exclude]);
  return (
    <div data-testid="crm-pick">
      <Field label={t('circlePick.find')} hint={t('circlePick.findHint')}>
        <input className="input" type="search" value={q} onChange={(e) => setQ(e.target.value)} data-testid="crm-pick-search" />
      </Field>
      {rows.length ? (
        <div className="crm-pick">
          {rows.map((r) => (
            <button
              key={r.id}
              type="button"
              className="button button--small"
              onClick={() => {
                setQ('');
                onPick(r);
              }}
              data-testid="crm-pick-row"
            >
              {t('circlePick.pickAs', { name: r.name })} <span className="muted">{r.phone ?? ''}</span>
            </button>
          ))}
        </div>
      ) : null}
    </div>
  );
}
