import { idFactory } from '../ids';
import type { HolderPoints, LevelRule, PointsCredit, PointsRules } from '../../../preload/contract';
import type { Db } from '../db/open';
import type { Settings } from '../settings';
import { workstationLanguage, type Language } from '../language';
import type { Claims } from '../vouchers/claims';

/**
 * Points and levels for shared vouchers. Each credit is an entry in the ledger
 * (points_entries, tied to the redemption event, so it syncs with it); a
 * reversal adds the negated entries. holder_points keeps the sums, and can be
 * recomputed from the entries at any time.
 */
export const DEFAULT_RULES: PointsRules = {
  redeemer: 10,
  holder: 5,
  levels: [
    { level: 0, points: 0, perk: '' },
    { level: 1, points: 100, perk: '5% off' },
    { level: 2, points: 300, perk: '10% off' },
    { level: 3, points: 1000, perk: '15% off' },
  ],
};

/** The default perks in the workstation's language (the cashier reads them on the verdict). */
const PERKS_ZH: Record<string, string> = { '5% off': '95 折', '10% off': '9 折', '15% off': '85 折' };

export function defaultPointsRules(language: Language): PointsRules {
  if (language === 'en') return DEFAULT_RULES;
  return { ...DEFAULT_RULES, levels: DEFAULT_RULES.levels.map((l) => ({ ...l, perk: PERKS_ZH[l.perk] ?? l.perk })) };
}

export class Points {
  private readonly nextId = idFactory();
  private readonly s;

  constructor(
    private readonly db: Db,
    private readonly settings: Settings,
  ) {
    this.s = {
      insert: db.prepare('INSERT INTO points_entries (id, event_id, holder, role, delta, at) VALUES (?, ?, ?, ?, ?, ?)'),
      add: db.prepare('INSERT INTO holder_points (holder, points) VALUES (?, ?) ON CONFLICT(holder) DO UPDATE SET points = points + excluded.points'),
      total: db.prepare<[string], { points: number }>('SELECT points FROM holder_points WHERE holder = ?'),
      ofEvent: db.prepare<[string], { holder: string; role: 'redeemer' | 'holder'; delta: number }>(
        'SELECT holder, role, delta FROM points_entries WHERE event_id = ? ORDER BY id',
      ),
      entries: db.prepare<[string], { id: string; event_id: string; role: 'redeemer' | 'holder'; delta: number; at: number }>(
        'SELECT id, event_id, role, delta, at FROM points_entries WHERE holder = ? ORDER BY id DESC LIMIT 50',
      ),
    };
  }

  rules(): PointsRules {
    return this.settings.getJson<PointsRules>('points.rules') ?? defaultPointsRules(workstationLanguage(this.settings));
  }

  setRules(rules: PointsRules): PointsRules {
    const levels = [...rules.levels].sort((a, b) => a.points - b.points || a.level - b.level);
    this.settings.setJson('points.rules', { ...rules, levels });
    return this.rules();
  }

  levelOf(points: number): LevelRule {
    const levels = this.rules().levels;
    let found: LevelRule = levels[0] ?? { level: 0, points: 0, perk: '' };
    for (const l of levels) if (points >= l.points && l.level >= found.level) found = l;
    return found;
  }

  /** What a voucher's `lvl` gives at the till. */
  perkOfLevel(level: number): string {
    return this.rules().levels.find((l) => l.level === level)?.perk ?? '';
  }

  total(holder: string): number {
    return this.s.total.get(holder)?.points ?? 0;
  }

  /** Who earns what for one redemption of a shared voucher. */
  creditsFor(claims: Claims): { holder: string; role: 'redeemer' | 'holder'; points: number }[] {
    if (!claims.ref || claims.ref.length === 0) return [];
    const rules = this.rules();
    const out: { holder: string; role: 'redeemer' | 'holder'; points: number }[] = [];
    const seen = new Set<string>();
    if (claims.sub && rules.redeemer > 0) {
      out.push({ holder: claims.sub, role: 'redeemer', points: rules.redeemer });
      seen.add(claims.sub);
    }
    const holders = (claims.shr ?? 'x') === 'x' ? claims.ref.slice(0, 1) : claims.ref;
    for (const h of holders) {
      if (seen.has(h) || rules.holder <= 0) continue;
      seen.add(h);
      out.push({ holder: h, role: 'holder', points: rules.holder });
    }
    return out;
  }

  /** Credits the chain of a redemption; call inside its transaction. */
  credit(eventId: string, claims: Claims, at: number): PointsCredit[] {
    return this.creditsFor(claims).map((c) => this.apply(eventId, c.holder, c.role, c.points, at));
  }

  /** Takes back what a redemption credited; call inside the reversal's transaction. */
  reverse(eventId: string, reversalId: string, at: number): PointsCredit[] {
    return this.s.ofEvent.all(eventId).map((e) => this.apply(reversalId, e.holder, e.role, -e.delta, at));
  }

  private apply(eventId: string, holder: string, role: 'redeemer' | 'holder', delta: number, at: number): PointsCredit {
    const before = this.total(holder);
    this.s.insert.run(this.nextId(at), eventId, holder, role, delta, at);
    this.s.add.run(holder, delta);
    const total = before + delta;
    const level = this.levelOf(total).level;
    return { holder, role, points: delta, total, level, levelChanged: level !== this.levelOf(before).level };
  }

  show(holder: string): HolderPoints {
    const points = this.total(holder);
    const lvl = this.levelOf(points);
    const next = this.rules().levels.find((l) => l.points > points && l.level > lvl.level);
    return {
      holder,
      points,
      level: lvl.level,
      perk: lvl.perk,
      toNext: next ? next.points - points : null,
      entries: this.s.entries.all(holder).map((e) => ({ id: e.id, eventId: e.event_id, role: e.role, delta: e.delta, at: e.at })),
    };
  }
}
