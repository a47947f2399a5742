/**
 * The repository stands alone: the specs live in docs/spec/ and the public
 * conformance vectors under test/fixtures/, so nothing in it may reach for a
 * folder beside the clone (the one where new versions of the specs arrive).
 * This reads every tracked text file, itself included, and fails on such a
 * reference. The folder's name is spelt in pieces here, so that this file
 * does not name it.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const BESIDE = 'sha' + 'red';
const REACHES_OUT = new RegExp(`\\.\\./${BESIDE}\\b|\\b${BESIDE}/spec\\b`);
const TEXT = /\.(ts|tsx|js|mjs|cjs|json|md|yml|yaml|html|css)$|^\.ci\/run$/;

function trackedTextFiles(): string[] {
  const out = execFileSync('git', ['ls-files', '-z'], { cwd: ROOT, encoding: 'utf8' });
  return out.split('\0').filter((f) => f && TEXT.test(f) && f !== 'package-lock.json');
}

describe('the repository stands alone', () => {
  it('no tracked file refers to a folder beside the clone', () => {
    const offenders = trackedTextFiles().filter((f) => {
      const full = path.join(ROOT, f);
      return existsSync(full) && REACHES_OUT.test(readFileSync(full, 'utf8'));
    });
    expect(offenders).toEqual([]);
  });

  it('carries its own specs and both vector sets', () => {
    for (const f of [
      'docs/spec/voucher-format.md',
      'docs/spec/voucher-format-v2.md',
      'docs/spec/sync-protocol.md',
      'test/fixtures/vectors/keys.json',
      'test/fixtures/vectors/vectors.json',
      'test/fixtures/vectors-v2/keys.json',
      'test/fixtures/vectors-v2/vectors.json',
    ]) {
      expect(existsSync(path.join(ROOT, f)), f).toBe(true);
    }
  });
});
