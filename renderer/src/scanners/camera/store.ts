/**
 * The camera's shared state: the cashier's choice (on/off, which camera;
 * remembered in localStorage on this workstation) and what the camera is doing
 * now. The Redeem screen's CameraPanel runs the camera; the scanner settings
 * screen's CameraSettings shows and changes the same state.
 */
import { useSyncExternalStore } from 'react';
import type { EngineName } from '../../../../common/barcode/decoder';
import type { CameraStatus } from './status';

export { statusForError, type CameraStatus } from './status';

export interface CameraPrefs {
  on: boolean;
  /** The chosen camera's deviceId; '' = the default camera. */
  deviceId: string;
}

export interface CameraDevice {
  deviceId: string;
  label: string;
}

export interface CameraState {
  prefs: CameraPrefs;
  status: CameraStatus;
  /** Why the camera is 'unavailable' (the browser's error name). */
  reason: string;
  devices: CameraDevice[];
  engine: EngineName | null;
  /** Why the fast decoder could not start, if it could not. */
  fallbackReason: string | null;
}

export const PREFS_KEY = 'voucherdesk.camera';

function readPrefs(): CameraPrefs {
  try {
    const raw = localStorage.getItem(PREFS_KEY);
    const v = raw ? (JSON.parse(raw) as Partial<CameraPrefs>) : {};
    return { on: v.on === true, deviceId: typeof v.deviceId === 'string' ? v.deviceId : '' };
  } catch {
    return { on: false, deviceId: '' };
  }
}

let state: CameraState = { prefs: readPrefs(), status: 'off', reason: '', devices: [], engine: null, fallbackReason: null };
const listeners = new Set<() => void>();

function set(patch: Partial<CameraState>): void {
  state = { ...state, ...patch };
  for (const l of listeners) l();
}

export const cameraStore = {
  get: (): CameraState => state,
  subscribe(l: () => void): () => void {
    listeners.add(l);
    return () => listeners.delete(l);
  },
  setPrefs(patch: Partial<CameraPrefs>): void {
    const prefs = { ...state.prefs, ...patch };
    try {
      localStorage.setItem(PREFS_KEY, JSON.stringify(prefs));
    } catch {
      // private mode or full storage: the choice lasts until the page closes
    }
    set({ prefs });
  },
  setStatus(status: CameraStatus, reason = ''): void {
    if (status !== state.status || reason !== state.reason) set({ status, reason });
  },
  setDevices(devices: CameraDevice[]): void {
    set({ devices });
  },
  setEngine(engine: EngineName, fallbackReason: string | null): void {
    set({ engine, fallbackReason });
  },
};

export function useCameraState(): CameraState {
  return useSyncExternalStore(cameraStore.subscribe, cameraStore.get);
}

/** The cameras this machine has (labels only once permission was given). */
export async function listCameras(): Promise<CameraDevice[]> {
  if (!navigator.mediaDevices?.enumerateDevices) return [];
  const all = await navigator.mediaDevices.enumerateDevices();
  const cams = all.filter((d) => d.kind === 'videoinput').map((d) => ({ deviceId: d.deviceId, label: d.label }));
  cameraStore.setDevices(cams);
  return cams;
}
