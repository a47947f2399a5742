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
