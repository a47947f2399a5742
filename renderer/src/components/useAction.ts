/**
 * One call the cashier started with a button: busy while it runs, its error in the
 * cashier's language when it fails. Replaces the busy/try/catch/finally every form
 * used to write out.
 */
import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorText } from '../i18n';

/** What to do with a failure instead of showing it as the action's error (gets the words and the error). */
export type OnActionError = (text: string, error: unknown) => void;

export interface Action {
  /** The call is running: disable its button. */
  busy: boolean;
  /** The last failure's words (already translated), or null. */
  error: string | null;
  /** Shows words of the screen's own (a check before the call), or clears them. */
  setError(text: string | null): void;
  /**
   * Runs `work`: clears the error, is busy until it settles, and on failure shows the
   * error's words (or hands them to `onError`). Resolves to what `work` returned, or
   * undefined when it failed; never rejects.
   */
  run<T>(work: () => Promise<T>, onError?: OnActionError): Promise<T | undefined>;
}

/** The steps of an action, apart from React: the hook keeps `busy` and `error` in state. */
export async function perform<T>(
  work: () => Promise<T>,
  report: { busy(on: boolean): void; error(text: string | null): void },
  describe: (error: unknown) => string,
  onError?: OnActionError,
): Promise<T | undefined> {
  report.error(null);
  report.busy(true);
  try {
    return await work();
  } catch (e) {
    const text = describe(e);
    if (onError) onError(text, e);
    else report.error(text);
    return undefined;
  } finally {
    report.busy(false);
  }
}

export function useAction(): Action {
  const { t } = useTranslation('errors');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = useCallback(
    <T,>(work: () => Promise<T>, onError?: OnActionError) =>
      perform(work, { busy: setBusy, error: setError }, (e) => errorText(t, e), onError),
    [t],
  );
  return { busy, error, setError, run };
}
