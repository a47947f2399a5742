/**
 * About and help: the version, the device, merchant and branch; the keyboard
 * shortcuts; where the data lives (from the core: app.about); kiosk mode (leave
 * it with a manager, or lock again); who to call.
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AboutInfo } from '../../../preload/contract';
import { Dialog } from '../components/Dialog';
import { useAction } from '../components/useAction';
import { useApp } from '../context';
import { errorText } from '../i18n';
import { BrowserNote } from '../kiosk/BrowserNote';
import type { KioskControls } from '../kiosk/useKiosk';
import { shortcuts } from './shortcuts';
import './help.css';

export function HelpDialog({ kiosk, onClose }: { kiosk: KioskControls; onClose(): void }) {
  const { t } = useTranslation('help');
  const { api } = useApp();
  const [about, setAbout] = useState<AboutInfo | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const action = useAction();

  useEffect(() => {
    let live = true;
    api.call('app.about', {}).then(
      (a) => live && setAbout(a),
      (e: unknown) => live && setProblem(errorText(t, e)),
    );
    return () => {
      live = false;
    };
  }, [api, t]);

  const merchant = about?.merchant ? about.merchant.name || about.merchant.id : null;

  return (
    <Dialog title={t('title')} okLabel={t('close')} onSubmit={onClose} onCancel={onClose} error={problem ?? action.error} testId="help-dialog">
      <div className="help">
        <section>
          <h3 className="help__title">{t('about.title')}</h3>
          {about ? (
            <dl className="facts">
              <dt>{t('about.version')}</dt>
              <dd className="mono" data-testid="help-version">
                {about.version}
              </dd>
              <dt>{t('about.device')}</dt>
              <dd className="mono" data-testid="help-device">
                {about.device}
              </dd>
              <dt>{t('about.merchant')}</dt>
              <dd data-testid="help-merchant">{merchant ?? t('about.none')}</dd>
              <dt>{t('about.branch')}</dt>
              <dd data-testid="help-branch">{about.branch ? about.branch.name || about.branch.id : t('about.none')}</dd>
            </dl>
          ) : (
            <p className="muted">{t('loading')}</p>
          )}
        </section>

        <section>
          <h3 className="help__title">{t('shortcuts.title')}</h3>
          <table className="help__keys" data-testid="help-shortcuts">
            <tbody>
              {shortcuts().map((s) => (
                <tr key={`${s.keys}-${s.tab ?? ''}`} data-testid="help-shortcut">
                  <td>
                    {s.wordy ? <kbd>{t(s.keys)}</kbd> : s.keys.split(' ').map((k) => <kbd key={k}>{k}</kbd>)}
                  </td>
                  <td>{s.tab ? t(s.what, { screen: t(`app:tabs.${s.tab}`) }) : t(s.what)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>

        {about ? (
          <section>
            <h3 className="help__title">{t('data.title')}</h3>
            <dl className="facts">
              <dt>{t('data.folder')}</dt>
              <dd className="mono help__path" data-testid="help-data-dir">
                {about.dataDir}
              </dd>
              <dt>{t('data.logs')}</dt>
              <dd className="mono help__path" data-testid="help-log-dir">
                {about.logDir}
              </dd>
              <dt>{t('data.database')}</dt>
              <dd className="mono help__path" data-testid="help-database">
                {about.databaseFile}
              </dd>
            </dl>
            <p className="field__hint">{t('data.hint')}</p>
          </section>
        ) : null}

        {kiosk.state?.enabled ? (
          <section data-testid="help-kiosk">
            <h3 className="help__title">{t('kiosk:title')}</h3>
            <p data-testid="help-kiosk-state" data-locked={kiosk.state.locked}>
              {kiosk.state.locked ? t('kiosk:on') : t('kiosk:left')}
            </p>
            {kiosk.state.locked ? (
              <button type="button" className="button" disabled={action.busy} title={t('kiosk:leaveHint')} onClick={() => void action.run(() => kiosk.leave())} data-testid="help-kiosk-leave">
                {t('kiosk:leave')}
              </button>
            ) : (
              <button type="button" className="button" disabled={action.busy} onClick={() => void action.run(() => kiosk.resume())} data-testid="help-kiosk-resume">
                {t('kiosk:resume')}
              </button>
            )}
            <BrowserNote />
          </section>
        ) : null}

        <section>
          <h3 className="help__title">{t('call.title')}</h3>
          <p data-testid="help-call">{t('call.owner', { merchant: merchant ? t('call.merchant', { name: merchant }) : '' })}</p>
        </section>
      </div>
    </Dialog>
  );
}
