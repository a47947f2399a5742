/** The language switch: automatic (the system's), English or Simplified Chinese. */
import { useTranslation } from 'react-i18next';
import type { Settings } from '../../../preload/contract';
import { useApp } from '../context';

export function LanguageSelect({ testId, className = 'input' }: { testId: string; className?: string }) {
  const { settings, setLocale } = useApp();
  const { t } = useTranslation('app');
  return (
    <select
      className={className}
      value={settings.locale}
      aria-label={t('header.language')}
      title={t('header.language')}
      data-testid={testId}
      onChange={(e) => setLocale(e.currentTarget.value as Settings['locale'])}
    >
      <option value="auto">{t('lang.auto')}</option>
      <option value="en" lang="en">
        {t('lang.en')}
      </option>
      <option value="zh-CN" lang="zh-CN">
        {t('lang.zhCN')}
      </option>
    </select>
  );
}
