/** Cashier name, language, sound, and (admin) the clock tolerance. */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useAdmin, withAdmin } from '../components/AdminGate';
import { LanguageSelect } from '../components/LanguageSelect';
import { useAction } from '../components/useAction';
import { useApp } from '../context';
import { ScannersSettings } from '../scanners/ScannersSettings';
import { playSound } from '../sound';

type Status = { kind: 'ok' | 'error'; text: string } | null;

function StatusLine({ status, testId }: { status: Status; testId: string }) {
  if (!status) return null;
  return (
    <p className={status.kind === 'ok' ? 'notice notice--ok' : 'form-error'} role={status.kind === 'ok' ? 'status' : 'alert'} data-testid={testId}>
      {status.text}
    </p>
  );
}

export function SettingsScreen() {
  const { settings, saveSettings, info } = useApp();
  const admin = useAdmin();
  const { t } = useTranslation('settings');
  const [cashier, setCashier] = useState(settings.cashier);
  const [tolerance, setTolerance] = useState(String(settings.toleranceSeconds));
  const [cashierStatus, setCashierStatus] = useState<Status>(null);
  const [soundStatus, setSoundStatus] = useState<Status>(null);
  const [toleranceStatus, setToleranceStatus] = useState<Status>(null);
  const { busy, run } = useAction();
  const sound = useAction();

  async function saveCashier() {
    await run(
      async () => {
        const s = await saveSettings({ cashier: cashier.trim() });
        setCashier(s.cashier);
        setCashierStatus({ kind: 'ok', text: t('saved') });
      },
      (text) => setCashierStatus({ kind: 'error', text }),
    );
  }

  async function saveSound(on: boolean) {
    await sound.run(
      async () => {
        await saveSettings({ sound: on });
        setSoundStatus(null);
      },
      (text) => setSoundStatus({ kind: 'error', text }),
    );
  }

  async function saveTolerance() {
    const n = Number(tolerance);
    if (!Number.isInteger(n) || n < 0 || n > 86400) {
      setToleranceStatus({ kind: 'error', text: t('errors:api.badInput') });
      return;
    }
    await run(
      async () => {
        const s = await withAdmin(admin, (adminToken) => saveSettings({ adminToken, toleranceSeconds: n }));
        if (s) {
          setTolerance(String(s.toleranceSeconds));
          setToleranceStatus({ kind: 'ok', text: t('saved') });
        }
      },
      (text) => setToleranceStatus({ kind: 'error', text }),
    );
  }

  return (
    <div className="settings" data-testid="settings-screen">
      <h1 className="screen-title">{t('title')}</h1>

      <form
        className="panel"
        onSubmit={(e) => {
          e.preventDefault();
          void saveCashier();
        }}
      >
        <label className="field">
          <span className="field__label">{t('cashier')}</span>
          <div className="inline-form">
            <input
              className="input field--grow"
              value={cashier}
              maxLength={64}
              autoComplete="off"
              onChange={(e) => setCashier(e.currentTarget.value)}
              data-testid="settings-cashier"
            />
            <button type="submit" className="button button--primary" disabled={busy} data-testid="settings-cashier-save">
              {t('save')}
            </button>
          </div>
          <span className="field__hint">{t('cashierHint')}</span>
        </label>
        <StatusLine status={cashierStatus} testId="settings-cashier-status" />
      </form>

      <section className="panel">
        <label className="field">
          <span className="field__label">{t('language')}</span>
          <LanguageSelect testId="settings-lang" />
        </label>
      </section>

      <section className="panel">
        <span className="field__label">{t('sound')}</span>
        <label className="check">
          <input type="checkbox" checked={settings.sound} onChange={(e) => void saveSound(e.currentTarget.checked)} data-testid="settings-sound" />
          <span>{t('soundOn')}</span>
        </label>
        <div className="button-row">
          <button type="button" className="button button--small" onClick={() => playSound('accept', true)}>
            {t('testAccept')}
          </button>
          <button type="button" className="button button--small" onClick={() => playSound('reject', true)}>
            {t('testReject')}
          </button>
        </div>
        <StatusLine status={soundStatus} testId="settings-sound-status" />
      </section>

      <ScannersSettings />

      <form
        className="panel"
        onSubmit={(e) => {
          e.preventDefault();
          void saveTolerance();
        }}
      >
        <label className="field">
          <span className="field__label">{t('tolerance')}</span>
          <div className="inline-form">
            <input
              className="input input--number"
              type="number"
              min={0}
              max={86400}
              step={1}
              value={tolerance}
              onChange={(e) => setTolerance(e.currentTarget.value)}
              data-testid="settings-tolerance"
            />
            <button type="submit" className="button" disabled={busy} data-testid="settings-tolerance-save">
              {t('save')}
            </button>
          </div>
          <span className="field__hint">{t('toleranceHint')}</span>
        </label>
        <StatusLine status={toleranceStatus} testId="settings-tolerance-status" />
      </form>

      <section className="panel">
        <h2 className="panel__title">{t('about')}</h2>
        <dl className="facts">
          <dt>{t('device')}</dt>
          <dd className="mono">{info.device}</dd>
          <dt>{t('version')}</dt>
          <dd className="mono">{info.version}</dd>
        </dl>
      </section>
    </div>
  );
}
