/**
 * Admin approval. Admin actions (import, remove, settings, undo) need a token
 * from `admin.login`; it is kept in memory only, for at most 5 minutes, and the
 * passphrase is asked for again after that.
 *
 * With staff accounts (staff/), the person signed in at the counter acts
 * without a token, and a call above their role is approved on the spot: the
 * core refuses it (`staff.roleRequired`, or `admin.required`), a manager
 * approves with their PIN or badge (or the owner with the passphrase), and
 * the call runs again with the approver's token (staff/approval.ts).
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, type Role } from '../../../preload/contract';
import { useApp } from '../context';
import { runApproved } from '../staff/approval';
import { ApproveDialog, type Approval } from '../staff/ApproveDialog';
import { onPersonChange, setOwnerAtWork, staffState } from '../staff/store';
import { Dialog } from './Dialog';
import { Field } from './Field';
import { useAction } from './useAction';

export const ADMIN_TOKEN_TTL_MS = 5 * 60 * 1000;

/**
 * What `getToken()` answers while staff accounts are on and no owner token is held:
 * go ahead, the person signed in acts (the core checks their role). `withAdmin`
 * never passes it to a call.
 */
export const AS_SIGNED_IN = 'signed-in-person';

export interface AdminGate {
  /**
   * A fresh admin token, asking for the passphrase when none is held; null when the user cancels.
   * With staff accounts on: the held owner token, or AS_SIGNED_IN (nothing asked).
   */
  getToken(): Promise<string | null>;
  /** Keep a token just received (from `admin.setup`). */
  remember(token: string, expiresAt: number): void;
  forget(): void;
  /** Asks someone with at least `need` to approve (PIN, badge or the owner's passphrase): their token, or null when cancelled. */
  approve(need: Role, refusal: ApiError | null): Promise<string | null>;
  /** Asks the owner's passphrase even with staff on (the owner at the counter without a staff account); false when cancelled. */
  ownerLogin(): Promise<boolean>;
}

const AdminContext = createContext<AdminGate | null>(null);

export function useAdmin(): AdminGate {
  const v = useContext(AdminContext);
  if (!v) throw new Error('useAdmin outside AdminProvider');
  return v;
}

/**
 * Runs an admin call with a token; when the core says the token is no longer
 * good (`admin.required`), asks again once. Resolves undefined when cancelled.
 * With staff accounts on, the signed-in person's call (token undefined) is
 * approved by a manager or the owner when their role is not enough.
 */
export async function withAdmin<T>(gate: AdminGate, fn: (token: string) => Promise<T>): Promise<T | undefined> {
  const staff = staffState();
  if (staff.enabled) {
    const held = await gate.getToken();
    return runApproved({
      held: held && held !== AS_SIGNED_IN ? held : undefined,
      current: staff.current?.role ?? null,
      ask: (need, refusal) => gate.approve(need, refusal),
      forget: () => gate.forget(),
      // Without a token the signed-in person acts (the core checks their role). The calls' schemas
      // still type the token as required; a core that wants one answers so, and approval.ts asks for it.
      call: (token) => fn(token as string),
    });
  }
  for (let attempt = 0; ; attempt++) {
    const token = await gate.getToken();
    if (!token) return undefined;
    try {
      return await fn(token);
    } catch (e) {
      if (attempt === 0 && e instanceof ApiError && e.code === 'admin.required') {
        gate.forget();
        continue;
      }
      throw e;
    }
  }
}

interface Held {
  token: string;
  until: number;
}

type Asking =
  | { kind: 'passphrase'; resolve(token: string | null): void }
  | { kind: 'approve'; need: Role; refusal: ApiError | null; resolve(token: string | null): void };

export function AdminProvider({ children }: { children: ReactNode }) {
  const { api } = useApp();
  const held = useRef<Held | null>(null);
  const expiry = useRef<ReturnType<typeof setTimeout> | null>(null);
  const waiting = useRef<Promise<string | null> | null>(null);
  const [asking, setAsking] = useState<Asking | null>(null);

  const forget = useCallback(() => {
    held.current = null;
    if (expiry.current) clearTimeout(expiry.current);
    expiry.current = null;
    setOwnerAtWork(false);
  }, []);

  const remember = useCallback(
    (token: string, expiresAt: number) => {
      forget();
      const until = Math.min(Number.isFinite(expiresAt) ? expiresAt : Infinity, Date.now() + ADMIN_TOKEN_TTL_MS);
      held.current = { token, until };
      expiry.current = setTimeout(forget, Math.max(0, until - Date.now()));
      setOwnerAtWork(true);
    },
    [forget],
  );

  /** One question at a time: a second caller waits for the same answer. */
  const ask = useCallback((open: (resolve: (token: string | null) => void) => Asking): Promise<string | null> => {
    if (!waiting.current) {
      waiting.current = new Promise<string | null>((resolve) => setAsking(open(resolve))).finally(() => {
        waiting.current = null;
      });
    }
    return waiting.current;
  }, []);

  const getToken = useCallback((): Promise<string | null> => {
    const h = held.current;
    if (h && h.until > Date.now() + 1000) return Promise.resolve(h.token);
    forget();
    if (staffState().enabled) return Promise.resolve(AS_SIGNED_IN);
    return ask((resolve) => ({ kind: 'passphrase', resolve }));
  }, [forget, ask]);

  const approve = useCallback(
    (need: Role, refusal: ApiError | null) => ask((resolve) => ({ kind: 'approve', need, refusal, resolve })),
    [ask],
  );

  const ownerLogin = useCallback(async () => (await ask((resolve) => ({ kind: 'passphrase', resolve }))) !== null, [ask]);

  useEffect(() => forget, [forget]);
  // An owner token from the passphrase is the owner's: it goes when the person at the counter changes.
  useEffect(() => onPersonChange(forget), [forget]);

  const gate = useMemo<AdminGate>(() => ({ getToken, remember, forget, approve, ownerLogin }), [getToken, remember, forget, approve, ownerLogin]);

  return (
    <AdminContext.Provider value={gate}>
      {children}
      {asking?.kind === 'passphrase' ? (
        <AdminPassphraseDialog
          onDone={(result) => {
            if (result) remember(result.token, result.expiresAt);
            setAsking(null);
            asking.resolve(result ? result.token : null);
          }}
          login={(passphrase) => api.call('admin.login', { passphrase })}
        />
      ) : null}
      {asking?.kind === 'approve' ? (
        <ApproveDialog
          need={asking.need}
          refusal={asking.refusal}
          onDone={(result: Approval | null) => {
            if (result?.owner) remember(result.token, result.expiresAt);
            setAsking(null);
            asking.resolve(result ? result.token : null);
          }}
        />
      ) : null}
    </AdminContext.Provider>
  );
}

function AdminPassphraseDialog({
  onDone,
  login,
}: {
  onDone(result: { token: string; expiresAt: number } | null): void;
  login(passphrase: string): Promise<{ token: string; expiresAt: number }>;
}) {
  const { t } = useTranslation('app');
  const input = useRef<HTMLInputElement>(null);
  const { busy, error, setError, run } = useAction();

  async function submit() {
    const passphrase = input.current?.value ?? '';
    if (!passphrase) {
      setError(t('errors:admin.required'));
      input.current?.focus();
      return;
    }
    await run(
      async () => {
        const result = await login(passphrase);
        if (input.current) input.current.value = '';
        onDone(result);
      },
      (text) => {
        setError(text);
        if (input.current) {
          input.current.value = '';
          input.current.focus();
        }
      },
    );
  }

  return (
    <Dialog
      title={t('admin.title')}
      okLabel={t('admin.submit')}
      busy={busy}
      error={error}
      onSubmit={() => void submit()}
      onCancel={() => onDone(null)}
      testId="admin-dialog"
    >
      <p className="dialog__hint">{t('admin.hint')}</p>
      <Field label={t('admin.label')}>
        <input
          ref={input}
          type="password"
          className="input"
          autoComplete="off"
          data-autofocus
          data-testid="admin-passphrase"
          maxLength={1024}
        />
      </Field>
    </Dialog>
  );
}
