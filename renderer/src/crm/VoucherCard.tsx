/** A referral or reward voucher as a QR picture, to print or save. */
import { maskIds } from '../../../common/people/mask';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ReferralVoucherView } from '../../../preload/contract';
import { useApp } from '../context';
import { formatDateTime } from '../format';
import { saveUrl } from '../components/download';
import { qrDataUrl } from './qr';

export function VoucherCard({ v, memberName, onGiven }: { v: ReferralVoucherView; memberName?: string; onGiven?(): void }) {
  const { api, language } = useApp();
  const { t } = useTranslation('crm');
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    void api
      .call('crm.voucherText', { jti: v.jti })
      .then((r) => qrDataUrl(r.text))
      .then((u) => live && setUrl(u));
    return () => {
      live = false;
    };
  }, [api, v.jti]);
  return (
    <figure className="crm-voucher" data-testid="crm-voucher" data-jti={v.jti} data-purpose={v.purpose}>
      {url ? <img src={url} alt={maskIds(v.jti)} className="crm-voucher__qr" data-testid="crm-voucher-qr" /> : <div className="crm-voucher__qr" />}
      <figcaption>
        <strong>{t(`voucher.${v.purpose}`)}</strong> · {v.terms}
        <br />
        {t('voucher.for', { name: v.personName || '—' })}
        {memberName && v.purpose === 'welcome' ? <> · {t('voucher.from', { name: memberName })}</> : null}
        <br />
        {v.exp ? t('voucher.valid', { date: formatDateTime(v.exp * 1000, language) }) : null}
        <span className="crm-voucher__jti mono">{maskIds(v.jti)}</span>
      </figcaption>
      <div className="button-row crm-noprint">
        <button type="button" className="button button--small" disabled={!url} onClick={() => url && saveUrl(url, `${v.jti}.png`)} data-testid="crm-voucher-save">
          {t('voucher.save')}
        </button>
        {onGiven && !v.givenAt ? (
          <button type="button" className="button button--small" onClick={onGiven} data-testid="crm-voucher-given">
            {t('voucher.given')}
          </button>
        ) : null}
      </div>
    </figure>
  );
}

/** Prints the vouchers shown in `.crm-print-area`: one per page, or all on one sheet (a hidden frame, so the screen stays as it is). */
export function printVouchers(sheet: boolean): void {
  const figures = [...document.querySelectorAll('.crm-print-area .crm-voucher')].map((f) => {
    const c = f.cloneNode(true) as HTMLElement;
    c.querySelectorAll('.crm-noprint').forEach((n) => n.remove());
    return c.outerHTML;
  });
  if (figures.length === 0) return;
  const frame = document.createElement('iframe');
  frame.style.cssText = 'position:fixed;width:0;height:0;border:0;right:0;bottom:0';
  document.body.appendChild(frame);
  const doc = frame.contentDocument!;
  doc.open();
  doc.write(`<!doctype html><html><head><meta charset="utf-8"><style>
    body{font-family:system-ui,'PingFang SC','Microsoft YaHei','Noto Sans CJK SC',sans-serif;margin:0}
    .crm-voucher{margin:0;padding:12mm;text-align:center;${sheet ? 'display:inline-block;width:45%;vertical-align:top;padding:4mm' : 'page-break-after:always'}}
    .crm-voucher img{width:${sheet ? '45mm' : '90mm'};height:auto}
    .mono{font-family:monospace;display:block;color:#555;font-size:9pt}
  </style></head><body>${figures.join('')}</body></html>`);
  doc.close();
  const w = frame.contentWindow!;
  setTimeout(() => {
    w.focus();
    w.print();
    setTimeout(() => frame.remove(), 1000);
  }, 100);
}
