/**
 * At the counter: the member the next redemption goes on (picked by scanning
 * their member card, or by phone: the whole number or its last 4 digits), and
 * a way to clear it. Several members on one number: the cashier picks one. No
 * match: the old selection is cleared and "add as a new member" is offered.
 * After a pick or a miss the focus goes back to the scan box, so the next scan
 * never lands in the phone field.
 */
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { MemberRow } from '../../../preload/contract';
import { Dialog } from '../components/Dialog';
import { Field } from '../components/Field';
import { useApp } from '../context';
import { errorText } from '../i18n';

/** Back to the scan box: the next thing the cashier does is scan the voucher. */
function focusScan(): void {
  document.querySelector<HTMLInputElement>('[data-testid="scan-input"]')?.focus();
}

/** The end of a phone number, enough to tell matches apart without showing it all. */
const phoneEnd = (p: string | null) => (p ? `…${p.replace(/\D/g, '').slice(-4)}` : '');

export function CounterMember() {
  const { api } = useApp();
  const { t } = useTranslation('crm');
  const [member, setMember] = useState<MemberRow | null>(null);
  const [phone, setPhone] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [matches, setMatches] = useState<MemberRow[]>([]);
  const [missed, setMissed] = useState<string | null>(null);
  const [adding, setAdding] = useState<string | null>(null);
  const load = useCallback(() => api.call('crm.counterGet', {}).then((r) => setMember(r.member), () => undefined), [api]);
  useEffect(() => void load(), [load]);
  useEffect(() => api.on('crm.changed', () => void load()), [api, load]);
  useEffect(() => api.on('ledger.changed', () => void load()), [api, load]);

  const select = async (memberId: string | null) => {
    setMember((await api.call('crm.counterSelect', { memberId })).member);
  };

  const pick = async (m: MemberRow) => {
    setError(null);
    setMatches([]);
    try {
      await select(m.id);
    } catch (e) {
      setError(errorText(t, e));
    }
    focusScan();
  };

  const find = async () => {
    setError(null);
    setMissed(null);
    setMatches([]);
    const typed = phone.trim();
    try {
      const found = await api.call('crm.lookupPhone', { phone: typed });
      setPhone('');
      if (found.length === 1) {
        await select(found[0]!.id);
      } else {
        // A miss, or several to choose from: the member picked before is no longer the one meant.
        await select(null);
        if (found.length === 0) setMissed(typed);
        else setMatches(found);
      }
    } catch (e) {
      setError(errorText(t, e));
    }
    focusScan();
  };

  return (
    <div className="crm-counter" data-testid="counter-member" data-id={member?.id ?? ''}>
      <span className="crm-counter__label">{t('counter.label')}</span>
      {member ? (
        <>
          <strong data-testid="counter-member-name">{member.name}</strong>
          <span className="muted">{t('counter.next', { name: member.name })}</span>
          <button type="button" className="button button--small button--ghost" onClick={() => void select(null).then(focusScan)} data-testid="counter-clear">
            {t('counter.clear')}
          </button>
        </>
      ) : (
        <span className="muted">{t('counter.none')}</span>
      )}
      <form
        className="crm-counter__find"
        onSubmit={(e) => {
          e.preventDefault();
          void find();
        }}
      >
        <input
          className="input input--compact"
          value={phone}
          onChange={(e) => setPhone(e.target.value)}
          placeholder={t('counter.phone')}
          inputMode="tel"
          data-testid="counter-phone"
        />
        <button type="submit" className="button button--small">
          {t('counter.find')}
        </button>
      </form>
      {matches.length ? (
        <div className="crm-counter__matches" data-testid="counter-matches">
          <span>{t('counter.pick', { count: matches.length })}</span>
          {matches.map((m) => (
            <button key={m.id} type="button" className="button button--small" onClick={() => void pick(m)} data-testid="counter-match">
              {m.name} <span className="muted">{phoneEnd(m.phone)}</span>
            </button>
          ))}
        </div>
      ) : null}
      {missed !== null ? (
        <span className="form-error" data-testid="counter-not-found">
          {t('counter.notFound')}{' '}
          <button type="button" className="button button--small" onClick={() => setAdding(missed)} data-testid="counter-add-new">
            {t('counter.addNew')}
          </button>
        </span>
      ) : null}
      {error ? <span className="form-error">{error}</span> : null}
      {adding !== null ? (
        <NewMemberDialog
          phone={adding}
          onCancel={() => setAdding(null)}
          onAdded={(m) => {
            setAdding(null);
            setMissed(null);
            void pick(m);
          }}
        />
      ) : null}
    </div>
  );
}

/** The add-member form, opened from a phone lookup that found nobody, with the phone typed in. */
function NewMemberDialog({ phone: typed, onCancel, onAdded }: { phone: string; onCancel(): void; onAdded(m: MemberRow): void }) {
  const { api } = useApp();
  const { t } = useTranslation('crm');
  const [name, setName] = useState('');
  const [phone, setPhone] = useState(typed);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submit = async () => {
    setBusy(true);
    setError(null);
    try {
      const r = await api.call('crm.memberAdd', { name, phone: phone || null, member: true });
      if (r.member) onAdded({ ...r.member });
      else setError(`${t('add.duplicates')} ${r.duplicates.map((d) => d.name).join(', ')}`);
    } catch (e) {
      setError(errorText(t, e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog title={t('add.title')} okLabel={t('add.submit')} onSubmit={() => void submit()} onCancel={onCancel} busy={busy} error={error} testId="counter-add-dialog">
      <Field label={t('add.name')}>
        <input className="input" value={name} onChange={(e) => setName(e.target.value)} required data-autofocus data-testid="counter-add-name" />
      </Field>
      <Field label={t('add.phone')}>
        <input className="input" value={phone} onChange={(e) => setPhone(e.target.value)} inputMode="tel" data-testid="counter-add-phone" />
      </Field>
    </Dialog>
  );
}

/** Scans a member card at the counter: selects the member; throws ApiError when it is no card of this shop. */
export async function selectByCard(api: ReturnType<typeof useApp>['api'], text: string): Promise<MemberRow> {
  return (await api.call('crm.counterScan', { text })).member;
}
