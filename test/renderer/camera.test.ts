/**
 * The camera screen's pure parts: the same code read again within 3 s counts
 * once, the camera's words, the state a getUserMedia failure means, mirror,
 * light and zoom. (The decoder itself, shared with the CLI, is tested in
 * test/scanners/decode.test.ts.)
 */
import { describe, expect, it } from 'vitest';
import { RepeatFilter, SAME_CODE_WINDOW_MS } from '../../renderer/src/scanners/camera/dedup';
import { extrasFrom, facesUser, statusForError, type CameraStatus } from '../../renderer/src/scanners/camera/status';
import { cameraStrings } from '../../renderer/src/scanners/camera/strings';

describe('the same code within 3 seconds counts once', () => {
  it('a code held up counts once; a different code counts at once; the same code again after 3 s counts again', () => {
    const f = new RepeatFilter();
    expect(SAME_CODE_WINDOW_MS).toBe(3000);
    expect(f.accept('A', 0)).toBe(true);
    expect(f.accept('A', 100)).toBe(false);
    expect(f.accept('A', 2900)).toBe(false);
    expect(f.accept('B', 2950)).toBe(true); // a different code: at once
    expect(f.accept('A', 3000)).toBe(true); // A again after B: a new scan
    expect(f.accept('A', 5999)).toBe(false);
    expect(f.accept('A', 9000)).toBe(true); // not seen for 3 s: counts again
  });

  it('the window slides while the phone is still held up (ten seconds of reads are one scan)', () => {
    const f = new RepeatFilter();
    let counted = 0;
    for (let t = 0; t <= 10_000; t += 100) if (f.accept('A', t)) counted++;
    expect(counted).toBe(1);
  });

  it('turning the camera off forgets the last code', () => {
    const f = new RepeatFilter();
    expect(f.accept('A', 0)).toBe(true);
    f.reset();
    expect(f.accept('A', 10)).toBe(true);
  });
});

describe('camera states', () => {
  it('each getUserMedia failure has its own state: refused, in use by another program, no camera, not available', () => {
    const err = (name: string) => Object.assign(new Error('x'), { name });
    expect(statusForError(err('NotAllowedError')).status).toBe('denied');
    expect(statusForError(err('SecurityError')).status).toBe('denied');
    expect(statusForError(err('NotReadableError')).status).toBe('inUse');
    expect(statusForError(err('AbortError')).status).toBe('inUse');
    expect(statusForError(err('NotFoundError')).status).toBe('noCamera');
    expect(statusForError(err('OverconstrainedError')).status).toBe('noCamera');
    expect(statusForError(err('TypeError'))).toEqual({ status: 'unavailable', reason: 'TypeError' });
    expect(statusForError('weird')).toEqual({ status: 'unavailable', reason: 'Error' });
  });

  it('every state has words in both languages', () => {
    const states: CameraStatus[] = ['off', 'starting', 'live', 'denied', 'inUse', 'noCamera', 'unavailable'];
    for (const s of states) {
      expect(cameraStrings.en[`state_${s}`]).toBeTruthy();
      expect(cameraStrings['zh-CN'][`state_${s}`]).toBeTruthy();
    }
    expect(cameraStrings['zh-CN'].state_inUse).toContain('其他程序');
  });
});

describe('mirror, light and zoom', () => {
  it('the preview is a mirror for a camera facing the user, not for one facing the customer', () => {
    expect(facesUser('user', 'USB Camera')).toBe(true);
    expect(facesUser('environment', 'Front camera')).toBe(false); // the track's facingMode wins
    expect(facesUser(undefined, 'FaceTime HD Camera')).toBe(true);
    expect(facesUser(undefined, 'Integrated front camera')).toBe(true);
    expect(facesUser(undefined, 'fake_device_0')).toBe(false);
  });

  it('light and zoom controls only when the camera offers them', () => {
    expect(extrasFrom({})).toEqual({});
    expect(extrasFrom({ torch: true })).toEqual({ torch: true });
    expect(extrasFrom({ torch: [false, true] })).toEqual({ torch: true });
    expect(extrasFrom({ torch: false, zoom: { min: 1, max: 1, step: 0.1 } })).toEqual({});
    expect(extrasFrom({ zoom: { min: 1, max: 5, step: 0.5 } })).toEqual({ zoom: { min: 1, max: 5, step: 0.5 } });
    expect(extrasFrom({ zoom: { min: 100, max: 400 } })).toEqual({ zoom: { min: 100, max: 400, step: 3 } });
  });
});
