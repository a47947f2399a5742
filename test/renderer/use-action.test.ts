import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { perform, useAction, type Action } from '../../renderer/src/components/useAction';
import { errorText, i18n, i18nOptions } from '../../renderer/src/i18n';

/** Records what the action reports, in order. */
function recorder() {
  const steps: string[] = [];
  const report = { busy: (on: boolean) => steps.push(`busy ${on}`), error: (text: string | null) => steps.push(`error ${text}`) };
  return { steps, report };
}
const describeError = (e: unknown) => `failed: ${(e as Error).message}`;

describe('an action', () => {
  it('clears the last error, is busy while the call runs, and resolves to its result', async () => {
    const { steps, report } = recorder();
    const result = await perform(async () => {
      steps.push('work');
      return 42;
    }, report, describeError);
    expect(result).toBe(42);
    expect(steps).toEqual(['error null', 'busy true', 'work', 'busy false']);
  });

  it('shows a failure in words and stops being busy, without rejecting', async () => {
    const { steps, report } = recorder();
    const result = await perform(() => Promise.reject(new Error('boom')), report, describeError);
    expect(result).toBeUndefined();
    expect(steps).toEqual(['error null', 'busy true', 'error failed: boom', 'busy false']);
  });

  it('hands the failure to onError instead, when given', async () => {
    const { steps, report } = recorder();
    const seen: unknown[] = [];
    const err = new Error('other');
    await perform(() => Promise.reject(err), report, describeError, (text, e) => seen.push(text, e));
    expect(seen).toEqual(['failed: other', err]);
    expect(steps).toEqual(['error null', 'busy true', 'busy false']);
  });

  it('is not busy, with no error, before its first run; its errors are in the cashier’s language', async () => {
    await i18n.init(i18nOptions('zh-CN'));
    let action: Action | undefined;
    function Probe() {
      action = useAction();
      return createElement('span', null, `${action.busy} ${action.error}`);
    }
    expect(renderToStaticMarkup(createElement(Probe))).toBe('<span>false null</span>');
    expect(typeof action?.run).toBe('function');
    // The hook describes errors with errorText in the current language.
    const { steps, report } = recorder();
    const t = i18n.getFixedT('zh-CN', 'errors');
    await perform(() => Promise.reject({ code: 'keystore.locked', message: '' }), report, (e) => errorText(t, e));
    expect(steps[2]).toBe(`error ${i18n.getResource('zh-CN', 'errors', 'keystore.locked') as string}`);
  });
});
