/**
 * What the reference server tests share: the backends (SQLite always,
 * PostgreSQL on a throwaway cluster when installed), a server started on one
 * of them with a platform, merchants M1 (branches B01, B02) and M2 and their
 * devices, and helpers to call it over HTTP.
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- HTTP answers are JSON, checked by value in the assertions */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect } from 'vitest';
import type { JWK } from 'jose';
import { openBundle } from '../../server/issuer/bundle';
import { startServer, type RunningServer } from '../../server/app';
import { createBranch, createDevice, createMerchant, initPlatform, mint } from '../../server/admin';
import { openServerDb, type ServerDb } from '../../server/db';
import { issuedBeforeTestDates } from '../support/issue-time';
import { findPostgres, startPgCluster, type PgCluster } from './pg';

const found = findPostgres();
if ('missing' in found) console.log(`server tests on PostgreSQL SKIPPED: ${found.missing}`);
export const BACKENDS = ['sqlite', ...('bin' in found ? ['postgres'] : [])] as const;
export type Backend = (typeof BACKENDS)[number];

let cluster: PgCluster | undefined;
let clusterStarting: Promise<PgCluster> | undefined;
async function pgCluster(): Promise<PgCluster> {
  if ('missing' in found) throw new Error(found.missing);
  clusterStarting ??= startPgCluster(found.bin).then((c) => (cluster = c));
  return clusterStarting;
}
afterAll(() => cluster?.stop());

export interface Dev {
  id: string;
  token: string;
}

let ulidCounter = 0;
/** Increasing ids (ULID-shaped enough: the server only compares them). */
export const nextId = () => `01JD${String(++ulidCounter).padStart(22, '0')}`;

export interface ReferenceServer {
  tmp: string;
  sdb: ServerDb;
  srv: RunningServer;
  A: Dev;
  B: Dev;
  C: Dev;
  Z: Dev;
  sigKey: JWK;
}

/** An empty database on `backend`: a fresh database of the shared throwaway cluster, or a SQLite file in `dir`. */
export async function newDatabase(backend: Backend, dir: string): Promise<string> {
  return backend === 'postgres' ? (await pgCluster()).createDatabase(`t_${Date.now()}_${Math.floor(Math.random() * 1e6)}`) : join(dir, `server-${Math.floor(Math.random() * 1e9)}.sqlite`);
}

/** A server on `backend`: platform gb.test, M1 (B01, B02; devices A, B, C) and M2 (device Z); sigKey is M1's signing key. */
export async function startReferenceServer(backend: Backend): Promise<ReferenceServer> {
  const tmp = mkdtempSync(join(tmpdir(), 'vd-server-'));
  const sdb = await openServerDb({ database: await newDatabase(backend, tmp) });
  await initPlatform(sdb, { iss: 'gb.test', name: 'Test GB' });
  await createMerchant(sdb, { id: 'M1', name: 'Lotus', sharePercent: 85 });
  await createMerchant(sdb, { id: 'M2', name: 'Other', sharePercent: 90 });
  await createBranch(sdb, { mid: 'M1', id: 'B01', name: 'Nanshan' });
  await createBranch(sdb, { mid: 'M1', id: 'B02', name: 'Futian' });
  const srv = await startServer({ sdb, port: 0 });
  const dev = async (mid: string, id: string, branch?: string): Promise<Dev & { sealed: string }> => {
    const d = await createDevice(sdb, { mid, id, url: srv.url, passphrase: 'pw', p2c: 1000, ...(branch ? { branch } : {}) });
    return { id, token: d.token, sealed: d.sealed };
  };
  const a = await dev('M1', 'B01-POS1', 'B01');
  const A: Dev = { id: a.id, token: a.token };
  const B = await dev('M1', 'B02-POS1', 'B02');
  const C = await dev('M1', 'B01-POS2', 'B01');
  const Z = await dev('M2', 'Z-POS1');
  const bundle = await openBundle(a.sealed, 'pw');
  const sigKey = bundle.signingKeys![0]!;
  return { tmp, sdb, srv, A, B, C, Z, sigKey };
}

export async function stopReferenceServer(s: Partial<ReferenceServer>): Promise<void> {
  await s.srv?.close();
  await s.sdb?.close();
  if (s.tmp) rmSync(s.tmp, { recursive: true, force: true });
}

/** Calls to the server started by beforeAll (read through `current`, since it starts after this is made). */
export function serverHelpers(current: () => { srv: RunningServer; sdb: ServerDb }) {
  async function call(dev: Dev | null, method: 'GET' | 'POST', path: string, body?: unknown, headers: Record<string, string> = {}) {
    const res = await fetch(current().srv.url + path, {
      method,
      headers: {
        ...(dev ? { authorization: `Bearer ${dev.token}`, 'x-device-id': dev.id } : {}),
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...headers,
      },
      ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    return { status: res.status, headers: res.headers, json: text ? (JSON.parse(text) as any) : null };
  }

  const upload = (dev: Dev, events: unknown[]) => call(dev, 'POST', '/v1/events', { events });
  const redemption = (jti: string, at: string, extra: Record<string, unknown> = {}) => ({
    id: nextId(),
    type: 'redemption',
    iss: 'gb.test',
    jti,
    mid: 'M1',
    at,
    units: 1,
    amount: null,
    cur: null,
    cashier: 'amy',
    member: null,
    offline: true,
    ...extra,
  });
  /** A voucher minted (for M1 unless `opts` says) before the tests' fixed event dates, unless `opts` gives its own `now`. */
  const voucher = async (opts: Parameters<typeof mint>[1] = { mid: 'M1' }) => (await mint(current().sdb, { ...issuedBeforeTestDates(), ...opts }))[0]!.jti;

  async function allChanges(dev: Dev, limit = 500): Promise<any[]> {
    const out: any[] = [];
    let since = '';
    for (let i = 0; i < 100; i++) {
      const r = await call(dev, 'GET', `/v1/changes?limit=${limit}${since ? `&since=${since}` : ''}`);
      expect(r.status).toBe(200);
      out.push(...r.json.changes);
      since = r.json.cursor;
      if (!r.json.more) return out;
    }
    throw new Error('changes never ended');
  }
  return { call, upload, redemption, voucher, allChanges };
}
