/**
 * A printable sheet of vouchers: one QR PNG per voucher and an HTML page that
 * lays them out in a grid with their labels (English and Simplified Chinese).
 * The demo writes one; a cashier can scan it from the screen or from paper.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeQrPng } from './mint';

export interface SheetEntry {
  /** What the voucher is, e.g. "Valid — 有效". */
  label: string;
  /** A line under the label, e.g. "2 × Double hotpot set — 双人火锅套餐 × 2". */
  note?: string;
  /** The voucher text (what the QR code holds). */
  text: string;
}

export interface SheetOptions {
  /** Pixels per QR module; default 4. */
  scale?: number;
}

function escapeHtml(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** A file name from a label: ASCII letters and digits only, numbered so names never clash. */
function pngName(index: number, label: string): string {
  const slug = label
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40);
  return `${String(index + 1).padStart(2, '0')}${slug ? `-${slug}` : ''}.png`;
}

/**
 * Write one PNG per voucher and `dir/sheet.html`; return the path of the HTML page.
 * Existing files of the same names are replaced.
 */
export async function writeVoucherSheet(
  dir: string,
  entries: SheetEntry[],
  title: string,
  opts: SheetOptions = {},
): Promise<string> {
  await mkdir(dir, { recursive: true });
  const cards: string[] = [];
  for (const [i, entry] of entries.entries()) {
    const file = pngName(i, entry.label);
    await writeQrPng(entry.text, join(dir, file), opts.scale !== undefined ? { scale: opts.scale } : {});
    cards.push(`    <figure class="card">
      <img src="${escapeHtml(file)}" alt="${escapeHtml(entry.label)}">
      <figcaption>
        <div class="label">${escapeHtml(entry.label)}</div>
        ${entry.note ? `<div class="note">${escapeHtml(entry.note)}</div>` : ''}
        <details><summary>Text — 文本</summary><textarea readonly rows="4" spellcheck="false">${escapeHtml(entry.text)}</textarea></details>
      </figcaption>
    </figure>`);
  }
  const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>
  body { font-family: system-ui, "Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", sans-serif; margin: 24px; color: #111; }
  h1 { font-size: 22px; margin: 0 0 4px; }
  p.hint { margin: 0 0 20px; color: #444; }
  .grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(260px, 1fr)); gap: 16px; }
  .card { margin: 0; padding: 12px; border: 1px solid #ccc; border-radius: 8px; text-align: center; break-inside: avoid; page-break-inside: avoid; }
  .card img { width: 100%; max-width: 320px; image-rendering: pixelated; }
  .label { font-weight: 600; font-size: 16px; margin-top: 6px; }
  .note { color: #444; font-size: 13px; margin-top: 2px; }
  details { margin-top: 6px; font-size: 12px; text-align: left; }
  textarea { width: 100%; box-sizing: border-box; font: 11px ui-monospace, monospace; word-break: break-all; }
  @media print { details, p.hint { display: none; } body { margin: 0; } .grid { grid-template-columns: repeat(3, 1fr); } }
</style>
</head>
<body>
  <h1>${escapeHtml(title)}</h1>
  <p class="hint">Scan each code on the Redeem screen, or copy its text and paste it there. — 在核销页面扫描二维码，或复制文本后粘贴。</p>
  <main class="grid">
${cards.join('\n')}
  </main>
</body>
</html>
`;
  const htmlPath = join(dir, 'sheet.html');
  await writeFile(htmlPath, html);
  return htmlPath;
}
