/** One member: details, circle, referral status and vouchers, points, history, card, erasure. */
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { LINK_KINDS, type LinkKind, type MemberDetail } from '../../../preload/contract';
import { useAdmin, withAdmin } from '../components/AdminGate';
import { useApp } from '../context';
import { formatDateTime, formatMoney, formatWhen } from '../format';
import { errorText } from '../i18n';
import { qrDataUrl, saveDataUrl } from './qr';
import { printVouchers, VoucherCard } from './VoucherCard';

export function MemberPage({ id, onOpen, onBack }: { id: string; onOpen(id: string): void; onBack(): void }) {
  const { api, language } = useApp();
  const { t } = useTranslation('crm');
  const [d, setD] = useState<MemberDetail | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [note, setNote] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      setD(await api.call('crm.memberGet', { id }));
      setError(null);
    } catch (e) {
      setError(errorText(t, e));
    }
  }, [api, id, t]);
  useEffect(() => void load(), [load]);
  useEffect(() => api.on('crm.changed', () => void load()), [api, load]);

  const run = async (fn: () => Promise<unknown>, done?: string) => {
    setError(null);
    setNote(null);
    try {
      await fn();
      if (done) setNote(done);
      await load();
    } catch (e) {
      setError(errorText(t, e));
    }
  };

  if (!d) return <section className="panel">{error ? <p className="form-error">{error}</p> : <p className="muted">…</p>}</section>;
  const m = d.member;
  const st = d.referral;
  return (
    <section className="crm-member" data-testid="crm-member" data-id={m.id}>
      <button type="button" className="button button--ghost button--small" onClick={onBack} data-testid="crm-back">
        {t('member.back')}
      </button>
      <div className="panel crm-member__head">
        <div>
          <h1 className="screen-title" data-testid="crm-member-name">
            {m.name}
          </h1>
          <p className="muted">
            {m.memberSince ? t('member.since', { date: formatDateTime(m.memberSince, language) }) : t('member.contact')}
            {' · '}
            {t('member.level', { level: m.level })}
          </p>
        </div>
        <dl className="crm-figures">
          <div>
            <dt>{t('member.visits')}</dt>
            <dd data-testid="crm-visits">{m.visits}</dd>
          </div>
          <div>
            <dt>{t('member.spend')}</dt>
            <dd data-testid="crm-spend">{formatMoney(m.spend, 'CNY', language)}</dd>
          </div>
          <div>
            <dt>{t('member.lastVisit')}</dt>
            <dd>{m.lastVisit ? formatWhen(m.lastVisit, language) : '—'}</dd>
          </div>
          <div>
            <dt>{t('member.points')}</dt>
            <dd data-testid="crm-points">{m.points}</dd>
          </div>
        </dl>
      </div>
      {error ? <p className="form-error" role="alert" data-testid="crm-member-error">{error}</p> : null}
      {note ? <p className="notice notice--ok" data-testid="crm-member-note">{note}</p> : null}
      <div className="crm-columns">
        <div>
          <Circle d={d} onOpen={onOpen} run={run} />
          <Referral d={d} run={run} />
        </div>
        <div>
          <Details d={d} run={run} />
          <MemberCard id={m.id} />
          <History d={d} />
        </div>
      </div>
      {st.vouchers.length ? (
        <div className="crm-print-area crm-print-only" aria-hidden>
          {st.vouchers.filter((v) => !v.redeemedAt).map((v) => (
            <VoucherCard key={v.jti} v={v} memberName={m.name} />
          ))}
        </div>
      ) : null}
    </section>
  );
}

type Run = (fn: () => Promise<unknown>, done?: string) => Promise<void>;

function Circle({ d, onOpen, run }: { d: MemberDetail; onOpen(id: string): void; run: Run }) {
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
      <form
        className="inline-form crm-wrap"
        onSubmit={(e) => {
          e.preventDefault();
          void add(false);
        }}
      >
        <label className="field">
          <span className="field__label">{t('circle.name')}</span>
          <input className="input" value={name} onChange={(e) => setName(e.target.value)} required data-testid="crm-circle-name" />
        </label>
        <label className="field">
          <span className="field__label">{t('circle.phone')}</span>
          <input className="input" value={phone} onChange={(e) => setPhone(e.target.value)} inputMode="tel" data-testid="crm-circle-phone" />
        </label>
        <label className="field">
          <span className="field__label">{t('circle.kind')}</span>
          <select className="input" value={kind} onChange={(e) => setKind(e.target.value as LinkKind)} data-testid="crm-circle-kind">
            {LINK_KINDS.map((k) => (
              <option key={k} value={k}>
                {t(`circle.kinds.${k}`)}
              </option>
            ))}
          </select>
        </label>
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

function Referral({ d, run }: { d: MemberDetail; run: Run }) {
  const { api, language } = useApp();
  const { t } = useTranslation('crm');
  const st = d.referral;
  const open = st.vouchers.filter((v) => !v.redeemedAt);
  return (
    <div className="panel" data-testid="crm-referral" data-issued={st.issued} data-counted={st.counted} data-rewards={st.rewards}>
      <h2 className="panel__title">{t('referral.title')}</h2>
      {st.eligible ? (
        <p>{t('referral.eligible', { issued: st.issued, max: st.maxWelcome })}</p>
      ) : (
        <p className="muted">
          {t('referral.notEligible')}{' '}
          {st.missing.spend !== undefined ? t('referral.missingSpend', { amount: formatMoney(st.missing.spend, 'CNY', language) }) : null}
          {st.missing.spend !== undefined && st.missing.visits !== undefined ? ' / ' : null}
          {st.missing.visits !== undefined ? t('referral.missingVisits', { count: st.missing.visits }) : null}
        </p>
      )}
      <p>{t('referral.counted', { counted: st.counted, rewards: st.rewards, next: st.toNextReward })}</p>
      <div className="button-row">
        <button
          type="button"
          className="button button--primary"
          disabled={!st.eligible || st.issued >= st.maxWelcome}
          onClick={() => void run(async () => api.call('crm.referralIssue', { memberId: d.member.id }))}
          data-testid="crm-issue"
        >
          {t('referral.issue')}
        </button>
        {open.length ? (
          <>
            <button type="button" className="button" onClick={() => printVouchers(false)} data-testid="crm-print">
              {t('voucher.printAll')}
            </button>
            <button type="button" className="button" onClick={() => printVouchers(true)}>
              {t('voucher.sheet')}
            </button>
          </>
        ) : null}
      </div>
      <div className="crm-vouchers">
        {st.vouchers.map((v) => (
          <div key={v.jti} className="crm-voucher-row" data-testid="crm-referral-voucher" data-jti={v.jti} data-redeemed={v.redeemedAt ? '1' : '0'}>
            <span className="tag">{t(`voucher.${v.purpose}`)}</span> {v.personName || '—'} · {v.terms}
            {v.redeemedAt ? <span className="tag tag--muted">{t('circle.redeemed')}</span> : null}
          </div>
        ))}
      </div>
      {open.length ? (
        <details>
          <summary>{t('voucher.show')}</summary>
          <div className="crm-voucher-grid">
            {open.map((v) => (
              <VoucherCard key={v.jti} v={v} memberName={d.member.name} onGiven={() => void run(() => api.call('crm.markGiven', { jti: v.jti }))} />
            ))}
          </div>
        </details>
      ) : null}
    </div>
  );
}

function Details({ d, run }: { d: MemberDetail; run: Run }) {
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
        <label className="field">
          <span className="field__label">{t('add.name')}</span>
          <input className="input" value={f.name} onChange={set('name')} required />
        </label>
        <label className="field">
          <span className="field__label">{t('add.phone')}</span>
          <input className="input" value={f.phone} onChange={set('phone')} data-testid="crm-edit-phone" />
        </label>
        <label className="field">
          <span className="field__label">{t('member.email')}</span>
          <input className="input" value={f.email} onChange={set('email')} />
        </label>
        <label className="field">
          <span className="field__label">{t('member.wechat')}</span>
          <input className="input" value={f.wechat} onChange={set('wechat')} />
        </label>
        <label className="field">
          <span className="field__label">{t('member.qq')}</span>
          <input className="input" value={f.qq} onChange={set('qq')} />
        </label>
        <label className="field">
          <span className="field__label">{t('member.birthday')}</span>
          <input className="input" value={f.birthday} onChange={set('birthday')} placeholder="1990-05-01" />
        </label>
        <label className="field">
          <span className="field__label">{t('member.tags')}</span>
          <input className="input" value={f.tags} onChange={set('tags')} />
        </label>
        <label className="field">
          <span className="field__label">{t('member.consentHow')}</span>
          <input className="input" value={f.how} onChange={set('how')} />
        </label>
      </div>
      <label className="field">
        <span className="field__label">{t('member.notes')}</span>
        <textarea className="input" rows={2} value={f.notes} onChange={set('notes')} />
      </label>
      <label className="check">
        <input type="checkbox" checked={f.consent} onChange={set('consent')} />
        {t('member.consent')}
        {m.consent.at ? <span className="muted"> · {t('member.consentAt', { date: formatDateTime(m.consent.at, language) })}</span> : null}
      </label>
      <p className="muted">
        {t('member.holders')}: <span className="mono">{m.holders.join(', ')}</span>
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

function MemberCard({ id }: { id: string }) {
  const { api } = useApp();
  const { t } = useTranslation('crm');
  const [url, setUrl] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const show = async () => {
    try {
      setUrl(await qrDataUrl((await api.call('crm.cardToken', { memberId: id })).text, 280));
    } catch (e) {
      setError(errorText(t, e));
    }
  };
  return (
    <div className="panel">
      <h2 className="panel__title">{t('member.card')}</h2>
      <p className="muted">{t('member.cardHint')}</p>
      {url ? (
        <>
          <img src={url} alt={t('member.card')} className="crm-voucher__qr" data-testid="crm-card-qr" />
          <button type="button" className="button button--small" onClick={() => saveDataUrl(url, `member-card-${id}.png`)}>
            {t('voucher.save')}
          </button>
        </>
      ) : (
        <button type="button" className="button" onClick={() => void show()} data-testid="crm-card">
          {t('voucher.show')}
        </button>
      )}
      {error ? <p className="form-error">{error}</p> : null}
    </div>
  );
}

function History({ d }: { d: MemberDetail }) {
  const { language } = useApp();
  const { t } = useTranslation('crm');
  return (
    <div className="panel" data-testid="crm-history">
      <h2 className="panel__title">{t('member.history')}</h2>
      {d.history.length === 0 ? <p className="muted">{t('member.noHistory')}</p> : null}
      <table className="table">
        <tbody>
          {d.history.map((h) => (
            <tr key={h.id} data-testid="crm-history-row" className={h.reversedBy || h.type === 'reversal' ? 'muted' : ''}>
              <td>{formatDateTime(h.at, language)}</td>
              <td>{h.type === 'reversal' ? '↺' : ''} {h.sku ?? h.kind}</td>
              <td className="num">{h.amount !== null ? formatMoney(h.amount, h.cur, language) : `× ${h.units ?? ''}`}</td>
              <td className="mono muted">{h.jti}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
