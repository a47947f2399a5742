#!/usr/bin/env node
// Draws resources/icon.png (512×512): a green ticket with notched sides and a
// bold white "V". Run `node scripts/make-icon.mjs` after changing it; the PNG
// is committed so packaging needs no drawing step.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PNG } from 'pngjs';

const SIZE = 512;
const SAMPLES = 4; // per axis, for smooth edges
const GREEN = [22, 163, 74];
const DARK = [21, 128, 61];
const WHITE = [255, 255, 255];

/** Distance from point p to segment a-b. */
function segmentDistance(px, py, ax, ay, bx, by) {
  const dx = bx - ax;
  const dy = by - ay;
  const t = Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(px - (ax + t * dx), py - (ay + t * dy));
}

function insideRoundedRect(x, y, left, top, right, bottom, radius) {
  if (x < left || x > right || y < top || y > bottom) return false;
  const cx = Math.min(Math.max(x, left + radius), right - radius);
  const cy = Math.min(Math.max(y, top + radius), bottom - radius);
  return Math.hypot(x - cx, y - cy) <= radius;
}

/** The colour at one point, or null for transparent. */
function colourAt(x, y) {
  const ticket = insideRoundedRect(x, y, 24, 96, 488, 416, 48);
  const notch = Math.hypot(x - 24, y - 256) < 44 || Math.hypot(x - 488, y - 256) < 44;
  if (!ticket || notch) return null;
  // The perforation: a dashed line near the right end.
  if (Math.abs(x - 392) < 5 && Math.floor((y - 96) / 24) % 2 === 1) return DARK;
  // A bold "V": two thick strokes meeting at the bottom.
  const stroke = 34;
  if (segmentDistance(x, y, 130, 160, 212, 350) < stroke || segmentDistance(x, y, 294, 160, 212, 350) < stroke) return WHITE;
  return GREEN;
}

const png = new PNG({ width: SIZE, height: SIZE });
for (let y = 0; y < SIZE; y++) {
  for (let x = 0; x < SIZE; x++) {
    const sum = [0, 0, 0];
    let covered = 0;
    for (let sy = 0; sy < SAMPLES; sy++) {
      for (let sx = 0; sx < SAMPLES; sx++) {
        const c = colourAt(x + (sx + 0.5) / SAMPLES, y + (sy + 0.5) / SAMPLES);
        if (!c) continue;
        covered++;
        for (let i = 0; i < 3; i++) sum[i] += c[i];
      }
    }
    const o = (y * SIZE + x) * 4;
    for (let i = 0; i < 3; i++) png.data[o + i] = covered ? Math.round(sum[i] / covered) : 0;
    png.data[o + 3] = Math.round((255 * covered) / (SAMPLES * SAMPLES));
  }
}

const out = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'resources', 'icon.png');
fs.mkdirSync(path.dirname(out), { recursive: true });
fs.writeFileSync(out, PNG.sync.write(png));
console.log(`wrote ${path.relative(process.cwd(), out)}`);
