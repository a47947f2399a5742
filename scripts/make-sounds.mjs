#!/usr/bin/env node
/**
 * Writes the counter sounds as short 16-bit mono PCM WAV files:
 *   resources/sounds/accept.wav   two short rising tones (~250 ms)
 *   resources/sounds/reject.wav   a low double buzz (~350 ms)
 *   resources/sounds/warning.wav  two level mid tones (~300 ms), "needs attention"
 *
 * Deterministic (no randomness), so running it again gives the same bytes.
 * Usage: node scripts/make-sounds.mjs [outDir]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const RATE = 22050;
const here = dirname(fileURLToPath(import.meta.url));
const outDir = resolve(process.argv[2] ?? join(here, '..', 'resources', 'sounds'));

/**
 * One note: a sum of harmonics under a soft attack/release envelope.
 * @param {number} freq Hz
 * @param {number} ms duration
 * @param {{ gain?: number, harmonics?: number[], attackMs?: number, releaseMs?: number }} [o]
 */
function note(freq, ms, o = {}) {
  const { gain = 0.3, harmonics = [1], attackMs = 6, releaseMs = 40 } = o;
  const n = Math.round((RATE * ms) / 1000);
  const attack = Math.round((RATE * attackMs) / 1000);
  const release = Math.round((RATE * releaseMs) / 1000);
  const norm = harmonics.reduce((s, a) => s + Math.abs(a), 0) || 1;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const t = i / RATE;
    let v = 0;
    harmonics.forEach((amp, h) => {
      v += amp * Math.sin(2 * Math.PI * freq * (h + 1) * t);
    });
    let env = 1;
    if (i < attack) env = i / attack;
    else if (i > n - release) env = Math.max(0, (n - i) / release);
    // Raised-cosine shaping of the envelope edges avoids clicks.
    env = 0.5 - 0.5 * Math.cos(Math.PI * env);
    out[i] = (gain * v * env) / norm;
  }
  return out;
}

/** @param {number} ms */
function silence(ms) {
  return new Float64Array(Math.round((RATE * ms) / 1000));
}

/** @param {Float64Array[]} parts */
function concat(parts) {
  const total = parts.reduce((s, p) => s + p.length, 0);
  const out = new Float64Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** @param {Float64Array} samples */
function wav(samples) {
  const dataBytes = samples.length * 2;
  const buf = Buffer.alloc(44 + dataBytes);
  buf.write('RIFF', 0, 'ascii');
  buf.writeUInt32LE(36 + dataBytes, 4);
  buf.write('WAVE', 8, 'ascii');
  buf.write('fmt ', 12, 'ascii');
  buf.writeUInt32LE(16, 16); // fmt chunk size
  buf.writeUInt16LE(1, 20); // PCM
  buf.writeUInt16LE(1, 22); // mono
  buf.writeUInt32LE(RATE, 24);
  buf.writeUInt32LE(RATE * 2, 28); // byte rate
  buf.writeUInt16LE(2, 32); // block align
  buf.writeUInt16LE(16, 34); // bits per sample
  buf.write('data', 36, 'ascii');
  buf.writeUInt32LE(dataBytes, 40);
  for (let i = 0; i < samples.length; i++) {
    const s = Math.max(-1, Math.min(1, samples[i] ?? 0));
    buf.writeInt16LE(Math.round(s * 32767), 44 + i * 2);
  }
  return buf;
}

// A bright bell-like timbre for accept, a soft square-ish one for reject.
const bell = [1, 0.35, 0.12];
const buzz = [1, 0, 0.3, 0, 0.15, 0, 0.08];

const sounds = {
  // E6 then A6 (a rising fourth): friendly, short.
  accept: concat([
    note(1318.5, 105, { harmonics: bell, gain: 0.28, releaseMs: 30 }),
    silence(15),
    note(1760, 130, { harmonics: bell, gain: 0.28, releaseMs: 70 }),
  ]),
  // Two low buzzes, clearly different from accept even without looking.
  reject: concat([
    note(196, 140, { harmonics: buzz, gain: 0.36, attackMs: 8, releaseMs: 25 }),
    silence(70),
    note(185, 140, { harmonics: buzz, gain: 0.36, attackMs: 8, releaseMs: 45 }),
  ]),
  // Two level mid tones: "look at the screen" (a PIN is needed).
  warning: concat([
    note(880, 120, { harmonics: bell, gain: 0.25, releaseMs: 40 }),
    silence(60),
    note(880, 120, { harmonics: bell, gain: 0.25, releaseMs: 60 }),
  ]),
};

mkdirSync(outDir, { recursive: true });
for (const [name, samples] of Object.entries(sounds)) {
  const file = join(outDir, `${name}.wav`);
  writeFileSync(file, wav(samples));
  process.stdout.write(`${file}: ${Math.round((samples.length / RATE) * 1000)} ms\n`);
}
