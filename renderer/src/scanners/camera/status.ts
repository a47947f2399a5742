/**
 * What the camera is doing, and which state a getUserMedia failure means
 * (a pure module: the Node tests check the mapping).
 */
export type CameraStatus = 'off' | 'starting' | 'live' | 'denied' | 'inUse' | 'noCamera' | 'unavailable';

/** The camera status for a getUserMedia failure. */
export function statusForError(e: unknown): { status: CameraStatus; reason: string } {
  const name = e && typeof e === 'object' && 'name' in e ? String((e as { name: unknown }).name) : 'Error';
  switch (name) {
    case 'NotAllowedError':
    case 'PermissionDeniedError':
    case 'SecurityError':
      return { status: 'denied', reason: name };
    case 'NotReadableError':
    case 'TrackStartError':
    case 'AbortError':
      return { status: 'inUse', reason: name };
    case 'NotFoundError':
    case 'DevicesNotFoundError':
    case 'OverconstrainedError':
      return { status: 'noCamera', reason: name };
    default:
      return { status: 'unavailable', reason: name };
  }
}

/** Is this a camera facing the user (so the preview is shown as a mirror)? */
export function facesUser(facingMode: string | undefined, label: string): boolean {
  if (facingMode) return facingMode === 'user';
  return /\b(front|facetime|user)\b/i.test(label);
}

export interface ZoomRange {
  min: number;
  max: number;
  step: number;
}

/** The extra controls a camera offers (from MediaStreamTrack.getCapabilities()). */
export interface CameraExtras {
  torch?: true;
  zoom?: ZoomRange;
}

export function extrasFrom(caps: { torch?: unknown; zoom?: unknown }): CameraExtras {
  const out: CameraExtras = {};
  if (caps.torch === true || (Array.isArray(caps.torch) && caps.torch.includes(true))) out.torch = true;
  const z = caps.zoom as Partial<ZoomRange> | undefined;
  if (z && typeof z.min === 'number' && typeof z.max === 'number' && z.max > z.min) {
    out.zoom = { min: z.min, max: z.max, step: typeof z.step === 'number' && z.step > 0 ? z.step : (z.max - z.min) / 100 };
  }
  return out;
}
