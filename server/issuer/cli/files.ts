/** The issuer tool's files: private ones written 0600, platforms and merchants read back. */
import { existsSync, statSync } from 'node:fs';
import { chmod, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { JWK } from 'jose';
import type { BundleJson } from '../bundle';
import { parseMerchant, parsePlatform, publicJwkOf, type Merchant, type Platform, type SigningKey } from '../keys';

export async function writeJson(file: string, value: unknown, mode: number): Promise<void> {
  await writeFile(file, JSON.stringify(value, null, 2) + '\n', { mode });
  await chmod(file, mode); // writeFile's mode applies only to new files
}

export async function writeText(file: string, text: string, mode: number): Promise<void> {
  await writeFile(file, text, { mode });
  await chmod(file, mode);
}

export async function readJson(file: string, what: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw new Error(`cannot read the ${what} file ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new Error(`the ${what} file ${file} is not JSON`);
  }
}

/** A directory holding NAME, or the file itself. */
export function fileIn(path: string, name: string): string {
  return existsSync(path) && statSync(path).isDirectory() ? join(path, name) : path;
}

export async function loadPlatform(path: string): Promise<Platform> {
  const file = fileIn(path, 'platform.json');
  try {
    return parsePlatform(await readJson(file, 'platform'));
  } catch (e) {
    throw new Error(`${file}: ${(e as Error).message}`);
  }
}

/** What mint needs of a merchant, from merchant.json or a clear bundle.json. */
export interface MintTarget {
  id: string;
  name: string;
  encryptionKeys: JWK[];
  signing?: SigningKey;
}

export async function loadMintTarget(path: string): Promise<MintTarget> {
  const file = fileIn(path, 'merchant.json');
  const json = await readJson(file, 'merchant');
  const asBundle = json as Partial<BundleJson>;
  if (asBundle.v === 1 && Array.isArray(asBundle.encryptionKeys) && asBundle.merchant) {
    const sig = asBundle.signingKeys?.[0];
    return {
      id: asBundle.merchant.id,
      name: asBundle.merchant.name,
      encryptionKeys: asBundle.encryptionKeys,
      ...(sig && typeof sig.kid === 'string'
        ? { signing: { alg: 'EdDSA' as const, kid: sig.kid, privateJwk: sig, publicJwk: publicJwkOf(sig) } }
        : {}),
    };
  }
  let merchant: Merchant;
  try {
    merchant = parseMerchant(json);
  } catch (e) {
    throw new Error(`${file}: ${(e as Error).message}`);
  }
  return {
    id: merchant.id,
    name: merchant.name,
    encryptionKeys: [merchant.encryption.publicJwk],
    ...(merchant.signing ? { signing: merchant.signing } : {}),
  };
}

export function refuseOverwrite(file: string, force: boolean | undefined): void {
  if (!force && existsSync(file)) throw new Error(`${file} already exists (use --force to replace it)`);
}

export const short = (fp: string) => fp.slice(0, 16);
