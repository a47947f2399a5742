/**
 * Delivering a slip's bytes to the printer: a serial port (RS-232, USB-serial),
 * a raw TCP port (JetDirect, 9100) or the OS printer (CUPS `lp -o raw`, run
 * without a shell). Each answers when the bytes are handed over, or throws a
 * `printer.*` UserError that says what to check; none ever says what was printed.
 */
import { execFile } from 'node:child_process';
import { connect } from 'node:net';
import type { PrinterConfig } from '../../../preload/api/printer';
import { UserError } from '../errors';
import { reasonOf } from '../scanners/serial';

/** How long a printer has to take the bytes before we say it does not answer. */
export const PRINT_TIMEOUT_MS = 5000;

export async function deliver(config: PrinterConfig, bytes: Uint8Array, timeoutMs = PRINT_TIMEOUT_MS): Promise<void> {
  switch (config.kind) {
    case 'serial':
      return sendSerial(config.path, config.baudRate, bytes, timeoutMs);
    case 'tcp':
      return sendTcp(config.host, config.port, bytes, timeoutMs);
    case 'os':
      return sendOs(config.osName, bytes, timeoutMs);
    case 'none':
      throw new UserError('printer.notConfigured', 'No receipt printer is set up: choose one in Settings.');
  }
}

export function sendTcp(host: string, port: number, bytes: Uint8Array, timeoutMs = PRINT_TIMEOUT_MS): Promise<void> {
  const where = `${host}:${port}`;
  if (!host) return Promise.reject(new UserError('printer.notConfigured', 'No receipt printer is set up: choose one in Settings.'));
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port });
    let done = false;
    const finish = (e?: UserError) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      if (e) reject(e);
      else resolve();
    };
    const timer = setTimeout(
      () => finish(new UserError('printer.timeout', `The printer at ${where} did not answer within ${timeoutMs / 1000} s: check that it is on and connected.`, { where, seconds: timeoutMs / 1000 })),
      timeoutMs,
    );
    socket.once('error', (e: NodeJS.ErrnoException) =>
      finish(new UserError('printer.unreachable', `The printer at ${where} cannot be reached (${e.code ?? 'error'}): check that it is on and connected.`, { where })),
    );
    socket.once('connect', () => socket.end(Buffer.from(bytes), () => finish()));
  });
}

export async function sendSerial(path: string, baudRate: number, bytes: Uint8Array, timeoutMs = PRINT_TIMEOUT_MS): Promise<void> {
  if (!path) throw new UserError('printer.notConfigured', 'No receipt printer is set up: choose one in Settings.');
  const { SerialPort } = await import('serialport');
  const port = new SerialPort({ path, baudRate, autoOpen: false });
  const failed = (e: unknown) =>
    new UserError('printer.portFailed', `The printer's port ${path} cannot be used (${reasonOf(e)}): check the cable and that no other program holds it.`, { path, reason: reasonOf(e) });
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new UserError('printer.timeout', `The printer on ${path} did not take the slip within ${timeoutMs / 1000} s: check that it is on.`, { where: path, seconds: timeoutMs / 1000 })),
      timeoutMs,
    );
  });
  const work = (async () => {
    await new Promise<void>((resolve, reject) => port.open((e) => (e ? reject(failed(e)) : resolve())));
    await new Promise<void>((resolve, reject) => port.write(Buffer.from(bytes), (e) => (e ? reject(failed(e)) : resolve())));
    await new Promise<void>((resolve, reject) => port.drain((e) => (e ? reject(failed(e)) : resolve())));
  })();
  try {
    await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
    if (port.isOpen) await new Promise<void>((resolve) => port.close(() => resolve()));
  }
}

/** The program that hands a job to the OS printer; tests point it elsewhere. */
export const lp = { command: 'lp' };

export function sendOs(name: string, bytes: Uint8Array, timeoutMs = PRINT_TIMEOUT_MS): Promise<void> {
  if (!name) return Promise.reject(new UserError('printer.notConfigured', 'No receipt printer is set up: choose one in Settings.'));
  return new Promise((resolve, reject) => {
    const child = execFile(lp.command, ['-d', name, '-o', 'raw'], { timeout: timeoutMs, windowsHide: true }, (e, _out, stderr) => {
      if (!e) return resolve();
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') {
        return reject(new UserError('printer.lpMissing', 'The OS printing command (lp, from CUPS) is not installed on this computer: install CUPS or choose a serial or network printer.'));
      }
      const why = String(stderr).split('\n')[0]!.slice(0, 160);
      reject(new UserError('printer.osFailed', `The system printer ${name} refused the slip: ${why || 'no reason given'}.`, { name, why }));
    });
    child.stdin?.on('error', () => {}); // lp gone before reading: its exit says why
    child.stdin?.end(Buffer.from(bytes));
  });
}
