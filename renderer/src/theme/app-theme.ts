// Light and dark themes. System fonts only: the laptop is often offline and the page may load
// nothing from elsewhere (the Content-Security-Policy forbids it anyway).
import { createTheme, type Theme } from '@mui/material/styles';
import type { ThemeMode } from '../stores/preferences-store.ts';

export function appTheme(mode: ThemeMode, locale: object): Theme {
  return createTheme(
    {
      palette: {
        mode,
        primary: { main: mode === 'light' ? '#1565c0' : '#90caf9' },
        secondary: { main: mode === 'light' ? '#00796b' : '#80cbc4' },
      },
      typography: {
        fontFamily:
          'system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Noto Sans CJK SC", "Microsoft YaHei", sans-serif',
      },
      components: {
        MuiButton: { defaultProps: { disableElevation: true } },
        MuiTextField: { defaultProps: { size: 'small' } },
        MuiTableCell: { styleOverrides: { root: { paddingTop: 6, paddingBottom: 6 } } },
      },
    },
    locale,
  );
}
