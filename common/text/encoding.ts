/**
 * Which encoding a text file (a CSV from a spreadsheet) is in, and its text.
 * A byte order mark says it (UTF-8, UTF-16 LE or BE); without one the file is
 * UTF-8 when its lines with other than ASCII are mostly UTF-8 (a stray line in
 * another encoding stays a bad line to report), else GB18030, the superset of
 * GBK that Excel and WPS write on a Chinese Windows. Runs in the core and in
 * the page (TextDecoder knows all four in Node and in Chromium).
 */

export type TextEncodingName = 'utf-8' | 'utf-16le' | 'utf-16be' | 'gb18030';

/** The encoding and the length of its byte order mark, when the file starts with one. */
function bom(bytes: Uint8Array): { encoding: TextEncodingName; length: number } | null {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return { encoding: 'utf-8', length: 3 };
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { encoding: 'utf-16le', length: 2 };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { encoding: 'utf-16be', length: 2 };
  return null;
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

function isUtf8(bytes: Uint8Array): boolean {
  try {
    strictUtf8.decode(bytes);
    return true;
  } catch {
    return false;
  }
}

export function detectEncoding(bytes: Uint8Array): TextEncodingName {
  const marked = bom(bytes);
  if (marked) return marked.encoding;
  if (isUtf8(bytes)) return 'utf-8';
  let utf8 = 0;
  let other = 0;
  for (let start = 0; start < bytes.length; ) {
    let end = bytes.indexOf(0x0a, start);
    if (end === -1) end = bytes.length;
    const line = bytes.subarray(start, end);
    if (line.some((b) => b >= 0x80)) {
      if (isUtf8(line)) utf8++;
      else other++;
    }
    start = end + 1;
  }
  return utf8 > other ? 'utf-8' : 'gb18030';
}

/** The file's text in the encoding it is in, without its byte order mark. */
export function decodeText(bytes: Uint8Array): { text: string; encoding: TextEncodingName } {
  const encoding = detectEncoding(bytes);
  const body = bytes.subarray(bom(bytes)?.length ?? 0);
  return { text: new TextDecoder(encoding).decode(body), encoding };
}
