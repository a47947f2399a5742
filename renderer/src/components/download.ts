/** Saving a file the app made (an export, a card, a batch file) through a download link: the one way the screens save files. */

/** Saves a data URL or an object URL as `fileName`. */
export function saveUrl(url: string, fileName: string): void {
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.appendChild(a);
  a.click();
  a.remove();
}

/** Saves bytes or text as `fileName`. */
export function saveBlob(content: BlobPart, fileName: string, type: string): void {
  const url = URL.createObjectURL(new Blob([content], { type }));
  saveUrl(url, fileName);
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Saves a file the core made, its bytes in base64. */
export function saveBase64(contentBase64: string, fileName: string, type: string): void {
  const raw = atob(contentBase64);
  const bytes = new Uint8Array(raw.length);
  for (let i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
  saveBlob(bytes, fileName, type);
}
