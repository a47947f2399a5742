/**
 * `npm run start:web -- [--data-dir D] [--port P]`: the browser host. Serves
 * the built renderer on 127.0.0.1 with a per-run secret in the printed URL and
 * carries the same contract to the same core process as the app.
 */
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { defaultDataDir } from '../core/paths';
import { startCoreChild } from './core-child';
import { startHost } from './server';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { 'data-dir': { type: 'string' }, port: { type: 'string' } },
    strict: true,
  });
  const dataDir = resolve(values['data-dir'] ?? defaultDataDir());
  const port = values.port ? Number(values.port) : 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error('VoucherDesk: --port must be a number from 0 to 65535');
    process.exit(2);
  }
  const core = await startCoreChild({ dataDir });
  const host = await startHost({ core: core.connection, rendererDir: join(root, 'out', 'renderer'), port });
  console.log(`VoucherDesk browser host (data: ${dataDir})`);
  console.log(`Open: ${host.url}`);
  const stop = async () => {
    await host.close();
    await core.stop();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  void core.exited.then((code) => {
    console.error(`VoucherDesk: the core process stopped (code ${code}).`);
    process.exit(1);
  });
}

void main();
