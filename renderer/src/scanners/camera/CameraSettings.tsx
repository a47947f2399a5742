/**
 * The camera's part of the scanner settings screen: on/off, which camera, its
 * state now and the decoder in use. The same state the Redeem screen's
 * CameraPanel uses (store.ts); the choice is remembered on this workstation.
 */
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { statusKey } from './CameraPanel';
import { cameraStore, listCameras, useCameraState } from './store';
import { cameraText, type CameraStringKey } from './strings';
import './camera.css';

export function CameraSettings() {
  const { i18n } = useTranslation();
  const tx = (key: CameraStringKey, params?: Record<string, string | number>) => cameraText(i18n.language, key, params);
  const cam = useCameraState();
  useEffect(() => {
    void listCameras().catch(() => {});
  }, []);
  const failed = cam.status === 'denied' || cam.status === 'inUse' || cam.status === 'noCamera' || cam.status === 'unavailable';
  return (
    <section className="camera-settings" data-testid="camera-settings" data-status={cam.status}>
      <h3>{tx('settingsTitle')}</h3>
      <label className="camera-settings__row">
        <input
          type="checkbox"
          data-testid="camera-setting-on"
          checked={cam.prefs.on}
          onChange={(e) => cameraStore.setPrefs({ on: e.target.checked })}
        />
        <span>{tx('settingsOn')}</span>
      </label>
      <div className="camera-settings__row">
        <label>
          {tx('chooseCamera')}{' '}
          <select className="input" data-testid="camera-setting-device" value={cam.prefs.deviceId} onChange={(e) => cameraStore.setPrefs({ deviceId: e.target.value })}>
            <option value="">{tx('defaultCamera')}</option>
            {cam.devices.map((d, i) => (
              <option key={d.deviceId} value={d.deviceId}>
                {d.label || tx('cameraN', { n: i + 1 })}
              </option>
            ))}
          </select>
        </label>
        <button type="button" className="button button--secondary" data-testid="camera-setting-refresh" onClick={() => void listCameras().catch(() => {})}>
          {tx('settingsRefresh')}
        </button>
      </div>
      <p className={failed ? 'camera-settings__state--error' : ''} data-testid="camera-setting-state">
        {tx('settingsState')}: {cam.prefs.on && cam.status === 'off' ? tx('state_standby') : tx(statusKey(cam.status), { reason: cam.reason })}
      </p>
      {cam.engine ? (
        <p data-testid="camera-setting-engine">
          {tx('settingsEngine')}: {cam.engine}
          {cam.fallbackReason ? ` — ${tx('fallback', { reason: cam.fallbackReason })}` : ''}
        </p>
      ) : null}
      <p className="camera-settings__hint">{tx('settingsHint')}</p>
    </section>
  );
}
