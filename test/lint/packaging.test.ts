/**
 * The dependency layout (issue 9, point 8): the root package's `dependencies`
 * are what the desktop app's processes import at run time, since
 * electron-builder packs exactly those into the installer; what only the page
 * (bundled by Vite), the CLI or the tools use is a devDependency; the reference
 * server is a workspace whose own package.json declares what it imports.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

interface Manifest {
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  workspaces?: string[];
}
const manifest = (file: string) => JSON.parse(readFileSync(path.join(ROOT, file), 'utf8')) as Manifest;

function sources(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir)).flatMap((name) => {
    const rel = path.join(dir, name);
    // test/lint holds forbidden imports as text, to lint them: not imports of its own.
    if (name === 'node_modules' || rel === path.join('test', 'lint')) return [];
    if (statSync(path.join(ROOT, rel)).isDirectory()) return sources(rel);
    return /\.(ts|tsx|mts|cts)$/.test(name) && !name.endsWith('.d.ts') ? [rel] : [];
  });
}

const builtins = new Set(builtinModules.map((m) => m.replace(/^node:/, '').split('/')[0]));

/** The npm packages that the files under `dirs` import (not Node's own modules, not electron). */
function packagesImportedBy(...dirs: string[]): Set<string> {
  const found = new Set<string>();
  for (const file of dirs.flatMap(sources)) {
    const code = readFileSync(path.join(ROOT, file), 'utf8');
    for (const m of code.matchAll(/(?:\bfrom\s+|\bimport\s*\(\s*|\bimport\s+|\brequire\s*\(\s*)['"]([^'"]+)['"]/g)) {
      const spec = m[1]!.split('?')[0]!;
      if (spec.startsWith('.') || spec.startsWith('/') || spec.startsWith('node:')) continue;
      const name = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!;
      if (builtins.has(name) || name === 'electron') continue;
      found.add(name);
    }
  }
  return found;
}

describe('the dependency layout', () => {
  const root = manifest('package.json');
  const server = manifest('server/package.json');

  it("the root's dependencies are exactly what the app's processes import (main/core, main/electron, preload)", () => {
    const appUses = packagesImportedBy('main/core', 'main/electron', 'preload');
    expect(appUses.size).toBeGreaterThan(0);
    expect(Object.keys(root.dependencies ?? {}).sort()).toEqual([...appUses].sort());
  });

  it('nothing only the page, the CLI or the tools use is packed into the installer', () => {
    const deps = Object.keys(root.dependencies ?? {});
    for (const name of ['react', 'react-dom', 'react-i18next', 'i18next', 'sigma', 'graphology', 'chart.js', '@zxing/library', 'zxing-wasm', 'fastify', 'kysely', 'pg']) {
      expect(deps, name).not.toContain(name);
    }
  });

  it('everything the page, the CLI, the tests and the tools import is installed at the root', () => {
    const declared = new Set([...Object.keys(root.dependencies ?? {}), ...Object.keys(root.devDependencies ?? {}), ...Object.keys(server.dependencies ?? {})]);
    const missing = [...packagesImportedBy('renderer/src', 'main', 'common', 'test', 'bench', 'scripts')].filter((n) => !declared.has(n) && !n.startsWith('@types/'));
    expect(missing).toEqual([]);
  });

  it('the reference server is a workspace that declares every package it imports', () => {
    expect(root.workspaces).toContain('server');
    const missing = [...packagesImportedBy('server')].filter((n) => !(n in (server.dependencies ?? {})));
    expect(missing).toEqual([]);
    for (const name of ['fastify', 'kysely', 'pg']) expect(Object.keys(server.dependencies ?? {})).toContain(name);
  });

  it('a package both declare is asked for in the same version range', () => {
    for (const [name, range] of Object.entries(server.dependencies ?? {})) {
      const atRoot = root.dependencies?.[name] ?? root.devDependencies?.[name];
      if (atRoot !== undefined) expect(range, name).toBe(atRoot);
    }
  });
});
