/**
 * The counter while staff exist and nobody is signed in (at start, after
 * "Switch", after the idle sign-out): pick your name and type your PIN, or
 * scan your staff badge (keyboard wedge into the field, the serial reader, or
 * the camera). Nothing else of the counter is reachable until someone is in.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useAdmin } from '../components/AdminGate';
import { useAction } from '../components/useAction';
import { useApp } from '../context';
import { errorText } from '../i18n';
import { CameraPanel } from '../scanners/camera/CameraPanel';
import { captureScans } from '../scanners/store';
import { CodeField } from './CodeField';
import { readCode, type Proof } from './code';
import { eligible, NamePicker } from './NamePicker';
import { setStaffState } from './store';
import { useStaffList } from './useStaffList';
import './staff.css';

export function SignInPanel() {
  const { api } = useApp();
  const admin = useAdmin();
  const { t } = useTranslation('staff');
  const { people, error: listError } = useStaffList();
  const [picked, setPicked] = useState<string | null>(null);
  const input = useRef<HTMLInputElement>(null);
  const { busy, error, setError, run } = useAction();

  const signIn = useCallback(
    async (proof: Proof) => {
      await run(async () => setStaffState(await api.call('staff.signIn', proof)));
      input.current?.focus();
    },
    [api, run],
  );

  const onCode = useCallback(
    (text: string) => {
      const read = readCode(text, picked);
      if ('proof' in read) void signIn(read.proof);
      else if (read.problem !== 'empty') setError(t(`code.${read.problem}`));
    },
    [picked, signIn, setError, t],
  );

  // Every scan (serial reader, a wedge burst elsewhere, the camera) is a badge while this panel is up.
  useEffect(() => captureScans((text) => void signIn({ badge: text.trim() })), [signIn]);

  const names = people ? eligible(people, null) : [];
  return (
    <section className="panel sign-in" aria-labelledby="sign-in-title" data-testid="sign-in">
      <h1 id="sign-in-title" className="screen-title">
        {t('signIn.title')}
      </h1>
      <p className="muted">{t('signIn.hint')}</p>
      <div className="sign-in__body">
        <div className="sign-in__names">
          <h2 className="section-title">{t('signIn.names')}</h2>
          {people && names.length === 0 ? <p className="notice notice--warning">{t('signIn.noStaff')}</p> : null}
          <NamePicker
            people={names}
            picked={picked}
            label={t('signIn.names')}
            testId="sign-in"
            onPick={(id) => {
              setPicked(id);
              setError(null);
              input.current?.focus();
            }}
          />
          <button type="button" className="button button--small" onClick={() => void admin.ownerLogin()} data-testid="sign-in-owner">
            {t('signIn.owner')}
          </button>
          {listError ? (
            <p className="form-error" role="alert">
              {errorText(t, listError)}
            </p>
          ) : null}
        </div>
        <div className="sign-in__code">
          <CodeField inputRef={input} onCode={onCode} testId="sign-in" disabled={busy} autoFocus />
          <p className="field__hint">{t('code.hint')}</p>
          {error ? (
            <p className="form-error" role="alert" data-testid="sign-in-error">
              {error}
            </p>
          ) : null}
          <p className="muted">{t('signIn.cameraHint')}</p>
          <CameraPanel active onScan={(text) => void signIn({ badge: text.trim() })} />

        </div>
      </div>
    </section>
  );
}
