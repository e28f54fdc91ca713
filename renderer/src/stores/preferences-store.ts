// The user's display preferences (light/dark, language), kept in the browser's local storage so
// that they survive a restart; they belong to the workstation, not to the account.
import { create } from 'zustand';
import { persist } from 'zustand/middleware';

export type ThemeMode = 'light' | 'dark';
export type Language = 'en' | 'zh-CN';

interface PreferencesState {
  themeMode: ThemeMode;
  language: Language;
  /** play a sound for new CRITICAL and FATAL alerts */
  alertSound: boolean;
  setThemeMode(mode: ThemeMode): void;
  setLanguage(language: Language): void;
  setAlertSound(on: boolean): void;
}

function initialLanguage(): Language {
  return navigator.language.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
}

function initialTheme(): ThemeMode {
  return window.matchMedia?.('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

export const usePreferences = create<PreferencesState>()(
  persist(
    (set) => ({
      themeMode: initialTheme(),
      language: initialLanguage(),
      alertSound: false,
      setThemeMode: (themeMode) => set({ themeMode }),
      setLanguage: (language) => set({ language }),
      setAlertSound: (alertSound) => set({ alertSound }),
    }),
    { name: 'gateway.preferences' },
  ),
);
