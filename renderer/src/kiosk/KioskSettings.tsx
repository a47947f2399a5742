/** The Settings panel of kiosk mode: the owner turns it on or off; in a browser, what a browser cannot lock. */
import { useTranslation } from 'react-i18next';
import { useAction } from '../components/useAction';
import { BrowserNote } from './BrowserNote';
import { useKiosk } from './useKiosk';

export function KioskSettings() {
  const { t } = useTranslation('kiosk');
  const kiosk = useKiosk();
  const { busy, error, run } = useAction();
  const on = kiosk.state?.enabled === true;

  return (
    <section className="panel" data-testid="kiosk-settings">
      <h2 className="panel__title">{t('title')}</h2>
      <p data-testid="kiosk-settings-state" data-enabled={on}>
        {on ? t('on') : t('off')}
      </p>
      <button type="button" className="button" disabled={busy || !kiosk.state} onClick={() => void run(() => kiosk.set(!on))} data-testid="kiosk-toggle">
        {on ? t('turnOff') : t('turnOn')}
      </button>
      <p className="field__hint">{t('settingHint')}</p>
      {error ? (
        <p className="form-error" role="alert" data-testid="kiosk-settings-error">
          {error}
        </p>
      ) : null}
      <BrowserNote />
    </section>
  );
}
