/** The verdict sounds: accept, reject and "look at the screen" (warning). */
import acceptUrl from '../../resources/sounds/accept.wav';
import rejectUrl from '../../resources/sounds/reject.wav';
import warningUrl from '../../resources/sounds/warning.wav';

export type SoundName = 'accept' | 'reject' | 'warning';

const urls: Record<SoundName, string> = { accept: acceptUrl, reject: rejectUrl, warning: warningUrl };
const players = new Map<SoundName, HTMLAudioElement>();
/** 0–1, from the scanner settings' volume (0–100). */
let volume = 0.8;
const feedbackListeners = new Set<(name: SoundName) => void>();

/** Sets the volume of every sound (0–100, kept in the settings). */
export function setVolume(percent: number): void {
  volume = Math.min(1, Math.max(0, percent / 100));
  for (const a of players.values()) a.volume = volume;
}

/** Called with every verdict sound, played or muted (the full-screen flash listens). */
export function onFeedback(fn: (name: SoundName) => void): () => void {
  feedbackListeners.add(fn);
  return () => void feedbackListeners.delete(fn);
}

function player(name: SoundName): HTMLAudioElement {
  let a = players.get(name);
  if (!a) {
    a = new Audio(urls[name]);
    a.preload = 'auto';
    a.volume = volume;
    players.set(name, a);
  }
  return a;
}

/** Loads the files ahead of the first scan so the first verdict is not silent or late. */
export function preloadSounds(): void {
  for (const name of Object.keys(urls) as SoundName[]) player(name).load();
}

/** Plays one sound, cutting off any other still playing. Never throws. */
export function playSound(name: SoundName, enabled: boolean): void {
  for (const fn of feedbackListeners) fn(name);
  if (!enabled || volume === 0) return;
  try {
    for (const [other, a] of players) if (other !== name && !a.paused) a.pause();
    const a = player(name);
    a.volume = volume;
    a.currentTime = 0;
    void a.play().catch(() => undefined);
  } catch {
    // No audio device: the verdict on screen is what counts.
  }
}
