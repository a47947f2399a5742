/**
 * Printing for real: slips delivered byte for byte to a printer emulated on a
 * loopback TCP port and on a socat pty, the "always" policy printing after a
 * recorded redemption, and a printer that is off answering a clear error while
 * the redemption stays recorded. Never the voucher's text in the bytes or the logs.
 */
import { readFileSync, writeFileSync, chmodSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HistoryEntry, PrinterStatus, Printed, RedeemResult } from '../../preload/contract';
import { redemptionSlip } from '../../main/core/receipts/compose';
import { encodeSlip } from '../../main/core/receipts/escpos';
import { lp, sendOs, sendSerial, sendTcp } from '../../main/core/receipts/transports';
import { socatMissing } from '../scanners/socat';
import { decodeEscPos, textLines } from '../support/escpos';
import { VECTORS, callErr, callOk, newWorkstation, tempDir } from '../support/workstation';
import { REDEMPTION, deadPort, startSerialPrinter, startStuckPrinter, startTcpPrinter } from './support';

const bytes = encodeSlip(redemptionSlip(REDEMPTION, { paper: 58, language: 'zh-CN', timeZone: 'UTC' }), 58);

describe('transports deliver exactly the stream', () => {
  it('raw TCP (port 9100 style)', async () => {
    const printer = await startTcpPrinter();
    try {
      await sendTcp('127.0.0.1', printer.port, bytes);
      expect(Buffer.compare(await printer.job(1), Buffer.from(bytes))).toBe(0);
    } finally {
      await printer.close();
    }
  });

  it('raw TCP to a printer that is off: a clear error naming the address', async () => {
    const port = await deadPort();
    await expect(sendTcp('127.0.0.1', port, bytes)).rejects.toMatchObject({ code: 'printer.unreachable', params: { where: `127.0.0.1:${port}` } });
  });

  it('raw TCP to a printer that stops taking bytes: a timeout, not a hang', async () => {
    const stuck = await startStuckPrinter();
    try {
      const big = new Uint8Array(32 * 1024 * 1024);
      await expect(sendTcp('127.0.0.1', stuck.port, big, 500)).rejects.toMatchObject({ code: 'printer.timeout', params: { where: `127.0.0.1:${stuck.port}`, seconds: 0.5 } });
    } finally {
      await stuck.close();
    }
  });

  it.skipIf(socatMissing())('a serial port (socat pty pair)', async () => {
    const t = tempDir('vd-serial-printer-');
    const printer = await startSerialPrinter(join(t.dir, 'printer'), join(t.dir, 'capture.bin'));
    try {
      await sendSerial(printer.app, 115200, bytes);
      const got = await printer.receive(bytes.length);
      expect(Buffer.compare(got, Buffer.from(bytes))).toBe(0);
      expect(textLines(decodeEscPos(got))).toContain('核销份数                       2');
    } finally {
      await printer.kill();
      t.cleanup();
    }
  });

  it('a serial port that is not there: printer.portFailed with the path', async () => {
    await expect(sendSerial('/dev/ttyNOPE-printer', 9600, bytes, 2000)).rejects.toMatchObject({ code: 'printer.portFailed', params: { path: '/dev/ttyNOPE-printer' } });
  });

  it('the OS printer: lp gets the bytes on its input with -d NAME -o raw; a missing lp is said', async () => {
    const t = tempDir('vd-lp-');
    const fake = join(t.dir, 'lp');
    writeFileSync(fake, `#!/bin/sh\necho "$@" > ${t.dir}/args\ncat > ${t.dir}/job\n`);
    chmodSync(fake, 0o755);
    const before = lp.command;
    try {
      lp.command = fake;
      await sendOs('Receipt_58', bytes);
      expect(readFileSync(join(t.dir, 'args'), 'utf8').trim()).toBe('-d Receipt_58 -o raw');
      expect(Buffer.compare(readFileSync(join(t.dir, 'job')), Buffer.from(bytes))).toBe(0);
      lp.command = join(t.dir, 'no-such-lp');
      await expect(sendOs('Receipt_58', bytes)).rejects.toMatchObject({ code: 'printer.lpMissing' });
    } finally {
      lp.command = before;
      t.cleanup();
    }
  });
});

describe('printing at the counter', () => {
  let ws: Awaited<ReturnType<typeof newWorkstation>>;
  beforeAll(async () => {
    ws = await newWorkstation();
  });
  afterAll(() => ws.cleanup());

  const valid = VECTORS.vectors.filter((v) => v.expect === 'VALID' && !v.pin);

  it('only the owner changes the printer; the settings come back', async () => {
    expect(await callErr(ws.core, 'printer.configure', { adminToken: 'nope', kind: 'tcp' })).toMatchObject({ code: 'admin.required' });
    const s = await callOk<PrinterStatus>(ws.core, 'printer.configure', { adminToken: ws.token, kind: 'tcp', host: '127.0.0.1', port: 9100, paper: 80, afterRedemption: 'ask' });
    expect(s.config).toMatchObject({ kind: 'tcp', host: '127.0.0.1', port: 9100, paper: 80, afterRedemption: 'ask' });
    expect((await callOk<PrinterStatus>(ws.core, 'printer.status', {})).config.paper).toBe(80);
  });

  it('"always": the slip is printed after the redemption is recorded; reprint gives the same slip again', async () => {
    const printer = await startTcpPrinter();
    try {
      await callOk(ws.core, 'printer.configure', { adminToken: ws.token, kind: 'tcp', host: '127.0.0.1', port: printer.port, paper: 58, language: 'en', afterRedemption: 'always' });
      const v = valid[0]!;
      const r = await callOk<RedeemResult>(ws.core, 'voucher.redeem', { text: v.text, now: VECTORS.now });
      expect(r.verdict).toBe('VALID');
      const lines = textLines(decodeEscPos(await printer.job(1)));
      expect(lines).toContain('        Voucher redeemed');
      expect(lines.some((l) => /^Ref +[0-9A-Z]{6}$/.test(l))).toBe(true);
      expect(lines).toContain(`Ref${' '.repeat(23)}${r.event!.id.replace(/[^0-9A-Za-z]/g, '').slice(-6).toUpperCase()}`);
      expect(lines.join('\n')).not.toContain(v.text.slice(5, 40));
      expect(lines.join('\n')).not.toContain(r.voucher!.jti);

      expect(await callErr(ws.core, 'printer.printLast', { adminToken: 'nope' })).toMatchObject({ code: 'admin.required' });
      const again = await callOk<Printed>(ws.core, 'printer.printLast', { adminToken: ws.token });
      expect(Buffer.compare(await printer.job(2), await printer.job(1))).toBe(0);
      expect(again.bytes).toBe((await printer.job(1)).length);
    } finally {
      await printer.close();
    }
  });

  it('a printer that is off: the redemption is recorded and the print answers a clear error', async () => {
    const port = await deadPort();
    await callOk(ws.core, 'printer.configure', { adminToken: ws.token, kind: 'tcp', host: '127.0.0.1', port, afterRedemption: 'always' });
    const v = valid[1]!;
    const r = await callOk<RedeemResult>(ws.core, 'voucher.redeem', { text: v.text, now: VECTORS.now });
    expect(r.verdict).toBe('VALID');
    const history = await callOk<HistoryEntry[]>(ws.core, 'ledger.history', { limit: 5 });
    expect(history.map((h) => h.id)).toContain(r.event!.id);
    expect(await callErr(ws.core, 'printer.printRedemption', { eventId: r.event!.id })).toMatchObject({ code: 'printer.unreachable' });
    // The "always" print that followed the redemption failed the same way, and the page can hear it.
    await expect
      .poll(async () => (await callOk<PrinterStatus>(ws.core, 'printer.status', {})).lastResult)
      .toMatchObject({ eventId: r.event!.id, ok: false, error: { code: 'printer.unreachable' } });
  });

  it('"ask": the counter prints a recorded redemption on demand; an unknown event is refused', async () => {
    const printer = await startTcpPrinter();
    try {
      await callOk(ws.core, 'printer.configure', { adminToken: ws.token, kind: 'tcp', host: '127.0.0.1', port: printer.port, language: 'zh-CN', paper: 80, afterRedemption: 'ask' });
      const r = await callOk<RedeemResult>(ws.core, 'voucher.redeem', { text: valid[2]!.text, now: VECTORS.now });
      await new Promise((res) => setTimeout(res, 200));
      expect(printer.jobs).toHaveLength(0); // "ask" prints nothing by itself
      await callOk<Printed>(ws.core, 'printer.printRedemption', { eventId: r.event!.id });
      expect(textLines(decodeEscPos(await printer.job(1)))).toContain(' '.repeat(20) + '核销凭条');
      expect(await callErr(ws.core, 'printer.printRedemption', { eventId: 'no-such-event' })).toMatchObject({ code: 'ledger.unknownEvent' });
    } finally {
      await printer.close();
    }
  });

  it('shift and day slips need a manager, and print the figures the core keeps for the shift and the day', async () => {
    const printer = await startTcpPrinter();
    try {
      await callOk(ws.core, 'printer.configure', { adminToken: ws.token, port: printer.port, language: 'en', paper: 58, afterRedemption: 'never' });
      expect(await callErr(ws.core, 'printer.printShift', { adminToken: ws.token })).toMatchObject({ code: 'shift.noneOpen' });
      await callOk(ws.core, 'settings.set', { adminToken: ws.token, cashier: 'Amy' });
      await callOk(ws.core, 'shift.open', { adminToken: ws.token, now: VECTORS.now - 60 });
      await callOk(ws.core, 'voucher.redeem', { text: valid[3]!.text, now: VECTORS.now });
      expect(await callErr(ws.core, 'printer.printShift', { adminToken: 'nope' })).toMatchObject({ code: 'admin.required' });
      await callOk(ws.core, 'printer.printShift', { adminToken: ws.token, now: VECTORS.now + 60 });
      const shiftLines = textLines(decodeEscPos(await printer.job(1)));
      // The shift's own count: Amy's one redemption (the redemptions before her, with no cashier set, under "—").
      expect(shiftLines).toContain('Amy          1     1    0.00 CNY');
      const day = new Date(VECTORS.now * 1000).toISOString().slice(0, 10);
      await callOk(ws.core, 'reports.setTimeZone', { adminToken: ws.token, timeZone: 'UTC' });
      await callOk(ws.core, 'printer.printDay', { adminToken: ws.token, day });
      const dayLines = textLines(decodeEscPos(await printer.job(2)));
      expect(dayLines).toContain(' '.repeat(10) + 'Day summary');
      expect(dayLines.join('\n')).toContain(day);
    } finally {
      await printer.close();
    }
  });

  it('the logs never carry a voucher text, a jti or a slip line', () => {
    const log = readFileSync(join(ws.dir, 'logs', 'core.log'), 'utf8');
    expect(log).toContain('slip printed');
    for (const v of valid.slice(0, 3)) expect(log).not.toContain(v.text.slice(5, 40));
    expect(log).not.toContain('Voucher redeemed');
    expect(log).not.toContain('核销');
  });
});
