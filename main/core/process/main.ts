/**
 * The core process: hosts the core services behind the contract's handler map.
 * In the Electron app it runs as a utilityProcess (process.parentPort); in the
 * browser host and in tests the same file runs as a Node child (process.send).
 * Only the few lines that move messages differ.
 */
import { parseArgs } from 'node:util';
import type { CallError, EventName } from '../../../preload/contract';
import type { SecretProtector } from '../keystore/protector';
import { createLogger } from '../log';
import { CoreGate } from '../gate';
import { StartPrefs } from '../start-prefs';
import { createCore } from '../services';
import type { FromCore, OsOp, ToCore } from './protocol';

interface ParentPortLike {
  on(event: 'message', fn: (e: { data: unknown }) => void): void;
  postMessage(msg: unknown): void;
}

function transport(): { send(msg: FromCore): void; onMessage(fn: (msg: ToCore) => void): void } {
  const parentPort = (process as unknown as { parentPort?: ParentPortLike }).parentPort;
  if (parentPort) {
    return {
      send: (msg) => parentPort.postMessage(msg),
      onMessage: (fn) => parentPort.on('message', (e) => fn(e.data as ToCore)),
    };
  }
  if (process.send) {
    return {
      send: (msg) => process.send!(msg),
      onMessage: (fn) => process.on('message', (m) => fn(m as ToCore)),
    };
  }
  throw new Error('The core process must be started by VoucherDesk (no parent channel).');
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      'data-dir': { type: 'string' },
      protector: { type: 'string', default: 'passphrase' },
      device: { type: 'string' },
    },
    strict: true,
  });
  const dataDir = values['data-dir'];
  if (!dataDir) throw new Error('--data-dir is required');
  const io = transport();
  const log = createLogger(dataDir);

  // OS keychain requests go to the parent, which owns safeStorage.
  let nextOs = 1;
  const osPending = new Map<number, { resolve: (b: Buffer) => void; reject: (e: Error) => void }>();
  const askParent = (op: OsOp, data: Buffer) =>
    new Promise<Buffer>((resolve, reject) => {
      const id = nextOs++;
      osPending.set(id, { resolve, reject });
      io.send({ t: 'os', id, op, data: data.toString('base64') });
    });
  const os: SecretProtector = {
    protect: (plain) => askParent('protect', plain),
    unprotect: (blob) => askParent('unprotect', blob),
  };

  // Calls that arrive while the core opens wait for it. Where the database key
  // is sealed with the admin passphrase, the gate answers until it is given.
  const prefs = new StartPrefs(dataDir);
  const gate = new CoreGate(
    (passphrase) =>
      createCore({
        dataDir,
        protector: values.protector === 'os' ? { mode: 'os', os } : { mode: 'passphrase' },
        device: values.device,
        logger: log,
        scanners: true,
        sync: true,
        backups: true,
        passphrase,
        emit: (name: EventName, payload) => io.send({ t: 'event', name, payload }),
      }),
    () => prefs.locale(),
  );
  let started = false;
  const queued: Extract<ToCore, { t: 'call' }>[] = [];
  const handleCall = async (msg: Extract<ToCore, { t: 'call' }>) => {
    const outcome = await gate.call(msg.name, msg.input);
    io.send({ t: 'result', id: msg.id, outcome });
  };

  io.onMessage((msg) => {
    switch (msg.t) {
      case 'call':
        if (started) void handleCall(msg);
        else queued.push(msg);
        break;
      case 'os-result': {
        const p = osPending.get(msg.id);
        osPending.delete(msg.id);
        if (p && msg.ok) p.resolve(Buffer.from(msg.data, 'base64'));
        else if (p) p.reject(new Error('OS keychain refused'));
        break;
      }
      case 'shutdown':
        gate.close();
        process.exit(0);
    }
  });

  let state: 'open' | 'locked';
  try {
    state = await gate.start();
  } catch (e) {
    const error =
      e && typeof e === 'object' && 'toCallError' in e
        ? (e as { toCallError(): CallError }).toCallError()
        : ({ code: 'core.startFailed', message: 'The core could not open its database.' } satisfies CallError);
    log.error('start failed', { code: error.code });
    io.send({ t: 'fatal', error });
    process.exitCode = 1;
    setTimeout(() => process.exit(1), 50);
    return;
  }
  log.info(state === 'open' ? 'core started' : 'core started, locked until the admin passphrase', { pid: process.pid });
  started = true;
  io.send({ t: 'ready', pid: process.pid });
  for (const msg of queued.splice(0)) void handleCall(msg);
}

void main();
