// The signed-in workstation: the navigation (only the screens the role may use), the top bar
// (connection state, language, light/dark, account) and the open screen.
import DarkModeIcon from '@mui/icons-material/DarkMode';
import LightModeIcon from '@mui/icons-material/LightMode';
import LogoutIcon from '@mui/icons-material/Logout';
import TranslateIcon from '@mui/icons-material/Translate';
import {
  Alert,
  AppBar,
  Box,
  Chip,
  Dialog,
  DialogContent,
  DialogTitle,
  Drawer,
  IconButton,
  List,
  ListItemButton,
  ListItemIcon,
  ListItemText,
  Toolbar,
  Tooltip,
  Typography,
} from '@mui/material';
import { lazy, Suspense, type ComponentType } from 'react';
import { useTranslation } from 'react-i18next';
import { roleMay } from '../auth/role-access.ts';
import { LoadingState } from '../components/page-states.tsx';
import { useNavigation, type Page } from '../stores/navigation-store.ts';
import { usePreferences } from '../stores/preferences-store.ts';
import { useSession, useSignedInUser } from '../stores/session-store.ts';
import { AlertNotifier } from './alert-notifier.tsx';
import { NAVIGATION } from './navigation-items.tsx';
import { SignInForm } from './sign-in-form.tsx';

const DRAWER_WIDTH = 220;

// Each screen is its own chunk: the sign-in page loads only what it needs.
const SCREENS: Record<Page, ComponentType> = {
  overview: lazy(() => import('../pages/overview-page.tsx')),
  devices: lazy(() => import('../pages/devices-page.tsx')),
  drivers: lazy(() => import('../pages/drivers-page.tsx')),
  tags: lazy(() => import('../pages/tags-page.tsx')),
  trends: lazy(() => import('../pages/trends-page.tsx')),
  alerts: lazy(() => import('../pages/alerts-page.tsx')),
  commissioning: lazy(() => import('../pages/commissioning-page.tsx')),
  users: lazy(() => import('../pages/users-page.tsx')),
  audit: lazy(() => import('../pages/audit-page.tsx')),
  account: lazy(() => import('../pages/account-page.tsx')),
};

export function AppShell() {
  const { t, i18n } = useTranslation();
  const user = useSignedInUser();
  const { page, go } = useNavigation();
  const expired = useSession((state) => state.expired);
  const offline = useSession((state) => state.offline);
  const signOut = useSession((state) => state.signOut);
  const { themeMode, setThemeMode, language, setLanguage } = usePreferences();
  const items = NAVIGATION.filter((item) => roleMay(user.role, item.access));
  const allowed = items.some((item) => item.page === page) || page === 'account';
  const Screen = SCREENS[allowed ? page : 'overview'];

  return (
    <Box sx={{ display: 'flex', height: '100vh' }}>
      <AppBar position="fixed" sx={{ zIndex: (theme) => theme.zIndex.drawer + 1 }}>
        <Toolbar variant="dense">
          <Typography variant="h6" component="h1" sx={{ flexGrow: 1 }}>
            {t('app.title')}
          </Typography>
          {offline && <Chip color="warning" label={t('app.offline')} sx={{ mr: 1 }} role="status" />}
          <AlertNotifier />
          <Tooltip title={t('app.language')}>
            <IconButton
              color="inherit"
              aria-label={t('app.language')}
              onClick={() => {
                const next = language === 'en' ? 'zh-CN' : 'en';
                setLanguage(next);
                void i18n.changeLanguage(next);
              }}
            >
              <TranslateIcon />
            </IconButton>
          </Tooltip>
          <Tooltip title={t('app.toggleTheme')}>
            <IconButton
              color="inherit"
              aria-label={t('app.toggleTheme')}
              onClick={() => setThemeMode(themeMode === 'light' ? 'dark' : 'light')}
            >
              {themeMode === 'light' ? <DarkModeIcon /> : <LightModeIcon />}
            </IconButton>
          </Tooltip>
          <Chip
            label={`${user.username} · ${t(`roles.${user.role}`)}`}
            onClick={() => go('account')}
            sx={{ color: 'inherit', borderColor: 'currentcolor', mx: 1 }}
            variant="outlined"
            data-testid="current-user"
          />
          <Tooltip title={t('auth.signOut')}>
            <IconButton color="inherit" aria-label={t('auth.signOut')} onClick={() => void signOut()}>
              <LogoutIcon />
            </IconButton>
          </Tooltip>
        </Toolbar>
      </AppBar>
      <Drawer
        variant="permanent"
        sx={{ width: DRAWER_WIDTH, flexShrink: 0, '& .MuiDrawer-paper': { width: DRAWER_WIDTH } }}
      >
        <Toolbar variant="dense" />
        <List component="nav" aria-label={t('app.navigation')}>
          {items.map((item) => (
            <ListItemButton
              key={item.page}
              selected={item.page === page}
              onClick={() => go(item.page)}
              aria-current={item.page === page ? 'page' : undefined}
            >
              <ListItemIcon sx={{ minWidth: 36 }}>{item.icon}</ListItemIcon>
              <ListItemText primary={t(`nav.${item.page}`)} />
            </ListItemButton>
          ))}
        </List>
      </Drawer>
      <Box component="main" sx={{ flexGrow: 1, minWidth: 0, display: 'flex', flexDirection: 'column' }}>
        <Toolbar variant="dense" />
        {offline && (
          <Alert severity="warning" square>
            {t('app.offlineDetail')}
          </Alert>
        )}
        <Box sx={{ flexGrow: 1, minHeight: 0, overflow: 'auto' }}>
          <Suspense fallback={<LoadingState />}>
            <Screen />
          </Suspense>
        </Box>
      </Box>
      {/* The open screen stays mounted underneath, with whatever was typed into it. */}
      <Dialog open={expired} aria-labelledby="expired-title" maxWidth="xs" fullWidth>
        <DialogTitle id="expired-title">{t('auth.sessionEnded')}</DialogTitle>
        <DialogContent>
          <Typography color="text.secondary" sx={{ mb: 2 }}>
            {t('auth.sessionEndedDetail')}
          </Typography>
          <SignInForm username={user.username} />
        </DialogContent>
      </Dialog>
    </Box>
  );
}
