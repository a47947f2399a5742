/** What a browser cannot do in kiosk mode, said plainly, and how to start Chromium locked instead. Nothing in the app. */
import { useTranslation } from 'react-i18next';
import { inShell } from './useKiosk';

export function BrowserNote() {
  const { t } = useTranslation('kiosk');
  if (inShell()) return null;
  return (
    <div className="kiosk-note" data-testid="kiosk-browser-note">
      <p>{t('browser.note')}</p>
      <code className="kiosk-note__command">{t('browser.command')}</code>
    </div>
  );
}
