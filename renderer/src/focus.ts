/** Focus rules shared by the scan input and the dialogs. */

/** Fired when a dialog closes, so the scan input can take the focus back. */
export const DIALOG_CLOSED_EVENT = 'voucherdesk:dialog-closed';

export function isDialogOpen(): boolean {
  return document.querySelector('dialog[open]') !== null;
}

/** Elements where typed characters belong (never steal focus from them). */
export function isTextField(el: Element | null): boolean {
  if (!el) return false;
  if (el instanceof HTMLTextAreaElement) return true;
  if (el instanceof HTMLInputElement) {
    return !['button', 'submit', 'reset', 'checkbox', 'radio', 'file', 'range', 'color', 'image'].includes(el.type);
  }
  return el instanceof HTMLElement && el.isContentEditable;
}
