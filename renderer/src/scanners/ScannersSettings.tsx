/**
 * The scanner settings: each source on/off with its state in words (and the
 * fix when it fails), a live "last code read" line (length and kind only,
 * never the code), the serial port, its line settings and framing, the
 * keyboard wedge's prefix/suffix, the camera, and the sound volume, the flash
 * and a button that plays the three sounds.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import {
  BAUD_RATES,
  DATA_BITS,
  FRAME_ENDS,
  PARITIES,
  STOP_BITS,
  type CallInput,
  type CodeSummary,
  type PortList,
  type ScannerState,
  type SerialConfig,
} from '../../../preload/contract';
import { Field } from '../components/Field';
import { useApp } from '../context';
import { errorText } from '../i18n';
import { playSound } from '../sound';
import { CameraSettings } from './camera/CameraSettings';
import { setScannersStatus, useScanners } from './store';

const OTHER = '\u0000other';

export function ScannersSettings() {
  const { api, settings, saveSettings } = useApp();
  const { i18n, t } = useTranslation('scanners');
  const { status, last } = useScanners();
  const [ports, setPorts] = useState<PortList | null>(null);
  const [draft, setDraft] = useState<SerialConfig | null>(null);
  const [wedge, setWedge] = useState<{ prefix: string; suffix: string } | null>(null);
  const [otherPath, setOtherPath] = useState(false);
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const [volume, setVolumeDraft] = useState<number | null>(null);

  useEffect(() => {
    if (!status) {
      api.call('scanners.status', {}).then(setScannersStatus, (e: unknown) => setMessage({ kind: 'error', text: errorText(t, e) }));
    }
  }, [api, status, t]);
  useEffect(() => {
    if (status && !draft) setDraft(status.config.serial);
    if (status && !wedge) setWedge({ prefix: status.config.wedge.prefix, suffix: status.config.wedge.suffix });
  }, [status, draft, wedge]);

  const findPorts = useCallback(() => {
    api.call('scanners.listPorts', {}).then(setPorts, (e: unknown) => setMessage({ kind: 'error', text: errorText(t, e) }));
  }, [api, t]);
  useEffect(() => findPorts(), [findPorts]);

  const save = useCallback(
    async (patch: CallInput<'scanners.configure'>, quiet = false) => {
      try {
        const s = await api.call('scanners.configure', patch);
        setScannersStatus(s);
        if (patch.serial) setDraft(s.config.serial);
        setMessage(quiet ? null : { kind: 'ok', text: t('saved') });
      } catch (e) {
        setMessage({ kind: 'error', text: errorText(t, e) });
      }
    },
    [api, t],
  );

  // Volume: heard at once, stored when the slider stops moving.
  const volumeTimer = useRef<number | null>(null);
  const changeVolume = (v: number) => {
    setVolumeDraft(v);
    if (volumeTimer.current !== null) window.clearTimeout(volumeTimer.current);
    volumeTimer.current = window.setTimeout(() => void save({ feedback: { volume: v } }, true), 250);
  };

  const testTimers = useRef<number[]>([]);
  useEffect(() => () => testTimers.current.forEach((h) => window.clearTimeout(h)), []);
  const testSounds = () => {
    testTimers.current.forEach((h) => window.clearTimeout(h));
    testTimers.current = (['accept', 'reject', 'warning'] as const).map((name, i) => window.setTimeout(() => playSound(name, true), i * 900));
  };

  if (!status || !draft || !wedge) {
    return (
      <section className="panel" data-testid="scanners-settings">
        <h2 className="field__label">{t('title')}</h2>
        {message ? <p className="form-error">{message.text}</p> : <p className="muted">…</p>}
      </section>
    );
  }

  const serial = status.serial;
  const known = ports?.ports.some((p) => p.path === draft.path) ?? false;
  const portValue = otherPath || (draft.path && !known && ports) ? OTHER : draft.path;
  const set = <K extends keyof SerialConfig>(k: K, v: SerialConfig[K]) => setDraft({ ...draft, [k]: v });
  const vol = volume ?? status.config.feedback.volume;

  return (
    <section className="panel" data-testid="scanners-settings">
      <h2 className="field__label">{t('title')}</h2>
      <p className="field__hint">{t('intro')}</p>
      {message ? (
        <p className={message.kind === 'ok' ? 'notice notice--ok' : 'form-error'} role={message.kind === 'ok' ? 'status' : 'alert'} data-testid="scanners-message">
          {message.text}
        </p>
      ) : null}

      {/* ---------------------------------------------------------- serial */}
      <fieldset className="panel" data-testid="serial-settings">
        <legend className="field__label">{t('serialTitle')}</legend>
        <label className="check">
          <input
            type="checkbox"
            checked={status.config.serial.enabled}
            onChange={(e) => void save({ serial: { ...draft, enabled: e.currentTarget.checked } })}
            data-testid="serial-enabled"
          />
          <span>{t('serialOn')}</span>
        </label>
        <SerialStateLine state={serial} t={t} />
        <LastCode summary={last.serial ?? serial.lastCode} t={t} testId="last-code-serial" language={i18n.language} />

        <form
          onSubmit={(e) => {
            e.preventDefault();
            void save({ serial: draft });
          }}
        >
          <div className="inline-form">
            <Field label={t('port')}>
              <select
                className="input"
                value={portValue}
                onChange={(e) => {
                  const v = e.currentTarget.value;
                  if (v === OTHER) setOtherPath(true);
                  else {
                    setOtherPath(false);
                    set('path', v);
                  }
                }}
                data-testid="serial-port"
              >
                <option value="">{t('choosePort')}</option>
                {(ports?.ports ?? []).map((p) => (
                  <option key={p.path} value={p.path}>
                    {p.path}
                    {p.realPath ? ` → ${p.realPath}` : ''}
                    {p.manufacturer ? ` (${p.manufacturer})` : ''}
                  </option>
                ))}
                <option value={OTHER}>{t('otherPort')}</option>
              </select>
            </Field>
            {portValue === OTHER ? (
              <Field label={t('otherPort')} className="field--grow">
                <input
                  className="input"
                  value={draft.path}
                  placeholder={t('pathPlaceholder')}
                  maxLength={256}
                  autoComplete="off"
                  spellCheck={false}
                  onChange={(e) => set('path', e.currentTarget.value)}
                  data-testid="serial-path"
                />
              </Field>
            ) : null}
            <button type="button" className="button button--small" onClick={findPorts} data-testid="serial-refresh">
              {t('refreshPorts')}
            </button>
          </div>
          {ports?.fallback ? (
            <p className="field__hint" data-testid="ports-fallback">
              {t('portsFallback')}
            </p>
          ) : null}
          {ports && ports.ports.length === 0 ? <p className="field__hint">{t('noPorts')}</p> : null}

          <div className="inline-form">
            <Select label={t('baudRate')} value={draft.baudRate} options={BAUD_RATES.map((b) => [b, String(b)])} onChange={(v) => set('baudRate', v)} testId="serial-baud" />
            <Select label={t('dataBits')} value={draft.dataBits} options={DATA_BITS.map((b) => [b, String(b)])} onChange={(v) => set('dataBits', v)} testId="serial-databits" />
            <Select label={t('parity')} value={draft.parity} options={PARITIES.map((p) => [p, t(`parity_${p}`)])} onChange={(v) => set('parity', v)} testId="serial-parity" />
            <Select label={t('stopBits')} value={draft.stopBits} options={STOP_BITS.map((b) => [b, String(b)])} onChange={(v) => set('stopBits', v)} testId="serial-stopbits" />
          </div>
          <div className="inline-form">
            <Select label={t('frameEnd')} value={draft.frameEnd} options={FRAME_ENDS.map((f) => [f, t(`frame_${f}`)])} onChange={(v) => set('frameEnd', v)} testId="serial-frame" />
            {draft.frameEnd === 'idle' ? (
              <Field label={t('idleMs')}>
                <input
                  className="input input--number"
                  type="number"
                  min={5}
                  max={2000}
                  value={draft.idleMs}
                  onChange={(e) => set('idleMs', Math.round(Number(e.currentTarget.value)) || 50)}
                  data-testid="serial-idle"
                />
              </Field>
            ) : null}
          </div>
          <div className="inline-form">
            <Field label={t('prefix')}>
              <input className="input input--short" value={draft.prefix} maxLength={32} onChange={(e) => set('prefix', e.currentTarget.value)} data-testid="serial-prefix" />
            </Field>
            <Field label={t('suffix')}>
              <input className="input input--short" value={draft.suffix} maxLength={32} onChange={(e) => set('suffix', e.currentTarget.value)} data-testid="serial-suffix" />
            </Field>
          </div>
          <p className="field__hint">{t('affixHint')}</p>
          <button type="submit" className="button button--primary" data-testid="serial-apply">
            {t('apply')}
          </button>
        </form>
      </fieldset>

      {/* ---------------------------------------------------------- keyboard wedge */}
      <fieldset className="panel" data-testid="wedge-settings">
        <legend className="field__label">{t('wedgeTitle')}</legend>
        <label className="check">
          <input
            type="checkbox"
            checked={status.config.wedge.enabled}
            onChange={(e) => void save({ wedge: { enabled: e.currentTarget.checked } })}
            data-testid="wedge-enabled"
          />
          <span>{t('wedgeOn')}</span>
        </label>
        <p className="field__hint">{t('wedgeHint')}</p>
        <LastCode summary={last.keyboard} t={t} testId="last-code-keyboard" language={i18n.language} />
        <form
          className="inline-form"
          onSubmit={(e) => {
            e.preventDefault();
            void save({ wedge });
          }}
        >
          <Field label={t('prefix')}>
            <input className="input input--short" value={wedge.prefix} maxLength={32} onChange={(e) => setWedge({ ...wedge, prefix: e.currentTarget.value })} data-testid="wedge-prefix" />
          </Field>
          <Field label={t('suffix')}>
            <input className="input input--short" value={wedge.suffix} maxLength={32} onChange={(e) => setWedge({ ...wedge, suffix: e.currentTarget.value })} data-testid="wedge-suffix" />
          </Field>
          <button type="submit" className="button" data-testid="wedge-apply">
            {t('apply')}
          </button>
        </form>
      </fieldset>

      {/* ---------------------------------------------------------- camera (its own component, by the camera part) */}
      <fieldset className="panel" data-testid="camera-section">
        <legend className="field__label">{t('camera:settingsTitle')}</legend>
        <CameraSettings />
        {/* Shown once the camera reports its codes through noteScan('camera', …) (store.ts). */}
        {last.camera ? <LastCode summary={last.camera} t={t} testId="last-code-camera" language={i18n.language} /> : null}
      </fieldset>

      {/* ---------------------------------------------------------- sound and flash */}
      <fieldset className="panel" data-testid="feedback-settings">
        <legend className="field__label">{t('feedbackTitle')}</legend>
        {/* The one sound section of the Settings screen: on/off, volume, a test. */}
        <label className="check">
          <input
            type="checkbox"
            checked={settings.sound}
            onChange={(e) => void saveSettings({ sound: e.currentTarget.checked }).catch((err: unknown) => setMessage({ kind: 'error', text: errorText(t, err) }))}
            data-testid="settings-sound"
          />
          <span>{t('soundOn')}</span>
        </label>
        <label className="field">
          <span className="field__label">
            {t('app:labelled', { label: t('volume') })}{vol}
          </span>
          <input type="range" min={0} max={100} step={5} value={vol} onChange={(e) => changeVolume(Number(e.currentTarget.value))} data-testid="sound-volume" />
        </label>
        <label className="check">
          <input
            type="checkbox"
            checked={status.config.feedback.flash}
            onChange={(e) => void save({ feedback: { flash: e.currentTarget.checked } }, true)}
            data-testid="flash-enabled"
          />
          <span>{t('flash')}</span>
        </label>
        <div className="button-row">
          <button type="button" className="button" onClick={testSounds} data-testid="test-sounds">
            {t('testSounds')}
          </button>
        </div>
      </fieldset>
    </section>
  );
}


function SerialStateLine({ state, t }: { state: ScannerState; t: TFunction }) {
  const [, tick] = useState(0);
  useEffect(() => {
    if (!state.retryAt) return;
    const h = window.setInterval(() => tick((n) => n + 1), 1000);
    return () => window.clearInterval(h);
  }, [state.retryAt]);
  const path = state.path ?? '';
  const failing = state.state === 'error' || state.state === 'waiting';
  const secs = state.retryAt ? Math.max(0, Math.ceil((state.retryAt - Date.now()) / 1000)) : null;
  return (
    <div className={state.state === 'error' ? 'notice notice--warning' : 'notice'} data-testid="serial-state" data-state={state.state} data-reason={state.reason ?? ''}>
      <p>
        <strong>{t('app:labelled', { label: t('state') })}</strong>{t(`state_${state.state}`, { path })}
      </p>
      {failing && state.reason ? <p data-testid="serial-reason">{t(`reason_${state.reason}`)}</p> : null}
      {failing && secs !== null && state.reason !== 'noPort' ? <p className="field__hint">{t('retrying', { s: secs })}</p> : null}
      {state.ignoredBytes ? (
        <p className="field__hint" data-testid="serial-noise">
          {t('noise', { n: state.ignoredBytes })}
        </p>
      ) : null}
    </div>
  );
}

function LastCode({ summary, t, testId, language }: { summary: CodeSummary | undefined; t: TFunction; testId: string; language: string }) {
  return (
    <p data-testid={testId} data-kind={summary?.kind ?? ''} data-format={summary?.format ?? ''} data-length={summary?.length ?? ''} aria-live="polite">
      <strong>{t('app:labelled', { label: t('lastCode') })}</strong>
      {summary
        ? t(summary.kind === 'voucher' ? 'last_voucher' : 'last_other', {
            n: summary.length,
            // A summary from an older core has no format: its vouchers were all GBV1.
            format: summary.format ?? 'GBV1',
            time: new Date(summary.at).toLocaleTimeString(language),
          })
        : t('lastNone')}
    </p>
  );
}

function Select<V extends string | number>({
  label,
  value,
  options,
  onChange,
  testId,
}: {
  label: string;
  value: V;
  options: readonly (readonly [V, string])[];
  onChange(v: V): void;
  testId: string;
}) {
  return (
    <Field label={label}>
      <select
        className="input"
        value={String(value)}
        onChange={(e) => {
          const raw = e.currentTarget.value;
          const hit = options.find(([v]) => String(v) === raw);
          if (hit) onChange(hit[0]);
        }}
        data-testid={testId}
      >
        {options.map(([v, text]) => (
          <option key={String(v)} value={String(v)}>
            {text}
          </option>
        ))}
      </select>
    </Field>
  );
}
