/** Reading the issuer tool's options: a usage error says what to write instead. */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { parseTime } from '../mint';

export class UsageError extends Error {}

type Parsed<T extends ParseArgsConfig['options']> = ReturnType<
  typeof parseArgs<{ args: string[]; options: { help: { type: 'boolean'; short: string } } & T; allowPositionals: boolean; strict: true }>
>;

/** The options (and at most `positionals` arguments) of one command, with --help. */
export function args<T extends ParseArgsConfig['options']>(argv: string[], options: T, positionals = 0): Parsed<T> {
  try {
    const parsed = parseArgs({ args: argv, options: { help: { type: 'boolean', short: 'h' }, ...options }, allowPositionals: positionals > 0, strict: true });
    if (parsed.positionals.length > positionals) throw new UsageError(`unexpected argument: ${parsed.positionals[positionals]}`);
    return parsed;
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError((e as Error).message);
  }
}

export function required<T>(value: T | undefined, name: string): T {
  if (value === undefined || value === '') throw new UsageError(`--${name} is required`);
  return value;
}

export function oneOf<T extends string>(value: string | undefined, allowed: readonly T[], name: string): T | undefined {
  if (value === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(value)) {
    throw new UsageError(`--${name} must be one of ${allowed.join(', ')} (got "${value}")`);
  }
  return value as T;
}

export function num(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n)) {
    throw new UsageError(`--${name} must be a number (got "${value}"); use --claim ${name}=JSON for other values`);
  }
  return n;
}

export function time(value: string | undefined, name: string, now: number): number | undefined {
  if (value === undefined) return undefined;
  try {
    return parseTime(value, now);
  } catch (e) {
    throw new UsageError(`--${name}: ${(e as Error).message}`);
  }
}

export function slug(s: string): string {
  return s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '') || 'key';
}

export const year = () => new Date().getUTCFullYear();
