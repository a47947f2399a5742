/**
 * The serial ports a scanner may be on. `SerialPort.list()` asks udev
 * (`udevadm info -e` on Linux); where that fails (no udevadm in a container
 * or a minimal install) the serial devices under /dev are listed instead, and
 * the answer says so (`fallback: true`).
 */
import { existsSync, readdirSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import type { PortInfo, PortList } from '../../../preload/api/scanners';

/** Device names of serial ports on Linux: on-board UARTs, USB-serial adapters, USB CDC scanners, Raspberry Pi UARTs. */
const SERIAL_NAME = /^tty(S|USB|ACM|AMA)\d+$/;

/**
 * Lists the serial devices under `devDir` without udev: ttyUSB*, ttyACM*,
 * ttyAMA*, the ttyS* that have hardware behind them (per /sys; all of them
 * when /sys cannot be read), and the stable names under serial/by-id and
 * serial/by-path resolved to the device they point at.
 */
export function listDevSerial(devDir = '/dev', sysDir = '/sys/class/tty'): PortInfo[] {
  const out: PortInfo[] = [];
  let names: string[] = [];
  try {
    names = readdirSync(devDir);
  } catch {
    return out;
  }
  const sysReadable = existsSync(sysDir);
  for (const name of names.filter((n) => SERIAL_NAME.test(n)).sort(naturalOrder)) {
    // ttyS0…ttyS31 exist on most PCs whether or not a UART is there; /sys knows which are real.
    if (name.startsWith('ttyS') && sysReadable && !existsSync(join(sysDir, name, 'device'))) continue;
    out.push({ path: join(devDir, name) });
  }
  for (const sub of ['serial/by-id', 'serial/by-path']) {
    const dir = join(devDir, sub);
    let links: string[] = [];
    try {
      links = readdirSync(dir);
    } catch {
      continue;
    }
    for (const l of links.sort()) {
      const path = join(dir, l);
      try {
        out.push({ path, realPath: realpathSync(path) });
      } catch {
        // A dangling link (the device just went away): not a port now.
      }
    }
  }
  return out;
}

function naturalOrder(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true });
}

type Lister = () => Promise<{ path: string; manufacturer?: string | undefined; serialNumber?: string | undefined; vendorId?: string | undefined; productId?: string | undefined }[]>;

async function systemList(): Promise<Awaited<ReturnType<Lister>>> {
  const { SerialPort } = await import('serialport');
  return SerialPort.list();
}

/** The system's list of ports, or the /dev listing when it fails. */
export async function listPorts(opts: { list?: Lister; devDir?: string } = {}): Promise<PortList> {
  try {
    const found = await (opts.list ?? systemList)();
    const ports: PortInfo[] = found.map((p) => {
      const info: PortInfo = { path: p.path };
      if (p.manufacturer) info.manufacturer = p.manufacturer;
      if (p.serialNumber) info.serialNumber = p.serialNumber;
      if (p.vendorId) info.vendorId = p.vendorId;
      if (p.productId) info.productId = p.productId;
      return info;
    });
    return { ports, fallback: false };
  } catch {
    return { ports: listDevSerial(opts.devDir), fallback: true };
  }
}
