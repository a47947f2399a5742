/** The Reports screen: the summary of a day or period, the full history with filters, their exports, and the merchant's time zone. */
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CallResult } from '../../../preload/contract';
import { useAdmin, withAdmin } from '../components/AdminGate';
import { Field } from '../components/Field';
import { useApp } from '../context';
import { errorText } from '../i18n';
import { HistoryPanel } from './HistoryPanel';
import { SummaryPanel } from './SummaryPanel';
import './reports.css';

export type Choices = CallResult<'reports.choices'>;

export function ReportsScreen() {
  const { api } = useApp();
  const gate = useAdmin();
  const { t } = useTranslation('reports');
  const [zone, setZone] = useState<CallResult<'reports.timeZone'> | null>(null);
  const [zoneInput, setZoneInput] = useState('');
  const [choices, setChoices] = useState<Choices>({ cashiers: [], products: [] });
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);

  const load = useCallback(async () => {
    try {
      const [z, c] = await Promise.all([api.call('reports.timeZone', {}), api.call('reports.choices', {})]);
      setZone(z);
      setZoneInput(z.timeZone);
      setChoices(c);
    } catch (e) {
      setMessage({ ok: false, text: errorText(t, e) });
    }
  }, [api, t]);
  useEffect(() => {
    void load();
  }, [load]);
  useEffect(() => api.on('ledger.changed', () => void api.call('reports.choices', {}).then(setChoices, () => {})), [api]);

  async function saveZone() {
    try {
      const z = await withAdmin(gate, (adminToken) => api.call('reports.setTimeZone', { adminToken, timeZone: zoneInput.trim() }));
      if (!z) return;
      setZone(z);
      setMessage({ ok: true, text: t('zone.saved', { zone: z.timeZone }) });
    } catch (e) {
      setMessage({ ok: false, text: e instanceof Error && 'code' in e && e.code === 'api.badInput' ? t('zone.bad') : errorText(t, e) });
    }
  }

  return (
    <div className="reports-screen">
      <h1 className="screen-title">{t('title')}</h1>
      {message ? (
        <p className={message.ok ? 'notice notice--ok' : 'form-error'} role={message.ok ? 'status' : 'alert'} data-testid="reports-message">
          {message.text}
        </p>
      ) : null}
      {zone ? (
        <>
          <SummaryPanel key={`s-${zone.timeZone}`} zone={zone.timeZone} choices={choices} onMessage={setMessage} />
          <HistoryPanel key={`h-${zone.timeZone}`} zone={zone.timeZone} choices={choices} onMessage={setMessage} />
          <section className="panel">
            <form
              className="inline-form"
              onSubmit={(e) => {
                e.preventDefault();
                void saveZone();
              }}
            >
              <Field label={t('zone.label')} hint={t('zone.hint', { system: zone.system })}>
                <input className="input" value={zoneInput} maxLength={64} onChange={(e) => setZoneInput(e.target.value)} data-testid="reports-zone" />
              </Field>
              <button type="submit" className="button" disabled={!zoneInput.trim() || zoneInput.trim() === zone.timeZone} data-testid="reports-zone-save">
                {t('zone.save')}
              </button>
            </form>
          </section>
        </>
      ) : null}
    </div>
  );
}
