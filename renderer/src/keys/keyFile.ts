/**
 * A first look at a file chosen for import, only to decide which fields to
 * ask for. The core decides what the file really is.
 */

export type KeyFileKind =
  /** An encrypted merchant bundle (JWE) or a clear one (JSON). */
  | 'bundle'
  /** One key: PEM, or a JWK. The admin says what it is for. */
  | 'single'
  /** Unknown: the core will say. */
  | 'unknown';

export interface KeyFileGuess {
  kind: KeyFileKind;
  /** The `kid` a JWK carries, to prefill the field. */
  kid?: string;
}

export function guessKeyFile(content: string): KeyFileGuess {
  const text = content.trim();
  if (text.startsWith('-----BEGIN')) return { kind: 'single' };
  if (/^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]*){4}$/.test(text)) return { kind: 'bundle' };
  if (text.startsWith('{')) {
    try {
      const json: unknown = JSON.parse(text);
      if (json && typeof json === 'object') {
        const o = json as Record<string, unknown>;
        if (typeof o.kty === 'string') return typeof o.kid === 'string' ? { kind: 'single', kid: o.kid } : { kind: 'single' };
        if ('merchant' in o || 'encryptionKeys' in o) return { kind: 'bundle' };
      }
    } catch {
      return { kind: 'unknown' };
    }
  }
  return { kind: 'unknown' };
}
