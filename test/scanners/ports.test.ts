import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { listDevSerial, listPorts } from '../../main/core/scanners/ports';
import { tempDir } from '../support/workstation';

const tmp = tempDir('vd-ports-');
afterAll(() => tmp.cleanup());

describe('serial port listing without udev', () => {
  it('lists ttyUSB/ttyACM, ttyS with hardware behind them, and resolves the by-id links', () => {
    const dev = join(tmp.dir, 'dev');
    const sys = join(tmp.dir, 'sys');
    mkdirSync(join(dev, 'serial', 'by-id'), { recursive: true });
    for (const n of ['ttyUSB0', 'ttyUSB10', 'ttyUSB2', 'ttyACM0', 'ttyS0', 'ttyS1', 'tty0', 'null']) writeFileSync(join(dev, n), '');
    mkdirSync(join(sys, 'ttyS0', 'device'), { recursive: true });
    mkdirSync(join(sys, 'ttyS1'), { recursive: true });
    symlinkSync('../../ttyACM0', join(dev, 'serial', 'by-id', 'usb-Honeywell_Scanner-if00'));
    symlinkSync('../../ttyACM9', join(dev, 'serial', 'by-id', 'usb-Gone-if00')); // dangling: unplugged
    expect(listDevSerial(dev, sys)).toEqual([
      { path: join(dev, 'ttyACM0') },
      { path: join(dev, 'ttyS0') },
      { path: join(dev, 'ttyUSB0') },
      { path: join(dev, 'ttyUSB2') },
      { path: join(dev, 'ttyUSB10') },
      { path: join(dev, 'serial', 'by-id', 'usb-Honeywell_Scanner-if00'), realPath: join(dev, 'ttyACM0') },
    ]);
  });

  it('falls back (and says so) when the system listing fails, as it does without udevadm', async () => {
    const failing = () => Promise.reject(new Error('spawn udevadm ENOENT'));
    const r = await listPorts({ list: failing, devDir: join(tmp.dir, 'dev') });
    expect(r.fallback).toBe(true);
    expect(r.ports.map((p) => p.path)).toContain(join(tmp.dir, 'dev', 'ttyUSB0'));
    const ok = await listPorts({ list: () => Promise.resolve([{ path: '/dev/ttyUSB0', manufacturer: 'Zebra' }]) });
    expect(ok).toEqual({ fallback: false, ports: [{ path: '/dev/ttyUSB0', manufacturer: 'Zebra' }] });
  });
});
