/**
 * The camera on the Redeem screen: a toggle, the live preview with a framing
 * guide, and continuous decoding in a worker. A code read goes to `onScan`,
 * the same entry as a typed or scanned code (so PIN, units and amount prompts
 * work the same); the same code seen again within 3 s counts once.
 *
 * The camera runs only while the Redeem screen is showing and the cashier has
 * turned it on (remembered on this workstation). Its buttons never take the
 * focus from the scan input.
 */
import { useEffect, useRef, useState, type MouseEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { noteScan } from '../store';
import { RepeatFilter } from './dedup';
import { extrasFrom, facesUser, type CameraExtras } from './status';
import { cameraStore, listCameras, statusForError, useCameraState, type CameraStatus } from './store';
import { startDecodeLoop } from './worker-client';
import './camera.css';

/** Keeps the focus where it is (the scan input) when a camera button is clicked. */
const keepFocus = (e: MouseEvent) => e.preventDefault();

export function statusKey(status: CameraStatus): string {
  return `state_${status}`;
}

async function openCamera(deviceId: string): Promise<MediaStream> {
  const base: MediaTrackConstraints = { width: { ideal: 1280 }, height: { ideal: 720 } };
  if (!deviceId) return navigator.mediaDevices.getUserMedia({ audio: false, video: base });
  try {
    return await navigator.mediaDevices.getUserMedia({ audio: false, video: { ...base, deviceId: { exact: deviceId } } });
  } catch (e) {
    const name = (e as { name?: string }).name;
    // The remembered camera is gone (unplugged, another machine): use the default one.
    if (name === 'OverconstrainedError' || name === 'NotFoundError') return navigator.mediaDevices.getUserMedia({ audio: false, video: base });
    throw e;
  }
}

export function CameraPanel({ active, onScan }: { active: boolean; onScan(text: string): void }) {
  const { t } = useTranslation('camera');
  const cam = useCameraState();
  const run = active && cam.prefs.on;
  const videoRef = useRef<HTMLVideoElement>(null);
  const trackRef = useRef<MediaStreamTrack | null>(null);
  const onScanRef = useRef(onScan);
  useEffect(() => {
    onScanRef.current = onScan;
  });
  const [filter] = useState(() => new RepeatFilter());
  const [attempt, setAttempt] = useState(0);
  const [mirror, setMirror] = useState(false);
  const [extras, setExtras] = useState<CameraExtras>({});
  const [trackLabel, setTrackLabel] = useState('');
  const [torch, setTorch] = useState(false);
  const [zoom, setZoom] = useState<number | null>(null);

  useEffect(() => {
    if (!run) {
      cameraStore.setStatus('off');
      return;
    }
    const video = videoRef.current;
    if (!video) return;
    let cancelled = false;
    let stream: MediaStream | null = null;
    let stopLoop = () => {};
    void (async () => {
      if (!navigator.mediaDevices?.getUserMedia) {
        cameraStore.setStatus('unavailable', window.isSecureContext ? 'no media devices' : 'not a secure context');
        return;
      }
      cameraStore.setStatus('starting');
      try {
        stream = await openCamera(cameraStore.get().prefs.deviceId);
      } catch (e) {
        if (cancelled) return;
        const { status, reason } = statusForError(e);
        cameraStore.setStatus(status, reason);
        return;
      }
      if (cancelled) {
        stream.getTracks().forEach((t) => t.stop());
        return;
      }
      const track = stream.getVideoTracks()[0];
      if (!track) {
        cameraStore.setStatus('noCamera', 'no video track');
        return;
      }
      trackRef.current = track;
      setMirror(facesUser(track.getSettings().facingMode, track.label));
      setTrackLabel(track.label);
      setExtras(extrasFrom(typeof track.getCapabilities === 'function' ? (track.getCapabilities() as { torch?: unknown; zoom?: unknown }) : {}));
      setTorch(false);
      setZoom((track.getSettings() as MediaTrackSettings & { zoom?: number }).zoom ?? null);
      track.addEventListener('ended', () => {
        if (!cancelled) cameraStore.setStatus('unavailable', 'the camera stopped (unplugged?)');
      });
      video.srcObject = stream;
      try {
        await video.play();
      } catch {
        // autoplay of a muted, inline camera stream is allowed; a stopped play() is harmless
      }
      if (cancelled) return;
      cameraStore.setStatus('live');
      void listCameras();
      stopLoop = startDecodeLoop(video, (found) => {
        if (!filter.accept(found.text, performance.now())) return;
        noteScan('camera', found.text); // the scanner settings' "last code read" (length and kind only)
        onScanRef.current(found.text);
      });
    })();
    return () => {
      cancelled = true;
      stopLoop();
      filter.reset();
      stream?.getTracks().forEach((t) => t.stop());
      trackRef.current = null;
      video.srcObject = null;
      setExtras({});
    };
  }, [run, cam.prefs.deviceId, attempt, filter]);

  const applyAdvanced = (c: Record<string, unknown>) => {
    const track = trackRef.current;
    if (track) void track.applyConstraints({ advanced: [c as MediaTrackConstraintSet] }).catch(() => {});
  };

  const on = cam.prefs.on;
  const status = run ? cam.status : 'off';
  const failed = status === 'denied' || status === 'inUse' || status === 'noCamera' || status === 'unavailable';

  return (
    <section className="camera" data-testid="camera-panel" data-status={status} data-engine={cam.engine ?? ''}>
      <div className="camera__bar">
        <button
          type="button"
          className={`button ${on ? '' : 'button--secondary'}`}
          data-testid="camera-toggle"
          aria-pressed={on}
          onMouseDown={keepFocus}
          onClick={() => cameraStore.setPrefs({ on: !on })}
        >
          {on ? t('turnOff') : t('turnOn')}
        </button>
        {on && cam.devices.length > 1 ? (
          <label className="camera__select">
            <span>{t('chooseCamera')}</span>
            <select className="input" data-testid="camera-select" value={cam.prefs.deviceId} onChange={(e) => cameraStore.setPrefs({ deviceId: e.target.value })}>
              <option value="">{t('defaultCamera')}</option>
              {cam.devices.map((d, i) => (
                <option key={d.deviceId} value={d.deviceId}>
                  {d.label || t('cameraN', { n: i + 1 })}
                </option>
              ))}
            </select>
          </label>
        ) : null}
        {run && extras.torch ? (
          <button
            type="button"
            className="button button--secondary"
            data-testid="camera-torch"
            aria-pressed={torch}
            onMouseDown={keepFocus}
            onClick={() => {
              applyAdvanced({ torch: !torch });
              setTorch(!torch);
            }}
          >
            {t('torch')}
          </button>
        ) : null}
        {run && extras.zoom ? (
          <label className="camera__zoom">
            <span>{t('zoom')}</span>
            <input
              type="range"
              data-testid="camera-zoom"
              min={extras.zoom.min}
              max={extras.zoom.max}
              step={extras.zoom.step || 0.1}
              value={zoom ?? extras.zoom.min}
              onChange={(e) => {
                const v = Number(e.target.value);
                setZoom(v);
                applyAdvanced({ zoom: v });
              }}
            />
          </label>
        ) : null}
      </div>
      {on ? (
        <div className="camera__view" hidden={!run}>
          <video
            ref={videoRef}
            className="camera__video"
            data-testid="camera-video"
            data-mirrored={mirror}
            data-track-label={trackLabel}
            style={mirror ? { transform: 'scaleX(-1)' } : undefined}
            muted
            playsInline
            autoPlay
          />
          {status === 'live' ? (
            <div className="camera__guide" aria-hidden="true">
              <div className="camera__frame" />
            </div>
          ) : null}
          {status !== 'live' ? (
            <div className={`camera__state ${failed ? 'camera__state--error' : ''}`} role={failed ? 'alert' : 'status'} data-testid="camera-state">
              <p>{t(statusKey(status), { reason: cam.reason })}</p>
              {failed ? (
                <button type="button" className="button" data-testid="camera-retry" onMouseDown={keepFocus} onClick={() => setAttempt((n) => n + 1)}>
                  {t('retry')}
                </button>
              ) : null}
            </div>
          ) : (
            <p className="camera__hint">{t('guide')}</p>
          )}
        </div>
      ) : null}
      {on && cam.fallbackReason ? <p className="camera__note">{t('fallback', { reason: cam.fallbackReason })}</p> : null}
    </section>
  );
}
