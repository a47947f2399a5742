/**
 * A loopback TCP proxy between one workstation and the server that the test
 * controls, to cut the network and restore it at any moment:
 *
 * - `pass`: bytes flow both ways;
 * - `refuse`: every new connection is closed at once, before any byte reaches
 *   the server (a cable pulled: the request is never seen);
 * - `drop-answers`: requests reach the server, which acts on them, but the
 *   connection is cut as soon as the answer starts back (the worst case for
 *   retries: stored on the server, unknown to the workstation).
 *
 * Switching the mode with `set` also cuts every connection under way, so a
 * kept-alive socket does not outlive a cut.
 */
import { createServer, Socket, type Server } from 'node:net';

export type NetMode = 'pass' | 'refuse' | 'drop-answers';

export class NetCut {
  private mode: NetMode = 'pass';
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();
  /** Connections refused and answers dropped, for the report. */
  refused = 0;
  dropped = 0;
  /** Called each time an answer is dropped (after the server acted): a test may kill the workstation right then. */
  onDrop: (() => void) | null = null;
  /** When the mode last became `pass` (ms), or null while cut. */
  upSince: number | null = Date.now();

  private constructor(
    private readonly targetPort: number,
    readonly port: number,
  ) {
    this.server = createServer((client) => this.handle(client));
  }

  /** Listens on a free loopback port (or `port`) and forwards to 127.0.0.1:targetPort. */
  static async start(targetPort: number, port = 0): Promise<NetCut> {
    const p = new NetCut(targetPort, port);
    await new Promise<void>((r) => p.server.listen(port, '127.0.0.1', () => r()));
    return Object.assign(p, { port: (p.server.address() as { port: number }).port });
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get current(): NetMode {
    return this.mode;
  }

  /** Changes the mode and cuts every connection under way when it is not `pass`. */
  set(mode: NetMode): void {
    if (mode === 'pass' && this.mode !== 'pass') this.upSince = Date.now();
    if (mode !== 'pass') this.upSince = null;
    this.mode = mode;
    if (mode !== 'pass') this.cutAll();
  }

  cutAll(): void {
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
  }

  private handle(client: Socket): void {
    if (this.mode === 'refuse') {
      this.refused++;
      client.destroy();
      return;
    }
    const upstream = new Socket();
    this.sockets.add(client).add(upstream);
    const end = () => {
      client.destroy();
      upstream.destroy();
      this.sockets.delete(client);
      this.sockets.delete(upstream);
    };
    let connected = false;
    client.on('data', (d) => {
      if (this.mode === 'refuse') {
        this.refused++;
        end();
        return;
      }
      if (!connected) {
        connected = true;
        upstream.connect(this.targetPort, '127.0.0.1');
      }
      upstream.write(d);
    });
    upstream.on('data', (d) => {
      if (this.mode !== 'pass') {
        this.dropped++;
        this.onDrop?.();
        end();
        return;
      }
      client.write(d);
    });
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
  }

  async close(): Promise<void> {
    this.cutAll();
    await new Promise<void>((r) => this.server.close(() => r()));
  }
}
