/**
 * Picks a product of the local catalog by its name (the SKU beside it), for
 * the owner's forms that name one (referral vouchers). A SKU set before that
 * is not in the catalog stays choosable; with an empty catalog the SKU is typed.
 * Inside a Field it takes the Field's id and aria attributes.
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ProductView } from '../../../preload/contract';
import { useApp } from '../context';

export interface ProductPickerProps {
  value: string | undefined;
  onChange(sku: string | undefined): void;
  testId?: string;
  id?: string;
  'aria-labelledby'?: string;
  'aria-describedby'?: string;
}

export function ProductPicker({ value, onChange, testId, ...aria }: ProductPickerProps) {
  const { api } = useApp();
  const { t } = useTranslation('app');
  const [products, setProducts] = useState<ProductView[] | null>(null);
  useEffect(() => {
    let live = true;
    api.call('products.list', { limit: 1000 }).then(
      (list) => live && setProducts(list),
      () => live && setProducts([]),
    );
    return () => {
      live = false;
    };
  }, [api]);

  if (products !== null && products.length === 0) {
    return <input {...aria} className="input" value={value ?? ''} onChange={(e) => onChange(e.target.value.trim() || undefined)} data-testid={testId} />;
  }
  const known = products?.some((p) => p.sku === value) ?? false;
  return (
    <select {...aria} className="input" value={value ?? ''} onChange={(e) => onChange(e.target.value || undefined)} data-testid={testId}>
      <option value="">{t('productPicker.none')}</option>
      {value && !known ? <option value={value}>{value}</option> : null}
      {(products ?? []).map((p) => (
        <option key={p.sku} value={p.sku}>
          {t('productPicker.option', { name: p.name, sku: p.sku })}
        </option>
      ))}
    </select>
  );
}
