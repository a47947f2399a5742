/** QR pictures of vouchers and member cards (the qrcode package, in the browser). */
import QRCode from 'qrcode';

export function qrDataUrl(text: string, width = 360): Promise<string> {
  return QRCode.toDataURL(text, { errorCorrectionLevel: 'L', margin: 2, width });
}

/** Saves a data URL as a file through a download link. */
export function saveDataUrl(url: string, fileName: string): void {
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.appendChild(a);
  a.click();
  a.remove();
}

export function saveText(text: string, fileName: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  saveDataUrl(url, fileName);
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
