/** Cashier name (admin), language, the scanners with sound and flash, and (admin) the clock tolerance. */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useAdmin, withAdmin } from '../components/AdminGate';
import { LanguageSelect } from '../components/LanguageSelect';
import { useAction } from '../components/useAction';
import { useApp } from '../context';
import { ScannersSettings } from '../scanners/ScannersSettings';
import { PrinterSettings } from './PrinterSettings';
import { KioskSettings } from '../kiosk/KioskSettings';
import { BackupSection } from '../backup/BackupSection';

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
  const [toleranceStatus, setToleranceStatus] = useState<Status>(null);
  const [undoWindow, setUndoWindow] = useState(String(settings.undoWindowMinutes));
  const [undoWindowStatus, setUndoWindowStatus] = useState<Status>(null);
  const { busy, run } = useAction();

  /** The name recorded with every redemption: the admin approves a change (before an admin passphrase is set, nobody can). */
  async function saveCashier() {
    await run(
      async () => {
        const name = cashier.trim();
        const s = info.adminConfigured ? await withAdmin(admin, (adminToken) => saveSettings({ adminToken, cashier: name })) : await saveSettings({ cashier: name });
        if (!s) return;
        setCashier(s.cashier);
        setCashierStatus({ kind: 'ok', text: t('saved') });
      },
      (text) => setCashierStatus({ kind: 'error', text }),
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

  /** How long a manager may undo a redemption: the owner's to set. */
  async function saveUndoWindow() {
    const n = Number(undoWindow);
    if (!Number.isInteger(n) || n < 0 || n > 10080) {
      setUndoWindowStatus({ kind: 'error', text: t('errors:api.badInput') });
      return;
    }
    await run(
      async () => {
        const s = await withAdmin(admin, (adminToken) => saveSettings({ adminToken, undoWindowMinutes: n }));
        if (s) {
          setUndoWindow(String(s.undoWindowMinutes));
          setUndoWindowStatus({ kind: 'ok', text: t('saved') });
        }
      },
      (text) => setUndoWindowStatus({ kind: 'error', text }),
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

      <ScannersSettings />

      <PrinterSettings />

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

      <form
        className="panel"
        onSubmit={(e) => {
          e.preventDefault();
          void saveUndoWindow();
        }}
      >
        <label className="field">
          <span className="field__label">{t('shifts:windowSetting')}</span>
          <div className="inline-form">
            <input
              className="input input--number"
              type="number"
              min={0}
              max={10080}
              step={1}
              value={undoWindow}
              onChange={(e) => setUndoWindow(e.currentTarget.value)}
              data-testid="settings-undo-window"
            />
            <button type="submit" className="button" disabled={busy} data-testid="settings-undo-window-save">
              {t('save')}
            </button>
          </div>
          <span className="field__hint">{t('shifts:windowHint')}</span>
        </label>
        <StatusLine status={undoWindowStatus} testId="settings-undo-window-status" />
      </form>
      <KioskSettings />
      <BackupSection />

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
