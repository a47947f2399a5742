import { createElement, type ReactElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { Field, type FieldProps } from '../../renderer/src/components/Field';

function render(props: Omit<FieldProps, 'children'>, control: ReactElement = createElement('input', { className: 'input', 'data-testid': 'x' })): string {
  return renderToStaticMarkup(createElement(Field, { ...props, children: control }));
}
const attr = (html: string, re: RegExp) => html.match(re)?.[1];

describe('Field', () => {
  it('shows the label above the control, in the same markup as before', () => {
    const html = render({ label: 'Cashier name' });
    expect(html).toMatch(/^<label class="field" for="[^"]+"><span class="field__label" id="[^"]+">Cashier name<\/span><input class="input" data-testid="x" id="[^"]+" aria-labelledby="[^"]+"\/><\/label>$/);
  });

  it('ties the label to the control: for = id, and the control is labelled by the label', () => {
    const html = render({ label: 'Port' });
    const controlId = attr(html, /<input[^>]* id="([^"]+)"/);
    expect(controlId).toBeTruthy();
    expect(attr(html, /<label[^>]* for="([^"]+)"/)).toBe(controlId);
    const labelId = attr(html, /<span class="field__label" id="([^"]+)"/);
    expect(attr(html, /aria-labelledby="([^"]+)"/)).toBe(labelId);
  });

  it('keeps an id the control already has', () => {
    const html = render({ label: 'Amount' }, createElement('input', { id: 'amount' }));
    expect(html).toContain('for="amount"');
    expect(html).toContain('id="amount"');
  });

  it('the hint describes the control', () => {
    const html = render({ label: 'Prefix', hint: 'Removed from every code.' });
    const hintId = attr(html, /<span class="field__hint" id="([^"]+)">Removed from every code.<\/span>/);
    expect(hintId).toBeTruthy();
    expect(attr(html, /aria-describedby="([^"]+)"/)).toBe(hintId);
    expect(html).not.toContain('aria-invalid');
  });

  it('an error is announced, marks the control invalid and describes it beside the hint', () => {
    const html = render({ label: 'Kid', hint: 'From the platform.', error: 'Wrong.' });
    const hintId = attr(html, /<span class="field__hint" id="([^"]+)"/);
    const errorId = attr(html, /<span class="form-error" role="alert" id="([^"]+)">Wrong.<\/span>/);
    expect(errorId).toBeTruthy();
    expect(attr(html, /aria-describedby="([^"]+)"/)).toBe(`${hintId} ${errorId}`);
    expect(html).toContain('aria-invalid="true"');
  });

  it('adds extra classes beside field', () => {
    expect(render({ label: 'Search', className: 'field--grow' })).toMatch(/^<label class="field field--grow"/);
  });

  it('two fields get different ids', () => {
    const html = renderToStaticMarkup(
      createElement('div', null, createElement(Field, { label: 'A', children: createElement('input') }), createElement(Field, { label: 'B', children: createElement('input') })),
    );
    const ids = [...html.matchAll(/<input id="([^"]+)"/g)].map((m) => m[1]);
    expect(ids).toHaveLength(2);
    expect(ids[0]).not.toBe(ids[1]);
  });
});
