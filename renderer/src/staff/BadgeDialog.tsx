/**
 * A staff badge: `staff.badge` issues a new one (withdrawing any earlier one)
 * and answers its code's text, drawn here as a QR code on a card and printed
 * the way the member cards and vouchers are (crm/qr.ts, crm/VoucherCard.tsx).
 * The text lives only in this dialog's picture; it is never logged.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { StaffMember } from '../../../preload/contract';
import { useAdmin, withAdmin } from '../components/AdminGate';
import { Dialog } from '../components/Dialog';
import { useAction } from '../components/useAction';
import { useApp } from '../context';
import { saveUrl } from '../components/download';
import { qrDataUrl } from '../crm/qr';
import { printVouchers } from '../crm/VoucherCard';

export function BadgeDialog({ person, onClose }: { person: StaffMember; onClose(): void }) {
  const { api, info } = useApp();
  const admin = useAdmin();
  const { t } = useTranslation('staff');
  const { busy, error, run } = useAction();
  const [url, setUrl] = useState<string | null>(null);

  async function issue() {
    await run(async () => {
      const r = await withAdmin(admin, (adminToken) => api.call('staff.badge', { adminToken, id: person.id }));
      if (r) setUrl(await qrDataUrl(r.text, 480));
    });
  }

  const shop = info.merchant ? [info.merchant.name || info.merchant.id, info.branch?.name].filter(Boolean).join(' · ') : '';
  return (
    <Dialog
      title={t('badge.title', { name: person.name })}
      okLabel={url ? t('badge.print') : t('screen.printBadge')}
      busy={busy}
      error={error}
      onSubmit={() => (url ? printVouchers(false) : void issue())}
      onCancel={onClose}
      testId="badge-dialog"
    >
      {url ? (
        <div className="crm-print-area">
          <figure className="crm-voucher staff-badge" data-testid="badge-card">
            <img src={url} alt={person.name} className="crm-voucher__qr" data-testid="badge-qr" />
            <figcaption>
              <strong>{person.name}</strong>
              <br />
              {t('badge.role', { role: t(`roles.${person.role}`) })}
              {shop ? (
                <>
                  <br />
                  {shop}
                </>
              ) : null}
            </figcaption>
            <div className="button-row crm-noprint">
              <button type="button" className="button button--small" onClick={() => saveUrl(url, `badge-${person.name}.png`)} data-testid="badge-save">
                {t('badge.save')}
              </button>
            </div>
          </figure>
        </div>
      ) : (
        <p className="dialog__hint">{t('badge.hint', { name: person.name })}</p>
      )}
    </Dialog>
  );
}
