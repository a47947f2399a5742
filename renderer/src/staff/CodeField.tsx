/**
 * The "PIN or badge" field with its PIN pad: digits typed or clicked, Enter
 * (the key or the pad's) hands the text on; a badge scanned by a keyboard
 * wedge lands here too (Enter at its end, a paste, or a burst at scanner speed
 * that falls idle: scan/burst.ts). The pad's keys never take the focus from
 * the field, so a scanner's keys always reach it.
 */
import { useEffect, useRef, useState, type RefObject } from 'react';
import { useTranslation } from 'react-i18next';
import { ScanBurst, changeKindOf } from '../scan/burst';

const PAD = ['1', '2', '3', '4', '5', '6', '7', '8', '9', 'clear', '0', 'back'] as const;

export interface CodeFieldProps {
  /** The field, for a parent that submits it from its own button (a dialog's OK). */
  inputRef: RefObject<HTMLInputElement | null>;
  /** The text typed or scanned; the field is already cleared. */
  onCode(text: string): void;
  testId: string;
  disabled?: boolean;
  /** Focus the field when shown (a dialog focuses its `data-autofocus` itself). */
  autoFocus?: boolean;
}

export function CodeField({ inputRef, onCode, testId, disabled = false, autoFocus = false }: CodeFieldProps) {
  const { t } = useTranslation('staff');
  const onCodeRef = useRef(onCode);
  useEffect(() => {
    onCodeRef.current = onCode;
  });
  const [burst] = useState(
    () =>
      new ScanBurst((text) => {
        if (inputRef.current) inputRef.current.value = '';
        onCodeRef.current(text);
      }),
  );
  useEffect(() => () => burst.reset(), [burst]);
  useEffect(() => {
    if (autoFocus) inputRef.current?.focus();
  }, [autoFocus, inputRef]);

  function take(): string {
    const input = inputRef.current;
    const text = input?.value ?? '';
    if (input) input.value = '';
    burst.reset();
    return text;
  }

  function press(key: (typeof PAD)[number] | 'enter') {
    const input = inputRef.current;
    if (!input || disabled) return;
    if (key === 'enter') onCodeRef.current(take());
    else if (key === 'clear') take();
    else if (key === 'back') input.value = input.value.slice(0, -1);
    else if (input.value.length < 8) input.value += key;
    input.focus();
  }

  return (
    <div className="code-field">
      <input
        ref={inputRef}
        type="password"
        className="input code-field__input"
        inputMode="numeric"
        autoComplete="off"
        autoCorrect="off"
        autoCapitalize="off"
        spellCheck={false}
        maxLength={4000}
        aria-label={t('code.label')}
        placeholder={t('code.label')}
        disabled={disabled}
        data-autofocus
        data-testid={`${testId}-code`}
        onInput={(e) => {
          const ne = e.nativeEvent as InputEvent;
          burst.change(e.currentTarget.value, e.timeStamp, changeKindOf(ne.inputType, ne.isComposing));
        }}
        onKeyDown={(e) => {
          if (e.nativeEvent.isComposing) return;
          if (e.key === 'Enter') {
            e.preventDefault();
            e.stopPropagation();
            onCodeRef.current(take());
          } else if (e.key === 'Escape' && e.currentTarget.value) {
            e.preventDefault();
            e.stopPropagation();
            take();
          }
        }}
      />
      <div className="code-field__pad" role="group" aria-label={t('code.label')}>
        {PAD.map((key) => (
          <button
            key={key}
            type="button"
            tabIndex={-1}
            className="button code-field__key"
            disabled={disabled}
            aria-label={key === 'back' ? t('code.backspace') : key === 'clear' ? t('code.clear') : key}
            data-testid={`${testId}-key-${key}`}
            onMouseDown={(e) => e.preventDefault()}
            onClick={() => press(key)}
          >
            {key === 'back' ? '⌫' : key === 'clear' ? t('code.clear') : key}
          </button>
        ))}
        <button
          type="button"
          tabIndex={-1}
          className="button button--primary code-field__enter"
          disabled={disabled}
          data-testid={`${testId}-key-enter`}
          onMouseDown={(e) => e.preventDefault()}
          onClick={() => press('enter')}
        >
          {t('code.enter')}
        </button>
      </div>
    </div>
  );
}
