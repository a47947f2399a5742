/** The campaign form: id, name, stock, dates, hours, and how it behaves offline (strict or lenient). */
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { CAMPAIGN_MODES, type CampaignMode, type CampaignView } from '../../../preload/api/catalog';
import { useAdmin, withAdmin } from '../components/AdminGate';
import { Field } from '../components/Field';
import { useAction } from '../components/useAction';
import { useApp } from '../context';
import { endOfDay, lastDayInput, normaliseHours, startOfDay, toDateInput } from './dates';

export function CampaignForm({
  campaign,
  taken,
  sharesStock,
  onDone,
}: {
  campaign: CampaignView | null;
  taken: string[];
  /** Whether the platform shares stock by allotments (else every campaign works as lenient). */
  sharesStock: boolean;
  onDone(saved: CampaignView | null): void;
}) {
  const { api } = useApp();
  const admin = useAdmin();
  const { t } = useTranslation('catalog');
  const initialFrom = campaign?.from != null ? toDateInput(campaign.from) : '';
  const initialTo = campaign?.to != null ? lastDayInput(campaign.to) : '';
  const [id, setId] = useState(campaign?.id ?? '');
  const [name, setName] = useState(campaign?.name ?? '');
  const [stock, setStock] = useState(campaign?.stock != null ? String(campaign.stock) : '');
  const [from, setFrom] = useState(initialFrom);
  const [to, setTo] = useState(initialTo);
  const [hours, setHours] = useState(campaign?.hours ?? '');
  const [mode, setMode] = useState<CampaignMode | 'platform'>(campaign?.mode ?? 'lenient');
  const { busy, error, setError, run } = useAction();

  async function save() {
    setError(null);
    const cleanId = id.trim();
    const cleanName = name.trim();
    if (!cleanId) return setError(t('campaigns.needId'));
    if (!campaign && taken.includes(cleanId)) return setError(t('campaigns.idTaken', { id: cleanId }));
    if (!cleanName) return setError(t('campaigns.needName'));
    const stockText = stock.normalize('NFKC').trim();
    if (stockText && !/^\d{1,9}$/.test(stockText)) return setError(t('campaigns.badStock'));
    const hoursValue = hours.trim() ? normaliseHours(hours) : null;
    if (hours.trim() && hoursValue === null) return setError(t('errors:campaigns.badInput'));
    // A date left as it was keeps its exact stored time (an imported campaign may start at 10:30).
    const fromMs = from === initialFrom && campaign ? campaign.from : startOfDay(from);
    const toMs = to === initialTo && campaign ? campaign.to : endOfDay(to);
    if ((from && fromMs === null) || (to && toMs === null)) return setError(t('campaigns.badDate'));
    if (fromMs !== null && toMs !== null && toMs <= fromMs) return setError(t('errors:campaigns.badRange'));
    await run(async () => {
      const saved = await withAdmin(admin, (adminToken) =>
        api.call('campaigns.set', {
          adminToken,
          id: cleanId,
          name: cleanName,
          stock: stockText ? Number(stockText) : null,
          from: fromMs,
          to: toMs,
          hours: hoursValue,
          // Only a mode the owner changed is sent: saving other fields must not turn the platform's default into the owner's choice.
          ...(mode !== (campaign?.mode ?? 'lenient') ? { mode } : {}),
        }),
      );
      if (saved) onDone(saved);
    });
  }

  return (
    <form
      className="subpanel"
      data-testid="campaign-form"
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
      onKeyDown={(e) => {
        if (e.key === 'Escape' && !busy) {
          e.preventDefault();
          onDone(null);
        }
      }}
    >
      <h3 className="subpanel__title">{campaign ? t('campaigns.editTitle', { name: campaign.name }) : t('campaigns.addTitle')}</h3>
      <div className="form-grid">
        <Field label={t('campaigns.id')} hint={t('campaigns.idHint')}>
          <input
            className="input mono"
            value={id}
            maxLength={64}
            autoComplete="off"
            disabled={campaign !== null}
            autoFocus={campaign === null}
            onChange={(e) => setId(e.currentTarget.value)}
            data-testid="campaign-id"
          />
        </Field>
        <Field label={t('campaigns.name')}>
          <input
            className="input"
            value={name}
            maxLength={200}
            autoComplete="off"
            autoFocus={campaign !== null}
            onChange={(e) => setName(e.currentTarget.value)}
            data-testid="campaign-name"
          />
        </Field>
        <Field label={t('campaigns.stockLabel')} hint={t('campaigns.stockHint', { used: campaign?.used ?? 0 })}>
          <input
            className="input input--number"
            inputMode="numeric"
            value={stock}
            maxLength={9}
            autoComplete="off"
            placeholder={t('campaigns.noLimit')}
            onChange={(e) => setStock(e.currentTarget.value)}
            data-testid="campaign-stock"
          />
        </Field>
        <Field label={t('campaigns.from')}>
          <input type="date" className="input" value={from} onChange={(e) => setFrom(e.currentTarget.value)} data-testid="campaign-from" />
        </Field>
        <Field label={t('campaigns.to')} hint={t('campaigns.toHint')}>
          <input type="date" className="input" value={to} onChange={(e) => setTo(e.currentTarget.value)} data-testid="campaign-to" />
        </Field>
        <Field label={t('campaigns.hoursLabel')} hint={t('campaigns.hoursHint')}>
          <input
            className="input mono"
            value={hours}
            maxLength={100}
            autoComplete="off"
            placeholder="10:00-22:00"
            onChange={(e) => setHours(e.currentTarget.value)}
            data-testid="campaign-hours"
          />
        </Field>
      </div>
      <ModeChoice mode={mode} onChange={setMode} sharesStock={sharesStock} campaign={campaign} />
      {error ? (
        <p className="form-error" role="alert" data-testid="campaign-error">
          {error}
        </p>
      ) : null}
      <div className="button-row">
        <button type="submit" className="button button--primary" disabled={busy} data-testid="campaign-save">
          {busy ? t('app:dialog.working') : t('save')}
        </button>
        <button type="button" className="button" disabled={busy} onClick={() => onDone(null)} data-testid="campaign-cancel">
          {t('app:dialog.cancel')}
        </button>
      </div>
    </form>
  );
}

/**
 * Strict or lenient, two choices with one sentence each: what this branch does
 * offline once the units it holds are used up. Once the owner has chosen, a
 * third choice gives the decision back to the platform.
 */
function ModeChoice({
  mode,
  onChange,
  sharesStock,
  campaign,
}: {
  mode: CampaignMode | 'platform';
  onChange(m: CampaignMode | 'platform'): void;
  sharesStock: boolean;
  campaign: CampaignView | null;
}) {
  const { t } = useTranslation('catalog');
  const name = useId();
  const choices = campaign?.modeBy === 'owner' ? [...CAMPAIGN_MODES, 'platform' as const] : CAMPAIGN_MODES;
  const platformMode = t(`campaigns.mode.${campaign?.platformMode ?? 'lenient'}`);
  return (
    <fieldset className="fieldset mode-choice" data-testid="campaign-mode">
      <legend>{t('campaigns.mode.label')}</legend>
      {choices.map((m) => (
        <label key={m} className={`mode-choice__option${mode === m ? ' mode-choice__option--on' : ''}`}>
          <input type="radio" name={name} value={m} checked={mode === m} onChange={() => onChange(m)} data-testid={`campaign-mode-${m}`} />
          <span>
            <strong>{t(`campaigns.mode.${m}Choice`, { mode: platformMode })}</strong>
            <span className="mode-choice__text">{t(`campaigns.mode.${m}Text`)}</span>
          </span>
        </label>
      ))}
      {!sharesStock ? (
        <p className="small muted mode-choice__note" data-testid="campaign-mode-no-allotments">
          {t('campaigns.mode.noAllotmentsForm')}
        </p>
      ) : null}
    </fieldset>
  );
}
