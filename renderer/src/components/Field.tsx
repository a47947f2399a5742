/**
 * A labelled form control: the label, the control, and its hint or error below it.
 * The label is tied to the control (for/id and aria-labelledby), and the hint and the
 * error describe it (aria-describedby), so a screen reader reads them with it.
 */
import { Children, cloneElement, isValidElement, useId, type ReactElement, type ReactNode } from 'react';

export interface FieldProps {
  label: ReactNode;
  /** The control: an input, select or textarea (or a component that passes id and aria-* on). */
  children: ReactElement;
  hint?: ReactNode;
  /** Already translated. */
  error?: string | null;
  /** Extra classes beside `field`, e.g. `field--grow`. */
  className?: string;
}

interface ControlProps {
  id?: string;
  'aria-labelledby'?: string;
  'aria-describedby'?: string;
  'aria-invalid'?: boolean;
}

export function Field({ label, children, hint, error, className }: FieldProps) {
  const base = useId();
  const control = Children.only(children);
  if (!isValidElement<ControlProps>(control)) throw new Error('Field needs one control');
  const controlId = control.props.id ?? `${base}control`;
  const labelId = `${base}label`;
  const hintId = hint ? `${base}hint` : undefined;
  const errorId = error ? `${base}error` : undefined;
  const describedBy = [control.props['aria-describedby'], hintId, errorId].filter(Boolean).join(' ') || undefined;
  return (
    <label className={className ? `field ${className}` : 'field'} htmlFor={controlId}>
      <span className="field__label" id={labelId}>
        {label}
      </span>
      {cloneElement(control, {
        id: controlId,
        'aria-labelledby': labelId,
        ...(describedBy ? { 'aria-describedby': describedBy } : {}),
        ...(error ? { 'aria-invalid': true } : {}),
      })}
      {hint ? (
        <span className="field__hint" id={hintId}>
          {hint}
        </span>
      ) : null}
      {error ? (
        <span className="form-error" role="alert" id={errorId}>
          {error}
        </span>
      ) : null}
    </label>
  );
}
