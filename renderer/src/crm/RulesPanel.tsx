/** The owner's referral rules and the CRM sync switch (admin). */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ReferralRules, VoucherTerms } from '../../../preload/contract';
import { useAdmin, withAdmin } from '../components/AdminGate';
import { Field } from '../components/Field';
import { MoneyInput } from '../components/MoneyInput';
import { ProductPicker } from '../components/ProductPicker';
import { useApp } from '../context';
import { errorText } from '../i18n';

const num = (s: string): number | null => (s.trim() === '' ? null : Number(s));

export function RulesPanel() {
  const { api } = useApp();
  const gate = useAdmin();
  const { t } = useTranslation('crm');
  const [r, setR] = useState<ReferralRules | null>(null);
  const [sync, setSync] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [note, setNote] = useState<string | null>(null);
  useEffect(() => {
    void api.call('crm.rulesGet', {}).then(setR, (e: unknown) => setError(errorText(t, e)));
    void api.call('crm.settingsGet', {}).then((s) => setSync(s.syncEnabled));
  }, [api, t]);
  if (!r) return <section className="panel">{error ?? '…'}</section>;
  const save = async () => {
    setError(null);
    setNote(null);
    try {
      const out = await withAdmin(gate, (adminToken) => api.call('crm.rulesSet', { adminToken, rules: r }));
      if (out) {
        setR(out);
        setNote(t('rules.saved'));
      }
    } catch (e) {
      setError(errorText(t, e));
    }
  };
  const toggleSync = async (on: boolean) => {
    try {
      const s = await withAdmin(gate, (adminToken) => api.call('crm.settingsSet', { adminToken, syncEnabled: on }));
      if (s) setSync(s.syncEnabled);
    } catch (e) {
      setError(errorText(t, e));
    }
  };
  // The shop's currency: the one its value vouchers are in.
  const shopCur = r.welcome.cur ?? r.reward.cur ?? 'CNY';
  const terms = (key: 'welcome' | 'reward') => {
    const v = r[key];
    const set = (patch: Partial<VoucherTerms>) => setR({ ...r, [key]: { ...v, ...patch } });
    return (
      <fieldset className="fieldset">
        <legend>{t(`rules.${key}`)}</legend>
        <div className="form-grid">
          <Field label={t('rules.kind')}>
            <select className="input" value={v.kind} onChange={(e) => set({ kind: e.target.value as VoucherTerms['kind'] })}>
              {(['item', 'value', 'gift'] as const).map((k) => (
                <option key={k} value={k}>
                  {t(`rules.kinds.${k}`)}
                </option>
              ))}
            </select>
          </Field>
          <Field label={t('rules.label')}>
            <input className="input" value={v.label} onChange={(e) => set({ label: e.target.value })} />
          </Field>
          {v.kind === 'value' ? (
            <>
              <Field label={t('rules.val')}>
                <MoneyInput value={v.val} cur={v.cur ?? 'CNY'} onChange={(val) => set({ val: val ?? undefined })} testId={`crm-rules-${key}-val`} />
              </Field>
              <Field label={t('rules.cur')}>
                <input className="input" value={v.cur ?? 'CNY'} onChange={(e) => set({ cur: e.target.value.toUpperCase() })} />
              </Field>
            </>
          ) : (
            <>
              <Field label={t('rules.sku')}>
                <ProductPicker value={v.sku} onChange={(sku) => set({ sku })} testId={`crm-rules-${key}-sku`} />
              </Field>
              <Field label={t('rules.qty')}>
                <input className="input" inputMode="numeric" value={v.qty ?? 1} onChange={(e) => set({ qty: num(e.target.value) ?? undefined })} />
              </Field>
            </>
          )}
          <Field label={t('rules.validDays')}>
            <input className="input" inputMode="numeric" value={v.validDays} onChange={(e) => set({ validDays: num(e.target.value) ?? 30 })} />
          </Field>
        </div>
      </fieldset>
    );
  };
  return (
    <form
      className="panel"
      data-testid="crm-rules"
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <h2 className="panel__title">{t('rules.title')}</h2>
      <label className="check">
        <input type="checkbox" checked={r.enabled} onChange={(e) => setR({ ...r, enabled: e.target.checked })} data-testid="crm-rules-enabled" />
        {t('rules.enabled')}
      </label>
      <div className="form-grid">
        <Field label={t('rules.spend')}>
          <MoneyInput value={r.spend} cur={shopCur} optional onChange={(spend) => setR({ ...r, spend })} testId="crm-rules-spend" />
        </Field>
        <Field label={t('rules.visits')}>
          <input className="input" inputMode="numeric" value={r.visits ?? ''} onChange={(e) => setR({ ...r, visits: num(e.target.value) })} data-testid="crm-rules-visits" />
        </Field>
        <Field label={t('rules.welcomeCount')}>
          <input className="input" inputMode="numeric" value={r.welcomeCount} onChange={(e) => setR({ ...r, welcomeCount: num(e.target.value) ?? 1 })} data-testid="crm-rules-count" />
        </Field>
        <Field label={t('rules.rewardAfter')}>
          <input className="input" inputMode="numeric" value={r.rewardAfter} onChange={(e) => setR({ ...r, rewardAfter: num(e.target.value) ?? 1 })} />
        </Field>
      </div>
      {terms('welcome')}
      {terms('reward')}
      {error ? <p className="form-error" role="alert">{error}</p> : null}
      {note ? <p className="notice notice--ok" data-testid="crm-rules-saved">{note}</p> : null}
      <button type="submit" className="button button--primary" data-testid="crm-rules-save">
        {t('rules.save')}
      </button>
      <hr />
      <label className="check">
        <input type="checkbox" checked={sync} onChange={(e) => void toggleSync(e.target.checked)} data-testid="crm-sync" />
        {t('rules.sync')}
      </label>
      <p className="muted">{t('rules.syncHint')}</p>
    </form>
  );
}
