/**
 * The shell's core supervisor, against the real core bundle (out/core/main.cjs,
 * the file the app forks as a utilityProcess) run here as a Node child: calls
 * relay, a killed core fails its pending calls and is restarted once, a clean
 * stop is not a crash. Plus the edge cases, with a fake process.
 */
import { execFileSync, fork, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppInfo } from '../../preload/contract';
import { CoreSupervisor, type CoreProcessLike } from '../../main/electron/core-supervisor';
import type { FromCore, ToCore } from '../../main/core/process/protocol';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const BUNDLE = path.join(ROOT, 'out', 'core', 'main.cjs');

/** The bundled core as a Node child, wrapped the way core-host.ts wraps a utilityProcess. */
function spawnBundledCore(dataDir: string, children: ChildProcess[]): CoreProcessLike {
  const child = fork(BUNDLE, ['--data-dir', dataDir, '--protector', 'passphrase', '--device', 'POS-TEST01'], {
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  children.push(child);
  return {
    postMessage: (msg: ToCore) => {
      if (child.connected) child.send(msg);
    },
    kill: () => child.kill('SIGKILL'),
    onMessage: (fn) => child.on('message', (m) => fn(m as FromCore)),
    onExit: (fn) => child.on('exit', (code) => fn(code ?? 137)),
  };
}

describe('CoreSupervisor with the bundled core', () => {
  let dataDir: string;
  const children: ChildProcess[] = [];
  const exits: { code: number; restarting: boolean }[] = [];
  let core: CoreSupervisor;

  beforeAll(() => {
    execFileSync(process.execPath, [path.join(ROOT, 'scripts', 'build-electron.mjs')], { cwd: ROOT, stdio: 'inherit' });
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'vd-supervisor-'));
    core = new CoreSupervisor({
      spawn: () => spawnBundledCore(dataDir, children),
      os: null,
      onUnexpectedExit: (info) => exits.push(info),
    });
  });

  afterAll(async () => {
    await core.stop();
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const exited = (child: ChildProcess) => new Promise<void>((r) => (child.exitCode !== null || child.signalCode !== null ? r() : child.once('exit', () => r())));

  it('relays a call made while the core is still starting', async () => {
    const ready = core.start();
    const outcome = await core.call('app.info', {});
    expect(await ready).toBe(true);
    expect(outcome.ok).toBe(true);
    if (outcome.ok) expect((outcome.value as AppInfo).device).toBe('POS-TEST01');
  });

  it('restarts the core once after it is killed, and the next call works', async () => {
    const first = children[0]!;
    first.kill('SIGKILL');
    await exited(first);
    expect(exits).toEqual([expect.objectContaining({ restarting: true })]);
    const outcome = await core.call('app.info', {});
    expect(outcome.ok).toBe(true);
    expect(children).toHaveLength(2);
  });

  it('does not restart it a second time: calls then answer core.stopped', async () => {
    const second = children[1]!;
    second.kill('SIGKILL');
    await exited(second);
    expect(exits).toHaveLength(2);
    expect(exits[1]).toMatchObject({ restarting: false });
    expect(children).toHaveLength(2);
    const outcome = await core.call('app.info', {});
    expect(outcome).toMatchObject({ ok: false, error: { code: 'core.stopped' } });
  });

  it('a clean stop is not reported as a crash', async () => {
    const fresh = new CoreSupervisor({
      spawn: () => spawnBundledCore(dataDir, children),
      os: null,
      onUnexpectedExit: () => {
        throw new Error('not expected');
      },
    });
    expect(await fresh.start()).toBe(true);
    const child = children[children.length - 1]!;
    await fresh.stop();
    expect(child.exitCode).toBe(0);
  });
});

/** A process that does only what the test tells it to. */
class FakeCore extends EventEmitter implements CoreProcessLike {
  readonly sent: ToCore[] = [];
  killed = false;
  postMessage(msg: ToCore) {
    this.sent.push(msg);
  }
  kill() {
    this.killed = true;
    setImmediate(() => this.emit('exit', 143));
    return true;
  }
  onMessage(fn: (msg: FromCore) => void) {
    this.on('message', fn);
  }
  onExit(fn: (code: number) => void) {
    this.on('exit', fn);
  }
}

describe('CoreSupervisor edge cases', () => {
  it('a core that dies before it is ready: waiting calls get its fatal error, and it is restarted', async () => {
    const fakes: FakeCore[] = [];
    const exits: unknown[] = [];
    const core = new CoreSupervisor({
      spawn: () => {
        const f = new FakeCore();
        fakes.push(f);
        return f;
      },
      os: null,
      onUnexpectedExit: (info) => exits.push(info),
    });
    const started = core.start();
    const pending = core.call('app.info', {});
    const error = { code: 'db.tooNew', message: 'The database is from a newer VoucherDesk' };
    fakes[0]!.emit('message', { t: 'fatal', error });
    fakes[0]!.emit('exit', 1);
    expect(await started).toBe(false);
    expect(await pending).toEqual({ ok: false, error });
    expect(exits).toEqual([{ code: 1, restarting: true, error }]);
    expect(fakes).toHaveLength(2);
    // The restarted one answers.
    const next = core.call('app.info', {});
    fakes[1]!.emit('message', { t: 'ready', pid: 2 });
    await new Promise((r) => setImmediate(r));
    const call = fakes[1]!.sent.find((m) => m.t === 'call');
    expect(call).toMatchObject({ t: 'call', name: 'app.info' });
    fakes[1]!.emit('message', { t: 'result', id: (call as { id: number }).id, outcome: { ok: true, value: 42 } });
    expect(await next).toEqual({ ok: true, value: 42 });
  });

  it('stop() kills a core that ignores shutdown', async () => {
    const fake = new FakeCore();
    const core = new CoreSupervisor({ spawn: () => fake, os: null, stopTimeoutMs: 50, onUnexpectedExit: () => {
      throw new Error('not expected');
    } });
    void core.start();
    fake.emit('message', { t: 'ready', pid: 1 });
    await core.stop();
    expect(fake.sent).toContainEqual({ t: 'shutdown' });
    expect(fake.killed).toBe(true);
  });

  it('forwards core events to every listener, and ignores junk messages', async () => {
    const fake = new FakeCore();
    const core = new CoreSupervisor({ spawn: () => fake, os: null });
    void core.start();
    const seen: unknown[] = [];
    const off = core.onEvent((name, payload) => seen.push([name, payload]));
    fake.emit('message', 'junk');
    fake.emit('message', null);
    fake.emit('message', { t: 'event', name: 'ledger.changed', payload: { eventId: 'E1' } });
    off();
    fake.emit('message', { t: 'event', name: 'ledger.changed', payload: { eventId: 'E2' } });
    expect(seen).toEqual([['ledger.changed', { eventId: 'E1' }]]);
  });
});
