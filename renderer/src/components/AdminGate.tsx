/**
 * Admin approval. Admin actions (import, remove, settings, undo) need a token
 * from `admin.login`; it is kept in memory only, for at most 5 minutes, and the
 * passphrase is asked for again after that.
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../../preload/contract';
import { useApp } from '../context';
import { Dialog } from './Dialog';
import { Field } from './Field';
import { useAction } from './useAction';

export const ADMIN_TOKEN_TTL_MS = 5 * 60 * 1000;

export interface AdminGate {
  /** A fresh admin token, asking for the passphrase when none is held; null when the user cancels. */
  getToken(): Promise<string | null>;
  /** Keep a token just received (from `admin.setup`). */
  remember(token: string, expiresAt: number): void;
  forget(): void;
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
 */
export async function withAdmin<T>(gate: AdminGate, fn: (token: string) => Promise<T>): Promise<T | undefined> {
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

export function AdminProvider({ children }: { children: ReactNode }) {
  const { api } = useApp();
  const held = useRef<Held | null>(null);
  const expiry = useRef<ReturnType<typeof setTimeout> | null>(null);
  const waiting = useRef<Promise<string | null> | null>(null);
  const [asking, setAsking] = useState<((token: string | null) => void) | null>(null);

  const forget = useCallback(() => {
    held.current = null;
    if (expiry.current) clearTimeout(expiry.current);
    expiry.current = null;
  }, []);

  const remember = useCallback(
    (token: string, expiresAt: number) => {
      forget();
      const until = Math.min(Number.isFinite(expiresAt) ? expiresAt : Infinity, Date.now() + ADMIN_TOKEN_TTL_MS);
      held.current = { token, until };
      expiry.current = setTimeout(forget, Math.max(0, until - Date.now()));
    },
    [forget],
  );

  const getToken = useCallback((): Promise<string | null> => {
    const h = held.current;
    if (h && h.until > Date.now() + 1000) return Promise.resolve(h.token);
    forget();
    if (!waiting.current) {
      waiting.current = new Promise<string | null>((resolve) => setAsking(() => resolve)).finally(() => {
        waiting.current = null;
      });
    }
    return waiting.current;
  }, [forget]);

  useEffect(() => forget, [forget]);

  const gate = useMemo<AdminGate>(() => ({ getToken, remember, forget }), [getToken, remember, forget]);

  return (
    <AdminContext.Provider value={gate}>
      {children}
      {asking ? (
        <AdminPassphraseDialog
          onDone={(result) => {
            if (result) remember(result.token, result.expiresAt);
            setAsking(null);
            asking(result ? result.token : null);
          }}
          login={(passphrase) => api.call('admin.login', { passphrase })}
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
