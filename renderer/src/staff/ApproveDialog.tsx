/**
 * A manager's override: the call was refused for the signed-in person's role,
 * and someone with the role needed approves it on the spot, by picking their
 * name and typing their PIN, or by scanning their staff badge; the owner may
 * use the passphrase instead. Answers the approver's token for that one call.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiError, Role } from '../../../preload/contract';
import { Dialog } from '../components/Dialog';
import { Field } from '../components/Field';
import { useAction } from '../components/useAction';
import { useApp } from '../context';
import { errorText } from '../i18n';
import { captureScans } from '../scanners/store';
import { CodeField } from './CodeField';
import { readCode, type Proof } from './code';
import { eligible, NamePicker } from './NamePicker';
import { useStaffList } from './useStaffList';

export interface Approval {
  token: string;
  expiresAt: number;
  /** From the owner's passphrase (kept like any passphrase token), not a one-call approval. */
  owner: boolean;
}

export function ApproveDialog({ need, refusal, onDone }: { need: Role; refusal: ApiError | null; onDone(result: Approval | null): void }) {
  const { api } = useApp();
  const { t } = useTranslation('staff');
  const { people, error: listError } = useStaffList();
  const [picked, setPicked] = useState<string | null>(null);
  const [passphraseMode, setPassphraseMode] = useState(false);
  const code = useRef<HTMLInputElement>(null);
  const passphrase = useRef<HTMLInputElement>(null);
  const { busy, error, setError, run } = useAction();

  const names = people ? eligible(people, need) : [];
  // Until the list is known nothing is offered (no PIN pad that turns into a passphrase a moment later);
  // a list that cannot be read leaves the owner's passphrase.
  const listed = people !== null || listError !== null;
  const noneCan = listed && names.length === 0;
  const usePassphrase = passphraseMode || noneCan;

  const approve = useCallback(
    async (proof: Proof) => {
      await run(async () => {
        const r = await api.call('staff.approve', { ...proof, need });
        onDone({ token: r.token, expiresAt: r.expiresAt, owner: false });
      });
      code.current?.focus();
    },
    [api, need, onDone, run],
  );

  const onCode = useCallback(
    (text: string) => {
      const read = readCode(text, picked);
      if ('proof' in read) void approve(read.proof);
      else if (read.problem !== 'empty') setError(t(`code.${read.problem}`));
    },
    [picked, approve, setError, t],
  );

  // A badge scanned on the serial reader or a wedge while this is open approves.
  useEffect(() => captureScans((text) => void approve({ badge: text.trim() })), [approve]);

  async function loginOwner() {
    const value = passphrase.current?.value ?? '';
    if (!value) {
      setError(t('errors:admin.required'));
      passphrase.current?.focus();
      return;
    }
    await run(
      async () => {
        const r = await api.call('admin.login', { passphrase: value });
        if (passphrase.current) passphrase.current.value = '';
        onDone({ token: r.token, expiresAt: r.expiresAt, owner: true });
      },
      (text) => {
        setError(text);
        if (passphrase.current) {
          passphrase.current.value = '';
          passphrase.current.focus();
        }
      },
    );
  }

  return (
    <Dialog
      title={t('approve.title')}
      okLabel={t('approve.submit')}
      busy={busy}
      error={error}
      onSubmit={() => (usePassphrase ? void loginOwner() : onCode(code.current?.value ?? ''))}
      onCancel={() => onDone(null)}
      testId="approve-dialog"
    >
      {refusal ? (
        <p className="notice notice--warning" role="alert" data-testid="approve-refusal">
          {errorText(t, refusal)}
        </p>
      ) : null}
      <p className="dialog__hint">{need === 'owner' ? t('approve.hintOwner') : t('approve.hint')}</p>
      {!listed ? (
        <p className="muted" data-testid="approve-loading">
          {t('approve.loading')}
        </p>
      ) : usePassphrase ? (
        <>
          {noneCan ? <p className="muted">{t('approve.nobody')}</p> : null}
          <Field label={t('app:admin.label')}>
            <input ref={passphrase} type="password" className="input" autoComplete="off" data-autofocus maxLength={1024} data-testid="approve-passphrase" />
          </Field>
        </>
      ) : (
        <>
          <NamePicker
            people={names}
            picked={picked}
            label={t('approve.names')}
            testId="approve"
            onPick={(id) => {
              setPicked(id);
              setError(null);
              code.current?.focus();
            }}
          />
          <CodeField inputRef={code} onCode={onCode} testId="approve" disabled={busy} />
        </>
      )}
      {!listed || noneCan ? null : (
        <button
          type="button"
          className="button button--small"
          data-testid="approve-switch"
          onClick={() => {
            setPassphraseMode((m) => !m);
            setError(null);
            setTimeout(() => (passphraseMode ? code.current : passphrase.current)?.focus(), 0);
          }}
        >
          {usePassphrase ? t('approve.useStaff') : t('approve.usePassphrase')}
        </button>
      )}
    </Dialog>
  );
}
