/**
 * The counter screen: scan → verdict (with sound) → next scan, the questions a
 * voucher needs first (PIN, how many units, purchase amount), and the last
 * redemptions. From 1000 px wide it fills the window in two columns: the
 * verdict, large, on the left; the scan box, camera and history (which scrolls
 * in its own box) on the right, and the questions open over the right column,
 * so the whole verdict is always in sight (styles.css, "redeem").
 *
 * Each scan is verified first (nothing recorded), then redeemed at once or
 * after the cashier's answers (see flow.ts). Scans are handled one after
 * another: a scan that arrives while a question is open waits for it.
 *
 * Voucher text is never put in React state, shown after the scan or logged:
 * it lives in the pending call and, while a question is open, in one ref that
 * is cleared when the scan is done.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { RedeemResult, VerifyResult } from '../../../preload/contract';
import { useApp } from '../context';
import { toErrorLike } from '../i18n';
import { playSound } from '../sound';
import { afterVerify, ANSWER_ERRORS, promptFor, scanText, soundFor, type RedeemPrompt, type RedeemRequest, type Shown } from './flow';
import { AmountPrompt } from './AmountPrompt';
import { HistoryList } from './HistoryList';
import { PinPrompt } from './PinPrompt';
import { ScanInput } from './ScanInput';
import { CameraPanel } from '../scanners/camera/CameraPanel';
import { UnitsPrompt } from './UnitsPrompt';
import { UnlockPanel } from './UnlockPanel';
import { VerdictPanel } from './VerdictPanel';
import { useFitToWindow } from './fitToWindow';
import './redeem.css';
import { CounterMember } from '../crm/CounterMember';
import { isMemberCardRefusal, isMemberCardText } from '../crm/card';

/** The scan being handled: its text and PIN, held only until its verdict. */
interface Held {
  text: string;
  pin?: string;
  /** The verify answer behind an open units/amount question. */
  asked?: VerifyResult;
  done(): void;
}

export function RedeemScreen({ active }: { active: boolean }) {
  const { api, info, settings, refreshInfo, goTo } = useApp();
  const { t } = useTranslation('redeem');
  const [shown, setShown] = useState<Shown | null>(null);
  const [prompt, setPrompt] = useState<RedeemPrompt | null>(null);
  const [pending, setPending] = useState(0);
  const [historyKey, setHistoryKey] = useState(0);
  const seq = useRef(0);
  const queue = useRef<Promise<void>>(Promise.resolve());
  const held = useRef<Held | null>(null);
  const soundOn = useRef(settings.sound);
  const screen = useRef<HTMLDivElement>(null);
  useFitToWindow(screen, active);
  useEffect(() => {
    soundOn.current = settings.sound;
  }, [settings.sound]);

  /** The scan is over: forget its text, close any question, let the next scan run. */
  const finish = useCallback(() => {
    const h = held.current;
    held.current = null;
    setPrompt(null);
    h?.done();
  }, []);

  const showResult = useCallback(
    (result: RedeemResult) => {
      setShown({ kind: 'result', result, seq: ++seq.current, at: Date.now() });
      playSound(soundFor(result.verdict), soundOn.current);
      if (result.verdict === 'KEYSTORE_LOCKED') void refreshInfo();
    },
    [refreshInfo],
  );

  const showError = useCallback(
    (e: unknown) => {
      const error = toErrorLike(e);
      setShown({ kind: 'error', error, seq: ++seq.current, at: Date.now() });
      playSound('reject', soundOn.current);
      if (error.code === 'keystore.locked') void refreshInfo();
    },
    [refreshInfo],
  );

  /**
   * Records the redemption. From an open units/amount question, the errors the
   * cashier can fix by answering again are thrown back to the dialog.
   */
  const redeem = useCallback(
    async (request: RedeemRequest, fromQuestion: boolean) => {
      let result: RedeemResult;
      try {
        result = await api.call('voucher.redeem', request);
      } catch (e) {
        if (fromQuestion && ANSWER_ERRORS.includes(toErrorLike(e).code)) throw e;
        showError(e);
        finish();
        return;
      } finally {
        setHistoryKey((k) => k + 1);
      }
      showResult(result);
      const again = promptFor(result);
      if (again && held.current) {
        held.current.asked = undefined;
        setPrompt(again);
      } else {
        finish();
      }
    },
    [api, showResult, showError, finish],
  );

  /** Sends the scan (with the PIN once given): redeemed at once, or the question to ask next. */
  const check = useCallback(
    async (text: string, pin?: string) => {
      // A member card picks the member the next redemption goes on; it is not redeemed.
      const selectMember = async () => {
        try {
          await api.call('crm.counterScan', { text });
          playSound('accept', soundOn.current);
        } catch (e) {
          showError(e);
        }
        finish();
      };
      if (pin === undefined && isMemberCardText(text)) return selectMember();
      let result: VerifyResult;
      try {
        // One call: the core redeems at once when there is nothing to ask, else answers like verify.
        result = await api.call('voucher.redeem', pin === undefined ? { text, unlessAsking: true } : { text, pin, unlessAsking: true });
      } catch (e) {
        showError(e);
        finish();
        return;
      }
      // A GBV2 card has no header hint: the voucher path refused it as a card.
      if (pin === undefined && isMemberCardRefusal(result)) return selectMember();
      const h = held.current;
      if (!h || h.text !== text) return; // the scan was given up meanwhile (screen left)
      if ((result as RedeemResult).event) {
        setHistoryKey((k) => k + 1);
        showResult(result);
        finish();
        return;
      }
      const next = afterVerify(result);
      if (next.type === 'show') {
        showResult(result);
        finish();
        return;
      }
      if (pin !== undefined) h.pin = pin;
      if (next.type === 'redeem') {
        await redeem({ text, ...(h.pin !== undefined ? { pin: h.pin } : {}), ...(next.units !== undefined ? { units: next.units } : {}) }, false);
        return;
      }
      if (next.prompt.type === 'pin') {
        h.asked = undefined;
        showResult(result);
      } else {
        h.asked = result;
        setShown({ kind: 'asking', result, ask: next.prompt.type, seq: ++seq.current, at: Date.now() });
        playSound('warning', soundOn.current);
      }
      setPrompt(next.prompt);
    },
    [api, redeem, showResult, showError, finish],
  );

  /** Scans are checked one after another, in the order they came; one with a question open holds the rest. */
  const onScan = useCallback(
    (scanned: string) => {
      const text = scanText(scanned);
      setPending((n) => n + 1);
      const run = queue.current.then(
        () =>
          new Promise<void>((done) => {
            held.current = { text, done };
            void check(text);
          }),
      );
      queue.current = run.finally(() => setPending((n) => n - 1));
    },
    [check],
  );

  const cancelPrompt = useCallback(() => {
    const asked = held.current?.asked;
    if (asked) setShown({ kind: 'cancelled', result: asked, seq: ++seq.current, at: Date.now() });
    else setShown((s) => (s && s.kind === 'result' ? { ...s, note: 'pinCancelled' } : s));
    finish();
  }, [finish]);

  // Leaving the screen cancels a question (and forgets the text).
  useEffect(() => {
    if (!active && held.current !== null && prompt !== null) cancelPrompt();
  }, [active, prompt, cancelPrompt]);

  const withHeld = (fn: (h: Held) => Promise<void>) => async () => {
    const h = held.current;
    if (h) await fn(h);
  };
  const pinOf = (h: Held) => (h.pin !== undefined ? { pin: h.pin } : {});

  const locked = info.keystore === 'locked';
  const empty = info.keystore === 'empty';

  return (
    <div className="redeem" data-testid="redeem-screen" ref={screen}>
      {locked || empty ? (
        <div className="redeem__notices">
          {locked ? <UnlockPanel /> : null}
          {empty ? (
            <div className="panel panel--warning" data-testid="empty-keystore">
              <p>{t('emptyStore')}</p>
              <button type="button" className="button" onClick={() => goTo('keys')}>
                {t('goToKeys')}
              </button>
            </div>
          ) : null}
        </div>
      ) : null}
      <div className="redeem__member">
        <CounterMember />
      </div>
      <div className="redeem__scan">
        <ScanInput active={active} keepFocus={!locked && prompt === null} busy={pending > 0 && prompt === null} onScan={onScan} />
        <CameraPanel active={active} onScan={onScan} />
      </div>
      <div className="redeem__verdict">
        <VerdictPanel
          shown={shown}
          idle={locked ? t('errors:keystore.locked') : empty ? t('errors:keys.noMerchant') : t('verdictPanel.idle')}
        />
      </div>
      <div className="redeem__history">
        <HistoryList refreshKey={historyKey} />
      </div>
      {active && prompt?.type === 'pin' ? (
        <PinPrompt prompt={prompt} onCancel={cancelPrompt} onSubmit={(pin) => withHeld((h) => check(h.text, pin))()} />
      ) : null}
      {active && prompt?.type === 'units' ? (
        <UnitsPrompt
          prompt={prompt}
          onCancel={cancelPrompt}
          onSubmit={(units) => withHeld((h) => redeem({ text: h.text, ...pinOf(h), units }, true))()}
        />
      ) : null}
      {active && prompt?.type === 'amount' ? (
        <AmountPrompt
          prompt={prompt}
          onCancel={cancelPrompt}
          onSubmit={(amount) => withHeld((h) => redeem({ text: h.text, ...pinOf(h), amount }, true))()}
        />
      ) : null}
    </div>
  );
}
