/** `issuer platform init`: a platform's signing key, private and public. */
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fingerprint, generateIssuerKey, SIGNING_ALGS, type Platform, type SigningAlg } from '../keys';
import { args, oneOf, required, slug, UsageError, year } from './args';
import { refuseOverwrite, short, writeJson } from './files';
import { help } from './usage';

export async function platformInit(argv: string[]): Promise<number> {
  const { values: v } = args(argv, {
    dir: { type: 'string' },
    iss: { type: 'string' },
    name: { type: 'string' },
    alg: { type: 'string' },
    kid: { type: 'string' },
    force: { type: 'boolean' },
  });
  if (v.help) return help();
  const dir = resolve(required(v.dir, 'dir'));
  const iss = v.iss ?? 'gb.example';
  if (iss.length < 1 || iss.length > 64) throw new UsageError('--iss must be 1–64 characters');
  const name = v.name ?? 'Example Group Buy';
  const alg: SigningAlg = oneOf(v.alg, SIGNING_ALGS, 'alg') ?? 'EdDSA';
  const kid = v.kid ?? `${slug(iss.split('.')[0] ?? iss)}-${year()}a`;

  await mkdir(dir, { recursive: true });
  const privFile = join(dir, 'platform.json');
  const pubFile = join(dir, 'platform.public.json');
  refuseOverwrite(privFile, v.force);

  const signing = await generateIssuerKey({ alg, kid });
  const platform: Platform = { iss, name, signing };
  const pub = { iss, name, keys: [signing.publicJwk] };
  await writeJson(privFile, platform, 0o600);
  await writeJson(pubFile, pub, 0o644);

  const fp = await fingerprint(signing.publicJwk);
  process.stderr.write(
    `platform ${iss} (${name}): ${alg} key ${kid}, fingerprint ${short(fp)}\n` +
      `  ${privFile} (private, keep it safe)\n  ${pubFile}\n`,
  );
  process.stdout.write(
    JSON.stringify({ iss, name, alg, kid, fingerprint: fp, publicJwk: signing.publicJwk, files: { private: privFile, public: pubFile } }) + '\n',
  );
  return 0;
}
