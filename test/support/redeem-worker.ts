/**
 * One process of the multi-process race: opens the workstation at argv[2],
 * prints "ready", then reads the voucher from stdin (the parent sends it to
 * every worker at once), redeems it, and prints the verdict as JSON.
 */
import { readStdin } from '../../main/cli/prompt';
import { createCore } from '../../main/core/services';
import { silentLogger } from '../../main/core/log';

const [dataDir] = process.argv.slice(2);
const core = await createCore({ dataDir: dataDir!, protector: { mode: 'passphrase' }, logger: silentLogger, passphrase: process.env.VOUCHERDESK_PASSPHRASE });
await core.invoke('keystore.unlock', { passphrase: process.env.VOUCHERDESK_PASSPHRASE! });
process.stdout.write('ready\n');
const text = await readStdin();
const r = await core.invoke('voucher.redeem', { text });
process.stdout.write(JSON.stringify({ verdict: r.verdict, event: r.event?.id ?? null }) + '\n');
core.close();
