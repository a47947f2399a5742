/**
 * The camera's part of the scanner settings screen: on/off, which camera, its
 * state now and the decoder in use. The same state the Redeem screen's
 * CameraPanel uses (store.ts); the choice is remembered on this workstation.
 */
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { Field } from '../../components/Field';
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
  const state = cam.prefs.on && cam.status === 'off' ? t('state_standby') : t(statusKey(cam.status), { reason: cam.reason });
  // Laid out like the serial and keyboard blocks beside it: a check, a field row, the state notice, a hint.
  return (
    <div className="camera-settings" data-testid="camera-settings" data-status={cam.status}>
      <label className="check">
        <input type="checkbox" data-testid="camera-setting-on" checked={cam.prefs.on} onChange={(e) => cameraStore.setPrefs({ on: e.target.checked })} />
        <span>{t('settingsOn')}</span>
      </label>
      <div className="inline-form">
        <Field label={t('chooseCamera')}>
          <select className="input" data-testid="camera-setting-device" value={cam.prefs.deviceId} onChange={(e) => cameraStore.setPrefs({ deviceId: e.target.value })}>
            <option value="">{t('defaultCamera')}</option>
            {cam.devices.map((d, i) => (
              <option key={d.deviceId} value={d.deviceId}>
                {d.label || t('cameraN', { n: i + 1 })}
              </option>
            ))}
          </select>
        </Field>
        <button type="button" className="button button--small" data-testid="camera-setting-refresh" onClick={() => void listCameras().catch(() => {})}>
          {t('settingsRefresh')}
        </button>
      </div>
      <div className={failed ? 'notice notice--warning' : 'notice'}>
        <p data-testid="camera-setting-state">
          <strong>{t('app:labelled', { label: t('settingsState') })}</strong>
          {state}
        </p>
        {cam.engine ? (
          <p className="field__hint" data-testid="camera-setting-engine">
            {t('app:labelled', { label: t('settingsEngine') })}
            {cam.engine}
            {cam.fallbackReason ? ` — ${t('fallback', { reason: cam.fallbackReason })}` : ''}
          </p>
        ) : null}
      </div>
      <p className="field__hint">{t('settingsHint')}</p>
    </div>
  );
}
