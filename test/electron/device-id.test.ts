import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEVICE_FILE, loadDeviceId, newDeviceId } from '../../main/electron/device-id';

const dirs: string[] = [];
function tmpDir(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'vd-device-'));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

describe('device id', () => {
  it('looks like POS-XXXXXX', () => {
    for (let i = 0; i < 100; i++) expect(newDeviceId()).toMatch(/^POS-[A-Z2-9]{6}$/);
  });

  it('is created on first run and stable afterwards', () => {
    const dir = path.join(tmpDir(), 'nested', 'data');
    const first = loadDeviceId(dir);
    expect(first).toMatch(/^POS-/);
    expect(JSON.parse(fs.readFileSync(path.join(dir, DEVICE_FILE), 'utf8'))).toMatchObject({ device: first });
    expect(loadDeviceId(dir)).toBe(first);
    expect(fs.readdirSync(dir)).toEqual([DEVICE_FILE]);
  });

  it('keeps an id written by hand', () => {
    const dir = tmpDir();
    fs.writeFileSync(path.join(dir, DEVICE_FILE), JSON.stringify({ device: 'BRANCH2-TILL1' }));
    expect(loadDeviceId(dir)).toBe('BRANCH2-TILL1');
  });

  it('replaces a broken or invalid file with a new id', () => {
    for (const content of ['{not json', JSON.stringify({ device: '../../etc' }), JSON.stringify({ device: 7 }), 'null']) {
      const dir = tmpDir();
      fs.writeFileSync(path.join(dir, DEVICE_FILE), content);
      const id = loadDeviceId(dir);
      expect(id).toMatch(/^POS-[A-Z2-9]{6}$/);
      expect(loadDeviceId(dir)).toBe(id);
    }
  });
});
