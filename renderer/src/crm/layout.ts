/**
 * Where each person sits in the referral picture: a radial tree (who brought
 * whom), each root's subtree given a sector in proportion to its size, one
 * ring per generation. Pure and O(n), so 5,000 people lay out in a few ms.
 */
import type { GraphData } from '../../../preload/contract';

export interface Placed {
  x: number;
  y: number;
}

export function radialLayout(g: GraphData): Map<string, Placed> {
  const children = new Map<string, string[]>();
  const hasParent = new Set<string>();
  for (const e of g.edges) {
    if (e.kind !== 'referred' && e.kind !== 'invited') continue;
    if (hasParent.has(e.target)) continue;
    hasParent.add(e.target);
    const list = children.get(e.source) ?? [];
    list.push(e.target);
    children.set(e.source, list);
  }
  const size = new Map<string, number>();
  const sizeOf = (id: string, depth = 0): number => {
    const known = size.get(id);
    if (known !== undefined) return known;
    size.set(id, 1); // guards cycles
    let s = 1;
    if (depth < 200) for (const c of children.get(id) ?? []) s += sizeOf(c, depth + 1);
    size.set(id, s);
    return s;
  };
  const roots = g.nodes.filter((n) => !hasParent.has(n.id)).map((n) => n.id);
  const total = roots.reduce((a, r) => a + sizeOf(r), 0) || 1;
  const out = new Map<string, Placed>();
  const RING = 10;
  const place = (id: string, from: number, to: number, depth: number) => {
    if (out.has(id)) return;
    const a = (from + to) / 2;
    const r = RING * (depth + 1) + (depth === 0 ? (hashOf(id) % 7) * 1.5 : 0);
    out.set(id, { x: Math.cos(a) * r, y: Math.sin(a) * r });
    const kids = children.get(id) ?? [];
    const sum = kids.reduce((s, c) => s + (size.get(c) ?? 1), 0) || 1;
    let at = from;
    for (const c of kids) {
      const span = ((to - from) * (size.get(c) ?? 1)) / sum;
      place(c, at, at + span, depth + 1);
      at += span;
    }
  };
  let at = 0;
  for (const r of roots) {
    const span = (2 * Math.PI * sizeOf(r)) / total;
    place(r, at, at + span, 0);
    at += span;
  }
  for (const n of g.nodes) if (!out.has(n.id)) out.set(n.id, { x: (hashOf(n.id) % 100) - 50, y: (hashOf(n.id + 'y') % 100) - 50 });
  return out;
}

function hashOf(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
}

export const GEN_COLOURS = ['#0b57d0', '#0a6b2c', '#c2410c', '#7e22ce', '#b3141e', '#0e7490', '#a16207', '#4b5563'];
export const genColour = (gen: number): string => GEN_COLOURS[Math.min(gen, GEN_COLOURS.length - 1)]!;
/** A dot's radius in pixels: big enough to see and click (8) and growing with spend, up to 24. */
export const nodeSize = (spend: number): number => Math.min(24, 8 + Math.sqrt(Math.max(0, spend)) / 25);
