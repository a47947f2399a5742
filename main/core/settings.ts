import type { Db } from './db/open';

/** Small key/value settings in the workstation database. */
export class Settings {
  private readonly getStmt;
  private readonly setStmt;
  private readonly delStmt;
  private readonly listeners: ((key: string, value: string | null) => void)[] = [];

  constructor(db: Db) {
    this.getStmt = db.prepare<[string], { value: string }>('SELECT value FROM settings WHERE key = ?');
    this.setStmt = db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value');
    this.delStmt = db.prepare('DELETE FROM settings WHERE key = ?');
  }

  get(key: string): string | null {
    return this.getStmt.get(key)?.value ?? null;
  }

  set(key: string, value: string): void {
    this.setStmt.run(key, value);
    for (const l of this.listeners) l(key, value);
  }

  delete(key: string): void {
    this.delStmt.run(key);
    for (const l of this.listeners) l(key, null);
  }

  /** Hears every change made through this object (after it is written). */
  onChange(listener: (key: string, value: string | null) => void): void {
    this.listeners.push(listener);
  }

  getJson<T>(key: string): T | null {
    const v = this.get(key);
    return v === null ? null : (JSON.parse(v) as T);
  }

  setJson(key: string, value: unknown): void {
    this.set(key, JSON.stringify(value));
  }

  getNumber(key: string, fallback: number): number {
    const v = this.get(key);
    const n = v === null ? NaN : Number(v);
    return Number.isFinite(n) ? n : fallback;
  }
}
