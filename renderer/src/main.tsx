import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app.tsx';
import { startI18n } from './i18n/i18n.ts';
import { usePreferences } from './stores/preferences-store.ts';

const container = document.getElementById('root');
if (!container) throw new Error('The page has no #root element');
startI18n(usePreferences.getState().language);
createRoot(container).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
