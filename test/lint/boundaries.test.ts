/**
 * The process boundaries of the design are enforced by lint: these tests run
 * ESLint (with the project's eslint.config.js) on small snippets placed, by
 * file path, inside main/, renderer/src, preload and common/, and check that each
 * forbidden import is reported and that clean code passes.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const eslint = new ESLint({ cwd: ROOT });

/** The boundary rules that fired on `code` linted as if it were the file `file`. */
async function boundaryErrors(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(ROOT, file) });
  if (!result) throw new Error('ESLint returned no result');
  const fatal = result.messages.filter((m) => m.fatal);
  if (fatal.length > 0) throw new Error(`Parse error: ${fatal.map((m) => m.message).join('; ')}`);
  return result.messages
    .filter((m) => m.ruleId === 'no-restricted-imports' || m.ruleId === 'no-restricted-syntax')
    .map((m) => m.message);
}

const CORE_FILE = 'main/core/ledger/__lint_probe__.ts';
const RENDERER_FILE = 'renderer/src/screens/__lint_probe__.tsx';
const CLI_FILE = 'main/cli/__lint_probe__.ts';
const COMMON_FILE = 'common/barcode/__lint_probe__.ts';

describe('main/core may not import electron', () => {
  it.each([
    ["import { app } from 'electron';"],
    ["import type { BrowserWindow } from 'electron';"],
    ["export { safeStorage } from 'electron';"],
    ["export async function f() { return import('electron'); }"],
    ["export const e = require('electron');"],
  ])('%s is an error', async (code) => {
    const errors = await boundaryErrors(CORE_FILE, code);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/must not import 'electron'/);
  });

  it('node modules, native modules and relative imports are fine in the core', async () => {
    const code = [
      "import fs from 'node:fs';",
      "import Database from 'better-sqlite3';",
      "import { SerialPort } from 'serialport';",
      "import { checkCall } from '../../../preload/contract';",
      'export const x = [fs, Database, SerialPort, checkCall];',
    ].join('\n');
    expect(await boundaryErrors(CORE_FILE, code)).toEqual([]);
  });
});

describe('main/ may not import renderer/ (what both need lives in common/)', () => {
  it.each([
    [CLI_FILE, "import { createDecoder } from '../../renderer/src/scanners/camera/decoder';"],
    [CLI_FILE, "import type { CameraStatus } from '../../renderer/src/scanners/camera/status';"],
    [CLI_FILE, "export { RepeatFilter } from '../../renderer/src/scanners/camera/dedup';"],
    [CLI_FILE, "export async function f() { return import('../../renderer/src/scanners/camera/dedup'); }"],
    [CORE_FILE, "import { format } from '../../../renderer/src/format';"],
    [CORE_FILE, "export const r = require('../../../renderer/src/format');"],
  ])('in %s, %s is an error', async (file, code) => {
    const errors = await boundaryErrors(file, code);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/main\/ must not import renderer\//);
  });

  it('main/core still may not import electron, with the renderer rule beside it', async () => {
    const errors = await boundaryErrors(CORE_FILE, "import { app } from 'electron';\nimport { format } from '../../../renderer/src/format';\nexport const x = [app, format];");
    expect(errors).toHaveLength(2);
    expect(errors[0]).toMatch(/must not import 'electron'/);
    expect(errors[1]).toMatch(/must not import renderer/);
  });

  it('the CLI may import common/, the core and Node', async () => {
    const code = [
      "import { readFile } from 'node:fs/promises';",
      "import { createDecoder } from '../../common/barcode/decoder';",
      "import { createCore } from '../core/services';",
      'export const x = [readFile, createDecoder, createCore];',
    ].join('\n');
    expect(await boundaryErrors(CLI_FILE, code)).toEqual([]);
  });
});

describe('common/ runs in Node and the browser: only such npm packages and its own files', () => {
  it.each([
    ["import fs from 'node:fs';"],
    ["import { join } from 'path';"],
    ["import { readFile } from 'fs/promises';"],
    ["import { ipcRenderer } from 'electron';"],
    ["import Database from 'better-sqlite3';"],
    ["import { createCore } from '../../main/core/services';"],
    ["import { cameraText } from '../../renderer/src/scanners/camera/strings';"],
    ["import { buildApp } from '../../server/app';"],
    ["export async function f() { return import('node:crypto'); }"],
    ["export async function f() { return import('../../server/app'); }"],
    ["export const fs = require('fs');"],
  ])('%s is an error', async (code) => {
    const errors = await boundaryErrors(COMMON_FILE, code);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/common\/ is shared/);
  });

  it('zxing, zod and its own files pass', async () => {
    const code = [
      "import { MultiFormatReader } from '@zxing/library';",
      "import { readBarcodes } from 'zxing-wasm/reader';",
      "import { z } from 'zod';",
      "import { frameKind } from './decoder';",
      "import type { Wire } from '../protocol/events';",
      'export const x = [MultiFormatReader, readBarcodes, z, frameKind];',
      'export type W = Wire;',
    ].join('\n');
    expect(await boundaryErrors(COMMON_FILE, code)).toEqual([]);
  });
});

describe('renderer may not import Node, native modules, electron or main/', () => {
  it.each([
    ["import fs from 'node:fs';"],
    ["import fs from 'fs';"],
    ["import { join } from 'path';"],
    ["import os from 'os';"],
    ["import { spawn } from 'child_process';"],
    ["import { randomBytes } from 'crypto';"],
    ["import net from 'net';"],
    ["import http from 'http';"],
    ["import { Readable } from 'stream';"],
    ["import { Worker } from 'worker_threads';"],
    ["import { readFile } from 'fs/promises';"],
    ["import { ipcRenderer } from 'electron';"],
    ["import Database from 'better-sqlite3';"],
    ["import { SerialPort } from 'serialport';"],
    ["import { ReadlineParser } from '@serialport/parser-readline';"],
    ["import { redeem } from '../../../main/core/redeem/redeem';"],
    ["import type { Ledger } from '../../../main/core/ledger/ledger';"],
    ["export async function f() { return import('node:fs'); }"],
    ["export const fs = require('fs');"],
  ])('%s is an error', async (code) => {
    const errors = await boundaryErrors(RENDERER_FILE, code);
    expect(errors.length).toBeGreaterThanOrEqual(1);
    expect(errors[0]).toMatch(/renderer is a web page/);
  });

  it('a component using React and the contract types passes', async () => {
    const code = [
      "import { useEffect, useState } from 'react';",
      "import type { VerifyResult } from '../../../preload/contract';",
      "import { format } from '../format';",
      'export function Verdict(props: { result: VerifyResult }) {',
      '  const [shown, setShown] = useState(false);',
      '  useEffect(() => { setShown(true); }, []);',
      '  return <p>{shown ? format(props.result.verdict) : null}</p>;',
      '}',
    ].join('\n');
    expect(await boundaryErrors(RENDERER_FILE, code)).toEqual([]);
  });
});

describe('the contract (preload/contract.ts, preload/api/) may import only zod and its own files', () => {
  it('zod passes', async () => {
    expect(await boundaryErrors('preload/contract.ts', "import { z } from 'zod';\nexport const s = z.string();")).toEqual([]);
  });

  it('the contract may join its feature files, and they may use each other', async () => {
    expect(await boundaryErrors('preload/contract.ts', "import { keysCalls } from './api/keys';\nexport const c = keysCalls;")).toEqual([]);
    expect(await boundaryErrors('preload/api/sync.ts', "import { text } from './common';\nexport const t = text;")).toEqual([]);
  });

  it.each([["import fs from 'node:fs';"], ["import { x } from '../../main/core/services';"], ["import { ipcRenderer } from 'electron';"]])(
    'a feature file importing %s is an error',
    async (code) => {
      const errors = await boundaryErrors('preload/api/sync.ts', code);
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatch(/may import only zod/);
    },
  );

  it.each([["import fs from 'node:fs';"], ["import { ipcRenderer } from 'electron';"], ["import { x } from './other';"]])(
    '%s is an error',
    async (code) => {
      const errors = await boundaryErrors('preload/contract.ts', code);
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatch(/may import only zod/);
    },
  );
});

describe('common/ imports only npm packages and its own files', () => {
  const COMMON_FILE = 'common/protocol/__lint_probe__.ts';
  it.each([
    ["import fs from 'node:fs';"],
    ["import { createHash } from 'crypto';"],
    ["import { app } from 'electron';"],
    ["import Database from 'better-sqlite3';"],
    ["import { Ledger } from '../../main/core/ledger/ledger';"],
    ["import { Button } from '../../renderer/src/ui/Button';"],
    ["import { storeEvents } from '../../server/events';"],
    ["import type { Settings } from '../../preload/contract';"],
    ["export async function f() { return import('node:fs'); }"],
  ])('%s is an error', async (code) => {
    const errors = await boundaryErrors(COMMON_FILE, code);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/common\/ is shared/);
  });

  it('zod and its own files pass', async () => {
    const code = ["import { z } from 'zod';", "import { firstRef } from './upload';", "import { x } from '../barcode/decode';", 'export const y = [z, firstRef, x];'].join('\n');
    expect(await boundaryErrors(COMMON_FILE, code)).toEqual([]);
  });

  it('the protocol as it is passes', async () => {
    const results = await eslint.lintFiles(['common/**/*.ts']);
    expect(results.flatMap((r) => r.messages.map((m) => `${r.filePath}: ${m.message}`))).toEqual([]);
  });
});
