import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { I18nextProvider } from 'react-i18next';
import { createApi } from './api';
import { App } from './App';
import { i18n, initI18n } from './i18n';
import { resolveLanguage } from './i18n/locale';
import { preloadSounds } from './sound';
import './styles.css';

const api = createApi();
initI18n(resolveLanguage('auto', navigator.language));
preloadSounds();

const root = document.getElementById('root');
if (!root) throw new Error('#root is missing from index.html');
createRoot(root).render(
  <StrictMode>
    <I18nextProvider i18n={i18n}>
      <App api={api} />
    </I18nextProvider>
  </StrictMode>,
);
