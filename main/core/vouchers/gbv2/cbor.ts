import { decode, Tokenizer, Type, type Token } from 'cborg';

/**
 * Strict CBOR decoding, as GBV2 wants it everywhere (docs/spec/voucher-format-v2.md §4):
 * definite lengths only, no duplicate map keys, no tags, no floating-point
 * values, no simple values but true/false/null, integers and lengths in their
 * shortest form, valid UTF-8 in text, no bytes after the last item.
 *
 * cborg does most of it with its options (tags and other simple values it
 * refuses by default, and bytes after the item too); the tokenizer below adds
 * the rest: floats, and text that is not UTF-8 (cborg would put U+FFFD in).
 * Maps come out as `Map`s, so the integer key 1 and the text key "1" stay apart.
 */

export class CborError extends Error {}

const fatalUtf8 = new TextDecoder('utf-8', { fatal: true });

const OPTIONS = {
  strict: true,
  allowIndefinite: false,
  allowUndefined: false,
  allowNaN: false,
  allowInfinity: false,
  rejectDuplicateMapKeys: true,
  useMaps: true,
  retainStringBytes: true,
} as const;

class StrictTokenizer extends Tokenizer {
  override next(): Token {
    const token = super.next();
    if (Type.equals(token.type, Type.float)) throw new CborError('floating-point value');
    if (Type.equals(token.type, Type.string) && (token.value as string).includes('\uFFFD')) {
      // Only a replacement character can betray bad UTF-8: check the bytes then.
      fatalUtf8.decode(token.byteValue); // throws on invalid UTF-8
    }
    return token;
  }
}

/** One CBOR item, decoded strictly; throws CborError on anything the spec refuses. */
export function decodeStrict(bytes: Uint8Array): unknown {
  try {
    return decode(bytes, { ...OPTIONS, tokenizer: new StrictTokenizer(bytes, OPTIONS) });
  } catch (e) {
    throw e instanceof CborError ? e : new CborError(e instanceof Error ? e.message : 'not CBOR');
  }
}
