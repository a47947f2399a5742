/**
 * The camera's part of the scanner settings screen: on/off, which camera, its
 * state now and the decoder in use. The same state the Redeem screen's
 * CameraPanel uses (store.ts); the choice is remembered on this workstation.
 */
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { statusKey } from './CameraPanel';
import { cameraStore, listCameras, useCameraState } from './store';
import './camera.css';

export function CameraSettings() {
  const { t } = useTranslation('camera');
  const cam = useCameraState();
  useEffect(() => {
    void listCameras().catch(() => {});
  }, []);
  const failed = cam.status === 'denied' || cam.status === 'inUse' || cam.status === 'noCamera' || cam.status === 'unavailable';
  return (
    <section className="camera-settings" data-testid="camera-settings" data-status={cam.status}>
      <h3>{t('settingsTitle')}</h3>
      <label className="camera-settings__row">
        <input
          type="checkbox"
          data-testid="camera-setting-on"
          checked={cam.prefs.on}
          onChange={(e) => cameraStore.setPrefs({ on: e.target.checked })}
        />
        <span>{t('settingsOn')}</span>
      </label>
      <div className="camera-settings__row">
        <label>
          {t('chooseCamera')}{' '}
          <select className="input" data-testid="camera-setting-device" value={cam.prefs.deviceId} onChange={(e) => cameraStore.setPrefs({ deviceId: e.target.value })}>
            <option value="">{t('defaultCamera')}</option>
            {cam.devices.map((d, i) => (
              <option key={d.deviceId} value={d.deviceId}>
                {d.label || t('cameraN', { n: i + 1 })}
              </option>
            ))}
          </select>
        </label>
        <button type="button" className="button button--secondary" data-testid="camera-setting-refresh" onClick={() => void listCameras().catch(() => {})}>
          {t('settingsRefresh')}
        </button>
      </div>
      <p className={failed ? 'camera-settings__state--error' : ''} data-testid="camera-setting-state">
        {t('app:labelled', { label: t('settingsState') })}{cam.prefs.on && cam.status === 'off' ? t('state_standby') : t(statusKey(cam.status), { reason: cam.reason })}
      </p>
      {cam.engine ? (
        <p data-testid="camera-setting-engine">
          {t('app:labelled', { label: t('settingsEngine') })}{cam.engine}
          {cam.fallbackReason ? ` — ${t('fallback', { reason: cam.fallbackReason })}` : ''}
        </p>
      ) : null}
      <p className="camera-settings__hint">{t('settingsHint')}</p>
    </section>
  );
}
