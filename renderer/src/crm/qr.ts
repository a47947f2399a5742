/** QR pictures of vouchers and member cards (the qrcode package, in the browser). */
import QRCode from 'qrcode';

/** The characters QR alphanumeric mode holds (5.5 bits each): all a GBV2 text uses (voucher-format-v2.md §1). */
const QR_ALPHANUMERIC = /^[0-9A-Z $%*+\-./:]+$/;

/**
 * How a text is drawn: a GBV2 voucher or card in alphanumeric mode at level M
 * (about half the modules of byte mode, and it still reads with a smudge);
 * anything else (GBV1) as the library chooses (byte mode) at level L, as before, to keep its long
 * symbol as small as it goes.
 */
export function qrPlan(text: string): { segments: string | QRCode.QRCodeSegment[]; level: 'L' | 'M' } {
  return text.startsWith('GBV2:') && QR_ALPHANUMERIC.test(text)
    ? { segments: [{ mode: 'alphanumeric', data: text }], level: 'M' }
    : { segments: text, level: 'L' };
}

export function qrDataUrl(text: string, width = 360): Promise<string> {
  const { segments, level } = qrPlan(text);
  return QRCode.toDataURL(segments, { errorCorrectionLevel: level, margin: 2, width });
}
