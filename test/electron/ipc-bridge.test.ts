/**
 * Both ends of the Electron IPC, without Electron: the preload bridge (what
 * the page gets) over a fake ipcRenderer, and the main process's checks on
 * every call (relay.ts) with fake senders.
 */
import { describe, expect, it } from 'vitest';
import { CALL_CHANNEL, EVENT_CHANNEL, createBridge, type IpcLike } from '../../preload/bridge';
import type { CallOutcome } from '../../preload/contract';
import { makeCallHandler, type CallSender } from '../../main/electron/relay';

type Listener = (event: unknown, name: unknown, payload: unknown) => void;

class FakeIpcRenderer implements IpcLike {
  readonly invoked: unknown[][] = [];
  readonly listeners = new Map<string, Set<Listener>>();
  answer: (args: unknown[]) => Promise<unknown> = async () => ({ ok: true, value: 'pong' });
  invoke(channel: string, ...args: unknown[]) {
    this.invoked.push([channel, ...args]);
    return this.answer(args);
  }
  on(channel: string, listener: Listener) {
    if (!this.listeners.has(channel)) this.listeners.set(channel, new Set());
    this.listeners.get(channel)!.add(listener);
  }
  removeListener(channel: string, listener: Listener) {
    this.listeners.get(channel)?.delete(listener);
  }
  emit(name: unknown, payload: unknown) {
    for (const l of this.listeners.get(EVENT_CHANNEL) ?? []) l({}, name, payload);
  }
}

describe('preload bridge', () => {
  it('exposes only call and on', () => {
    expect(Object.keys(createBridge(new FakeIpcRenderer())).sort()).toEqual(['call', 'on']);
  });

  it('sends contract calls on vd:call and resolves to the outcome', async () => {
    const ipc = new FakeIpcRenderer();
    const outcome = await createBridge(ipc).call('app.info', {});
    expect(ipc.invoked).toEqual([[CALL_CHANNEL, 'app.info', {}]]);
    expect(outcome).toEqual({ ok: true, value: 'pong' });
  });

  it('answers names outside the contract itself, without sending anything', async () => {
    const ipc = new FakeIpcRenderer();
    const bridge = createBridge(ipc);
    for (const name of ['fs.readFile', '__proto__', 'toString', 'constructor', '', 42, null]) {
      const outcome = await bridge.call(name as never, {});
      expect(outcome).toMatchObject({ ok: false, error: { code: 'api.unknownCall' } });
    }
    expect(ipc.invoked).toEqual([]);
  });

  it('never throws: a failed send becomes an ok:false outcome', async () => {
    const ipc = new FakeIpcRenderer();
    ipc.answer = async () => {
      throw new Error('An object could not be cloned.');
    };
    await expect(createBridge(ipc).call('app.info', { f: () => 1 })).resolves.toMatchObject({ ok: false, error: { code: 'api.badInput' } });
  });

  it('delivers only the subscribed event, and unsubscribes', () => {
    const ipc = new FakeIpcRenderer();
    const bridge = createBridge(ipc);
    const seen: unknown[] = [];
    const off = bridge.on('ledger.changed', (p) => seen.push(p));
    ipc.emit('keystore.changed', { state: 'locked' });
    ipc.emit('ledger.changed', { eventId: 'E1' });
    off();
    ipc.emit('ledger.changed', { eventId: 'E2' });
    expect(seen).toEqual([{ eventId: 'E1' }]);
    expect(ipc.listeners.get(EVENT_CHANNEL)?.size).toBe(0);
  });

  it('refuses events outside the contract', () => {
    const bridge = createBridge(new FakeIpcRenderer());
    expect(() => bridge.on('vd:call' as never, () => {})).toThrow(/Unknown event/);
    expect(() => bridge.on('ledger.changed', 'x' as never)).toThrow(/function/);
  });
});

describe('main-process call checks', () => {
  const ourContents = { id: 1 };
  const ourFrame = { url: 'app://voucherdesk/index.html' };

  function setup() {
    const relayed: [string, unknown][] = [];
    const handle = makeCallHandler({
      ourWebContents: () => ourContents,
      callCore: async (name, input): Promise<CallOutcome<unknown>> => {
        relayed.push([name, input]);
        return { ok: true, value: { from: 'core' } };
      },
    });
    return { handle, relayed };
  }

  it('relays a valid call from our page, with the parsed input', async () => {
    const { handle, relayed } = setup();
    const outcome = await handle({ sender: ourContents, senderFrame: ourFrame }, 'ledger.history', {});
    expect(outcome).toEqual({ ok: true, value: { from: 'core' } });
    // The schema's default was applied before relaying.
    expect(relayed).toEqual([['ledger.history', { limit: 50 }]]);
  });

  it.each<[string, CallSender]>([
    ['another webContents', { sender: { id: 2 }, senderFrame: ourFrame }],
    ['a frame showing another origin', { sender: ourContents, senderFrame: { url: 'https://example.com/' } }],
    ['a file:// page', { sender: ourContents, senderFrame: { url: 'file:///tmp/evil.html' } }],
    ['a frame that has gone away', { sender: ourContents, senderFrame: null }],
  ])('refuses a call from %s', async (_what, event) => {
    const { handle, relayed } = setup();
    expect(await handle(event, 'app.info', {})).toMatchObject({ ok: false, error: { code: 'api.forbidden' } });
    expect(relayed).toEqual([]);
  });

  it('refuses every call when there is no window', async () => {
    const handle = makeCallHandler({ ourWebContents: () => null, callCore: async () => ({ ok: true, value: 1 }) });
    expect(await handle({ sender: null, senderFrame: ourFrame }, 'app.info', {})).toMatchObject({ ok: false, error: { code: 'api.forbidden' } });
  });

  it('refuses unknown names and inputs that do not match the schema, without relaying', async () => {
    const { handle, relayed } = setup();
    const event = { sender: ourContents, senderFrame: ourFrame };
    expect(await handle(event, 'db.exec', {})).toMatchObject({ ok: false, error: { code: 'api.unknownCall' } });
    expect(await handle(event, 'app.info', { extra: 1 })).toMatchObject({ ok: false, error: { code: 'api.badInput' } });
    expect(await handle(event, 'voucher.verify', { text: 42 })).toMatchObject({ ok: false, error: { code: 'api.badInput' } });
    expect(relayed).toEqual([]);
  });

  it('answers core.unavailable if relaying throws', async () => {
    const handle = makeCallHandler({
      ourWebContents: () => ourContents,
      callCore: async () => {
        throw new Error('gone');
      },
    });
    expect(await handle({ sender: ourContents, senderFrame: ourFrame }, 'app.info', {})).toMatchObject({
      ok: false,
      error: { code: 'core.unavailable' },
    });
  });
});
