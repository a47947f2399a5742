/** Where a catalog row came from, in the shop's words: entered here, or the file it was imported from. */
import type { useTranslation } from 'react-i18next';

export function sourceText(source: string, t: ReturnType<typeof useTranslation>['t']): string {
  if (source === 'admin') return t('sourceAdmin');
  if (source.startsWith('file:')) return t('sourceFile', { file: source.slice(5) });
  return source;
}
