/**
 * Asks how many units to redeem now, for an item or gift voucher with more
 * than one left. The field starts at what the core says Enter takes (`take`:
 * one unit, or all of them on the last visit a voucher allows), selected: a
 * digit replaces it, arrow keys step. Esc cancels. The voucher text stays with
 * the Redeem screen.
 */
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Dialog } from '../components/Dialog';
import { errorText } from '../i18n';
import { campaignLeft, parseUnits, type RedeemPrompt } from './flow';

export interface UnitsPromptProps {
  prompt: Extract<RedeemPrompt, { type: 'units' }>;
  /** Resolves when the redemption has its verdict; rejects with an error the dialog shows (it stays open). */
  onSubmit(units: number): Promise<void>;
  onCancel(): void;
}

export function UnitsPrompt({ prompt, onSubmit, onCancel }: UnitsPromptProps) {
  const { t } = useTranslation('redeem');
  const input = useRef<HTMLInputElement>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const { result, left, face, max, take } = prompt;
  const v = result.voucher;
  const product = v?.product ?? v?.sku ?? t('verdictPanel.unknownProduct');
  const stock = campaignLeft(result.campaign);
  const usesLeft = result.remaining?.usesLeft ?? null;

  function step(by: number) {
    const el = input.current;
    if (!el) return;
    const now = parseUnits(el.value, max);
    const next = Math.min(max, Math.max(1, (now.ok ? now.units : take) + by));
    el.value = String(next);
    el.focus();
    el.select();
    setError(null);
  }

  async function submit() {
    const el = input.current;
    const parsed = parseUnits(el?.value ?? '', max);
    if (!parsed.ok) {
      setError(parsed.problem === 'tooMany' ? t('units.tooMany', { count: max }) : t('units.notNumber', { count: max }));
      if (el) {
        el.value = String(take);
        el.focus();
        el.select();
      }
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await onSubmit(parsed.units);
    } catch (e) {
      setError(errorText(t, e));
      setBusy(false);
      el?.focus();
    }
  }

  return (
    <Dialog
      title={t('units.title')}
      okLabel={t('units.submit')}
      busy={busy}
      error={error}
      onSubmit={() => void submit()}
      onCancel={onCancel}
      testId="units-dialog"
    >
      <p className="prompt__product" data-testid="units-product">
        {v?.kind === 'gift' ? t('units.gift', { product }) : product}
      </p>
      <p className="prompt__left" data-testid="units-left">
        {t('units.left', { left, face })}
      </p>
      {usesLeft !== null ? <p className="prompt__note">{t('verdictPanel.usesLeft', { count: usesLeft })}</p> : null}
      {stock !== null && stock < left ? (
        <p className="prompt__note prompt__note--warn">{t('units.campaignLimit', { name: result.campaign?.name ?? '', count: stock })}</p>
      ) : null}
      <label className="field">
        <span className="field__label">{t('units.label')}</span>
        <div className="stepper">
          <button type="button" className="button stepper__button" tabIndex={-1} aria-label={t('units.less')} onClick={() => step(-1)}>
            −
          </button>
          <input
            ref={input}
            type="text"
            className="input input--big"
            inputMode="numeric"
            autoComplete="off"
            maxLength={6}
            defaultValue={String(take)}
            data-autofocus
            data-testid="units-input"
            onFocus={(e) => e.currentTarget.select()}
            onKeyDown={(e) => {
              if (e.key === 'ArrowUp') {
                e.preventDefault();
                step(1);
              } else if (e.key === 'ArrowDown') {
                e.preventDefault();
                step(-1);
              }
            }}
          />
          <button type="button" className="button stepper__button" tabIndex={-1} aria-label={t('units.more')} onClick={() => step(1)}>
            +
          </button>
        </div>
      </label>
      <p className="dialog__hint">{t('units.hint', { count: take })}</p>
    </Dialog>
  );
}
