/**
 * The counter screen: scan → verdict (with sound) → next scan, the PIN prompt
 * when a voucher asks for one, and the last redemptions below.
 *
 * Voucher text is never put in React state, shown after the scan or logged:
 * it lives in the pending call and, while a PIN is asked for, in one ref that
 * is cleared when the prompt closes.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { RedeemResult } from '../../../preload/contract';
import { useApp } from '../context';
import { toErrorLike } from '../i18n';
import { playSound } from '../sound';
import { promptFor, soundFor, type RedeemPrompt, type RedeemRequest, type Shown } from './flow';
import { HistoryList } from './HistoryList';
import { PinPrompt } from './PinPrompt';
import { ScanInput } from './ScanInput';
import { CameraPanel } from '../scanners/camera/CameraPanel';
import { UnlockPanel } from './UnlockPanel';
import { VerdictPanel } from './VerdictPanel';

export function RedeemScreen({ active }: { active: boolean }) {
  const { api, info, settings, refreshInfo, goTo } = useApp();
  const { t } = useTranslation();
  const [shown, setShown] = useState<Shown | null>(null);
  const [prompt, setPrompt] = useState<RedeemPrompt | null>(null);
  const [pending, setPending] = useState(0);
  const [historyKey, setHistoryKey] = useState(0);
  const seq = useRef(0);
  const queue = useRef<Promise<void>>(Promise.resolve());
  /** The scanned text, held only while the PIN prompt is open. */
  const promptText = useRef<string | null>(null);
  const soundOn = useRef(settings.sound);
  useEffect(() => {
    soundOn.current = settings.sound;
  }, [settings.sound]);

  const showResult = useCallback(
    (result: RedeemResult, request: RedeemRequest) => {
      setShown({ kind: 'result', result, seq: ++seq.current, at: Date.now() });
      playSound(soundFor(result.verdict), soundOn.current);
      const next = promptFor(result);
      promptText.current = next ? request.text : null;
      setPrompt(next);
      if (result.verdict === 'KEYSTORE_LOCKED') void refreshInfo();
    },
    [refreshInfo],
  );

  const redeem = useCallback(
    async (request: RedeemRequest) => {
      try {
        const result = await api.call('voucher.redeem', request);
        showResult(result, request);
      } catch (e) {
        const error = toErrorLike(e);
        setShown({ kind: 'error', error, seq: ++seq.current, at: Date.now() });
        playSound('reject', soundOn.current);
        promptText.current = null;
        setPrompt(null);
        if (error.code === 'keystore.locked') void refreshInfo();
      } finally {
        setHistoryKey((k) => k + 1);
      }
    },
    [api, showResult, refreshInfo],
  );

  /** Scans are checked one after another, in the order they came. */
  const enqueue = useCallback(
    (request: RedeemRequest) => {
      setPending((n) => n + 1);
      const run = queue.current.then(() => redeem(request));
      queue.current = run.finally(() => setPending((n) => n - 1));
      return run;
    },
    [redeem],
  );

  const onScan = useCallback(
    (text: string) => {
      if (promptText.current !== null) return; // a prompt is open: finish it first
      void enqueue({ text });
    },
    [enqueue],
  );

  const closePrompt = useCallback(() => {
    promptText.current = null;
    setPrompt(null);
    setShown((s) => (s && s.kind === 'result' ? { ...s, note: 'pinCancelled' } : s));
  }, []);

  // Leaving the screen cancels a prompt (and forgets the text).
  useEffect(() => {
    if (!active && promptText.current !== null) closePrompt();
  }, [active, closePrompt]);

  const locked = info.keystore === 'locked';
  const empty = info.keystore === 'empty';

  return (
    <div className="redeem" data-testid="redeem-screen">
      {locked ? <UnlockPanel /> : null}
      {empty ? (
        <div className="panel panel--warning" data-testid="empty-keystore">
          <p>{t('redeem.emptyStore')}</p>
          <button type="button" className="button" onClick={() => goTo('keys')}>
            {t('redeem.goToKeys')}
          </button>
        </div>
      ) : null}
      <ScanInput active={active} keepFocus={!locked && prompt === null} busy={pending > 0} onScan={onScan} />
      <CameraPanel active={active} onScan={onScan} />
      <VerdictPanel
        shown={shown}
        idle={locked ? t('errors.keystore.locked') : empty ? t('errors.keys.noMerchant') : t('verdictPanel.idle')}
      />
      <HistoryList refreshKey={historyKey} />
      {prompt?.type === 'pin' && active ? (
        <PinPrompt
          prompt={prompt}
          onCancel={closePrompt}
          onSubmit={async (pin) => {
            const text = promptText.current;
            if (text === null) return;
            await enqueue({ text, pin });
          }}
        />
      ) : null}
    </div>
  );
}
