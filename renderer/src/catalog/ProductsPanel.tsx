/** Products: search the local catalog (SKU → name, price) and import it from a file. */
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ProductView } from '../../../preload/contract';
import { Field } from '../components/Field';
import { useApp } from '../context';
import { errorText } from '../i18n';
import { formatMoney } from '../money';
import { ImportPanel } from './ImportPanel';

const LIMIT = 200;

export function ProductsPanel() {
  const { api } = useApp();
  const { t, i18n } = useTranslation('catalog');
  const [query, setQuery] = useState('');
  const [list, setList] = useState<ProductView[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const latest = useRef(0);

  const load = useCallback(
    async (q: string) => {
      const n = ++latest.current;
      try {
        const rows = await api.call('products.list', { query: q.trim(), limit: LIMIT });
        if (n === latest.current) {
          setList(rows);
          setError(null);
        }
      } catch (e) {
        if (n === latest.current) setError(errorText(t, e));
      }
    },
    [api, t],
  );

  // Search as the admin types, after a short pause.
  useEffect(() => {
    const timer = setTimeout(() => void load(query), query ? 150 : 0);
    return () => clearTimeout(timer);
  }, [load, query]);

  return (
    <>
      <section className="panel" aria-labelledby="products-title">
        <h2 id="products-title" className="panel__title">
          {t('products.title')}
        </h2>
        <p className="muted">{t('products.hint')}</p>
        <Field label={t('products.search')}>
          <input
            type="search"
            className="input"
            value={query}
            maxLength={100}
            autoComplete="off"
            placeholder={t('products.searchPlaceholder')}
            onChange={(e) => setQuery(e.currentTarget.value)}
            data-testid="products-search"
          />
        </Field>
        {error ? (
          <p className="form-error" role="alert">
            {error}
          </p>
        ) : null}
        {list && list.length === 0 ? (
          <p className="muted" data-testid="products-empty">
            {query.trim() ? t('products.noMatch', { query: query.trim() }) : t('products.empty')}
          </p>
        ) : null}
        {list && list.length > 0 ? (
          <div className="table-scroll">
            <table className="table" data-testid="products-table">
              <thead>
                <tr>
                  <th scope="col">{t('products.sku')}</th>
                  <th scope="col">{t('products.name')}</th>
                  <th scope="col" className="num">
                    {t('products.price')}
                  </th>
                </tr>
              </thead>
              <tbody>
                {list.map((p) => (
                  <tr key={p.sku} data-testid="product-row" data-sku={p.sku}>
                    <td className="mono">{p.sku}</td>
                    <td>{p.name}</td>
                    <td className="num nowrap">{p.price != null ? formatMoney(p.price, p.cur, i18n.language) : '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            {list.length >= LIMIT ? <p className="muted small">{t('products.more', { count: LIMIT })}</p> : null}
          </div>
        ) : null}
      </section>
      <ImportPanel what="products" onImported={() => void load(query)} />
    </>
  );
}
