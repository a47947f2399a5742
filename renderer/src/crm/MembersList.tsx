/** The members table: search as you type (name prefix, Chinese characters, partial phone), filters, sort, more on demand. */
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { MEMBER_SORTS, type MemberRow } from '../../../preload/contract';
import { Field } from '../components/Field';
import { useApp } from '../context';
import { formatMoney, formatWhen } from '../format';
import { errorText } from '../i18n';

const PAGE = 100;

export function MembersList({ onOpen }: { onOpen(id: string): void }) {
  const { api, language } = useApp();
  const { t } = useTranslation('crm');
  const [q, setQ] = useState('');
  const [tag, setTag] = useState('');
  const [level, setLevel] = useState('');
  const [sort, setSort] = useState<(typeof MEMBER_SORTS)[number]>('name');
  const [desc, setDesc] = useState(false);
  const [contacts, setContacts] = useState(false);
  const [rows, setRows] = useState<MemberRow[]>([]);
  const [more, setMore] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [shownQ, setShownQ] = useState('');
  const seq = useRef(0);

  const load = useCallback(
    async (offset: number) => {
      const mine = ++seq.current;
      setLoading(true);
      try {
        const r = await api.call('crm.search', {
          q,
          ...(tag.trim() ? { tag: tag.trim() } : {}),
          ...(level !== '' ? { level: Number(level) } : {}),
          membersOnly: !contacts,
          sort,
          desc,
          limit: PAGE,
          offset,
        });
        if (mine !== seq.current) return;
        setRows((old) => (offset === 0 ? r.rows : [...old, ...r.rows]));
        setMore(r.more);
        setShownQ(q);
        setError(null);
      } catch (e) {
        if (mine === seq.current) setError(errorText(t, e));
      } finally {
        if (mine === seq.current) setLoading(false);
      }
    },
    [api, q, tag, level, contacts, sort, desc, t],
  );

  useEffect(() => {
    const h = setTimeout(() => void load(0), 120);
    return () => clearTimeout(h);
  }, [load]);
  useEffect(() => api.on('crm.changed', () => void load(0)), [api, load]);

  return (
    <section className="panel" data-testid="crm-list">
      <AddMember onAdded={(id) => onOpen(id)} onOpen={onOpen} />
      <div className="crm-filters">
        <Field label={t('search')} className="field--grow">
          <input className="input" type="search" value={q} onChange={(e) => setQ(e.target.value)} data-testid="crm-search" autoFocus />
        </Field>
        <Field label={t('tag')}>
          <input className="input input--short" value={tag} onChange={(e) => setTag(e.target.value)} data-testid="crm-filter-tag" />
        </Field>
        <Field label={t('level')}>
          <select className="input" value={level} onChange={(e) => setLevel(e.target.value)} data-testid="crm-filter-level">
            <option value="">{t('anyLevel')}</option>
            {[0, 1, 2, 3, 4, 5].map((l) => (
              <option key={l} value={l}>
                {l}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t('sort')}>
          <select className="input" value={sort} onChange={(e) => setSort(e.target.value as typeof sort)} data-testid="crm-sort">
            {MEMBER_SORTS.map((s) => (
              <option key={s} value={s}>
                {t(`sorts.${s}`)}
              </option>
            ))}
          </select>
        </Field>
        <label className="check">
          <input type="checkbox" checked={desc} onChange={(e) => setDesc(e.target.checked)} />
          {t('desc')}
        </label>
        <label className="check">
          <input type="checkbox" checked={contacts} onChange={(e) => setContacts(e.target.checked)} data-testid="crm-contacts" />
          {t('contactsToo')}
        </label>
      </div>
      {error ? <p className="form-error">{error}</p> : null}
      <div className="table-scroll crm-table-wrap">
        <table className="table crm-table" data-testid="crm-table" data-loading={loading ? '1' : '0'} data-q={shownQ}>
          <thead>
            <tr>
              <th>{t('col.name')}</th>
              <th>{t('col.phone')}</th>
              <th>{t('col.tags')}</th>
              <th className="num">{t('col.level')}</th>
              <th className="num">{t('col.visits')}</th>
              <th className="num">{t('col.spend')}</th>
              <th>{t('col.lastVisit')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.id} className="crm-row" data-testid="crm-row" data-id={r.id} tabIndex={0} onClick={() => onOpen(r.id)} onKeyDown={(e) => e.key === 'Enter' && onOpen(r.id)}>
                <td>
                  {r.name}
                  {r.memberSince === null ? <span className="tag tag--muted">{t('member.contact')}</span> : null}
                </td>
                <td className="mono">{r.phone ?? ''}</td>
                <td>
                  {r.tags.map((x) => (
                    <span key={x} className="tag">
                      {x}
                    </span>
                  ))}
                </td>
                <td className="num">{r.level}</td>
                <td className="num">{r.visits}</td>
                <td className="num">{formatMoney(r.spend, 'CNY', language)}</td>
                <td>{r.lastVisit ? formatWhen(r.lastVisit, language) : '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {rows.length === 0 && !loading ? <p className="muted">{t('none')}</p> : null}
      {more ? (
        <button type="button" className="button" onClick={() => void load(rows.length)} data-testid="crm-more">
          {t('more')}
        </button>
      ) : null}
    </section>
  );
}

function AddMember({ onAdded, onOpen }: { onAdded(id: string): void; onOpen(id: string): void }) {
  const { api } = useApp();
  const { t } = useTranslation('crm');
  const [name, setName] = useState('');
  const [phone, setPhone] = useState('');
  const [email, setEmail] = useState('');
  const [tags, setTags] = useState('');
  const [dups, setDups] = useState<MemberRow[]>([]);
  const [error, setError] = useState<string | null>(null);

  async function submit(allowDuplicate: boolean) {
    setError(null);
    try {
      const r = await api.call('crm.memberAdd', {
        name,
        phone: phone || null,
        email: email || null,
        tags: tags.split(/[,，;]/).map((s) => s.trim()).filter(Boolean),
        consent: { given: false, how: '' },
        allowDuplicate,
      });
      if (!r.member) {
        setDups(r.duplicates);
        return;
      }
      setName('');
      setPhone('');
      setEmail('');
      setTags('');
      setDups([]);
      onAdded(r.member.id);
    } catch (e) {
      setError(errorText(t, e));
    }
  }

  return (
    <details className="crm-add">
      <summary className="button" data-testid="crm-add-open">
        {t('add.title')}
      </summary>
      <form
        className="inline-form crm-add__form"
        onSubmit={(e) => {
          e.preventDefault();
          void submit(false);
        }}
      >
        <Field label={t('add.name')}>
          <input className="input" value={name} onChange={(e) => setName(e.target.value)} required data-testid="crm-add-name" />
        </Field>
        <Field label={t('add.phone')}>
          <input className="input" value={phone} onChange={(e) => setPhone(e.target.value)} inputMode="tel" data-testid="crm-add-phone" />
        </Field>
        <Field label={t('add.email')}>
          <input className="input" value={email} onChange={(e) => setEmail(e.target.value)} type="email" data-testid="crm-add-email" />
        </Field>
        <Field label={t('add.tags')}>
          <input className="input" value={tags} onChange={(e) => setTags(e.target.value)} data-testid="crm-add-tags" />
        </Field>
        <button type="submit" className="button button--primary" data-testid="crm-add-submit">
          {t('add.submit')}
        </button>
      </form>
      {error ? <p className="form-error" data-testid="crm-add-error">{error}</p> : null}
      {dups.length ? (
        <div className="notice notice--warning" data-testid="crm-add-duplicates">
          <p>{t('add.duplicates')}</p>
          <ul>
            {dups.map((d) => (
              <li key={d.id}>
                {d.name} {d.phone}{' '}
                <button type="button" className="button button--small" onClick={() => onOpen(d.id)}>
                  {t('add.open')}
                </button>
              </li>
            ))}
          </ul>
          <button type="button" className="button button--small" onClick={() => void submit(true)} data-testid="crm-add-anyway">
            {t('add.anyway')}
          </button>
        </div>
      ) : null}
    </details>
  );
}
