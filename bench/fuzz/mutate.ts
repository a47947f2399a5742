/**
 * The mutator of the fuzz benchmark: from the seeds of one parser, the input
 * number `index` of a run with seed `seed`. Every input has its own PRNG,
 * derived from (seed, index) alone, so one input is rebuilt from those two
 * numbers without replaying the run (that is what a crash report prints).
 *
 * Mutations, one to four stacked: bit flip, random byte, byte insert, range
 * delete, range duplicate, splice of two seeds, truncation, a dictionary token
 * of the parser's format (inserted or overwriting), and a huge length (a long
 * run of one byte or token, or a length field claiming far more than follows).
 */

/** A small, fast PRNG (SplitMix32 to seed, then sfc32). */
export function prng(seed: number, index: number): () => number {
  let s = (seed ^ Math.imul(index + 1, 0x9e3779b9)) >>> 0;
  const mix = (): number => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
  let a = mix(), b = mix(), c = mix(), d = mix();
  return () => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
}

/** The largest input made (a huge length stays within this). */
export const MAX_INPUT = 256 * 1024;

export interface Corpus {
  seeds: readonly Buffer[];
  /** The largest input made for this parser (default MAX_INPUT). */
  maxInput?: number;
  /** Tokens of the format: JSON punctuation, CBOR heads, alphabet letters, delimiters… */
  dict: readonly Buffer[];
}

type Rand = () => number;
const int = (r: Rand, n: number): number => Math.floor(r() * n);

function mutateOnce(buf: Buffer, r: Rand, c: Corpus, max: number): Buffer {
  const len = buf.length;
  const at = int(r, len + 1);
  switch (int(r, 10)) {
    case 0: {
      if (len === 0) return buf;
      const out = Buffer.from(buf);
      const i = int(r, len);
      out[i] = out[i]! ^ (1 << int(r, 8));
      return out;
    }
    case 1: {
      if (len === 0) return buf;
      const out = Buffer.from(buf);
      out[int(r, len)] = int(r, 256);
      return out;
    }
    case 2: {
      const n = 1 + int(r, 4);
      const ins = Buffer.alloc(n);
      for (let i = 0; i < n; i++) ins[i] = int(r, 256);
      return Buffer.concat([buf.subarray(0, at), ins, buf.subarray(at)]);
    }
    case 3: {
      const n = 1 + int(r, Math.max(1, Math.min(64, len - at)));
      return Buffer.concat([buf.subarray(0, at), buf.subarray(Math.min(len, at + n))]);
    }
    case 4: {
      const n = 1 + int(r, 64);
      return Buffer.concat([buf.subarray(0, Math.min(len, at + n)), buf.subarray(at)]);
    }
    case 5: {
      const other = c.seeds[int(r, c.seeds.length)]!;
      return Buffer.concat([buf.subarray(0, at), other.subarray(int(r, other.length + 1))]);
    }
    case 6:
      return buf.subarray(0, at);
    case 7:
    case 8: {
      const tok = c.dict.length ? c.dict[int(r, c.dict.length)]! : Buffer.from([int(r, 256)]);
      const overwrite = r() < 0.5 ? tok.length : 0;
      return Buffer.concat([buf.subarray(0, at), tok, buf.subarray(Math.min(len, at + overwrite))]);
    }
    default: {
      // A huge length: a long run of one token or byte, or a length field that claims 2^32 or 2^64.
      const kind = int(r, 3);
      if (kind === 0) return Buffer.concat([buf.subarray(0, at), Buffer.from([0x5b, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]), buf.subarray(at)]);
      if (kind === 1) return Buffer.concat([buf.subarray(0, at), Buffer.from('99999999999999999999e999'), buf.subarray(at)]);
      const tok = c.dict.length && r() < 0.5 ? c.dict[int(r, c.dict.length)]! : Buffer.from([int(r, 256)]);
      const times = Math.max(1, Math.floor(Math.max(0, Math.min(max - len, 1 << (8 + int(r, 9)))) / Math.max(1, tok.length)));
      return Buffer.concat([buf.subarray(0, at), Buffer.alloc(tok.length * times, tok), buf.subarray(at)]);
    }
  }
}

/** Input number `index` of the run `seed`: a seed, mutated one to four times. */
export function mutant(c: Corpus, seed: number, index: number): Buffer {
  const r = prng(seed, index);
  let buf = c.seeds[int(r, c.seeds.length)]!;
  const rounds = 1 + int(r, 4);
  const max = c.maxInput ?? MAX_INPUT;
  for (let i = 0; i < rounds; i++) {
    buf = mutateOnce(buf, r, c, max);
    if (buf.length > max) buf = buf.subarray(0, max);
  }
  return buf;
}

const ascii = (...tokens: string[]): Buffer[] => tokens.map((t) => Buffer.from(t, 'utf8'));

/** Dictionaries per format. */
export const DICT = {
  json: ascii('{', '}', '[', ']', '"', ':', ',', 'null', 'true', 'false', '-0', '1e308', '-1', '0.5', '"\\u0000"', '"\\ud800"', '{}', '[]', '"__proto__"', '"constructor"', '\\', '\n', '\r\n'),
  base64url: ascii('.', '..', '-', '_', 'A', 'AA', 'AAAA', '=', '+', '/', 'eyJ', 'e30', 'W10', ' ', '\n'),
  base45: ascii(...'0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:'.split(''), 'GBV2:', 'GBV1:', ':::', 'ZZZ', '   '),
  // CBOR heads of every major type, with short and long (8-byte) lengths, tags, simple values, break.
  cbor: [0x00, 0x17, 0x18, 0x19, 0x1a, 0x1b, 0x20, 0x38, 0x40, 0x58, 0x5b, 0x5f, 0x60, 0x78, 0x7f, 0x80, 0x98, 0x9f, 0xa0, 0xb8, 0xbf, 0xc0, 0xc1, 0xd2, 0xd8, 0xf4, 0xf5, 0xf6, 0xf7, 0xf9, 0xfa, 0xfb, 0xff].map((b) => Buffer.from([b])),
  csv: [
    ...ascii('"', '""', ',', ';', '\t', '\r\n', '\n', '\r', '\ufeff', '=cmd|', 'name', 'phone', '13800138000', '张三', ' ', '"\n"'),
    Buffer.from([0xef, 0xbb, 0xbf]),
    Buffer.from([0xd5, 0xc5, 0xc8, 0xfd]), // 张三 in GBK
    Buffer.from([0x81]), // a GBK lead byte alone
    Buffer.from([0xff, 0xfe]),
    Buffer.from([0xc3, 0x28]),
    Buffer.from([0x00]),
  ],
};
