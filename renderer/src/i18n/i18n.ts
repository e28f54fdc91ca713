// English and Simplified Chinese, switchable at run time; the page's lang attribute follows, so
// that the browser picks CJK fonts and screen readers the right voice.
import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import type { Language } from '../stores/preferences-store.ts';
import { en } from './en.ts';
import { zhCN } from './zh-cn.ts';

export function startI18n(language: Language): void {
  void i18n.use(initReactI18next).init({
    resources: { en: { translation: en }, 'zh-CN': { translation: zhCN } },
    lng: language,
    fallbackLng: 'en',
    interpolation: { escapeValue: false }, // React escapes
    initAsync: false,
  });
  document.documentElement.lang = language;
  i18n.on('languageChanged', (next) => (document.documentElement.lang = next));
}
