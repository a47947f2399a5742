/** The top bar's "?" (About and help) and, while the counter is locked, the kiosk badge. */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useKiosk } from '../kiosk/useKiosk';
import { HelpDialog } from './HelpDialog';
import '../kiosk/kiosk.css';

export function HelpButton() {
  const { t } = useTranslation('help');
  const kiosk = useKiosk();
  const [open, setOpen] = useState(false);
  return (
    <>
      {kiosk.state?.locked ? (
        <span className="badge kiosk-badge" data-testid="kiosk-badge" title={t('kiosk:badgeHint')}>
          {t('kiosk:badge')}
        </span>
      ) : null}
      <button type="button" className="button button--small button--ghost" aria-label={t('open')} title={t('openHint')} onClick={() => setOpen(true)} data-testid="help-open">
        ?
      </button>
      {open ? <HelpDialog kiosk={kiosk} onClose={() => setOpen(false)} /> : null}
    </>
  );
}
