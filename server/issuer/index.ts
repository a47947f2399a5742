/**
 * The issuer tool: `npm run issuer -- <command>`.
 *
 * Makes a platform's signing key, a merchant (its keys and a passphrase-sealed
 * bundle), and vouchers of every kind, as text and as QR PNGs: GBV2 by default,
 * GBV1 with `--format gbv1`. For demos and tests; a real platform does the same
 * with its own COSE/HPKE (or JOSE) library.
 *
 * Human summaries go to stderr, machine output to stdout. Exit codes: 0 done,
 * 1 failure, 2 usage error. Private keys are only ever written to files.
 *
 * One file a command in cli/ (platform, merchant, mint, qr), with the options
 * reading, the files and the help text beside them.
 */
import { UsageError } from './cli/args';
import { merchantCreate } from './cli/merchant';
import { mint } from './cli/mint';
import { platformInit } from './cli/platform';
import { qr } from './cli/qr';
import { help } from './cli/usage';

async function main(argv: string[]): Promise<number> {
  const [command, sub, ...rest] = argv;
  try {
    switch (command) {
      case undefined:
        throw new UsageError('no command given');
      case 'help':
      case '--help':
      case '-h':
        return help();
      case 'platform':
        if (sub !== 'init') throw new UsageError(`unknown command: platform ${sub ?? ''}`.trim());
        return await platformInit(rest);
      case 'merchant':
        if (sub !== 'create') throw new UsageError(`unknown command: merchant ${sub ?? ''}`.trim());
        return await merchantCreate(rest);
      case 'mint':
        return await mint(argv.slice(1));
      case 'qr':
        return await qr(argv.slice(1));
      default:
        throw new UsageError(`unknown command: ${command}`);
    }
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`issuer: ${e.message}\n(npm run issuer -- help shows every command and option)\n`);
      return 2;
    }
    process.stderr.write(`issuer: ${(e as Error).message}\n`);
    return 1;
  }
}

process.exitCode = await main(process.argv.slice(2));
