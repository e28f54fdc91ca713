// The screens in the navigation, each with the access level it needs to be shown.
import AccountTreeIcon from '@mui/icons-material/AccountTree';
import BuildIcon from '@mui/icons-material/Build';
import DashboardIcon from '@mui/icons-material/Dashboard';
import DevicesOtherIcon from '@mui/icons-material/DevicesOther';
import GroupIcon from '@mui/icons-material/Group';
import HistoryEduIcon from '@mui/icons-material/HistoryEdu';
import MemoryIcon from '@mui/icons-material/Memory';
import NotificationsIcon from '@mui/icons-material/Notifications';
import ShowChartIcon from '@mui/icons-material/ShowChart';
import type { ReactNode } from 'react';
import type { Access } from '../auth/role-access.ts';
import type { Page } from '../stores/navigation-store.ts';

export const NAVIGATION: ReadonlyArray<{ page: Page; access: Access; icon: ReactNode }> = [
  { page: 'overview', access: 'read', icon: <DashboardIcon /> },
  { page: 'tags', access: 'read', icon: <AccountTreeIcon /> },
  { page: 'trends', access: 'read', icon: <ShowChartIcon /> },
  { page: 'alerts', access: 'read', icon: <NotificationsIcon /> },
  { page: 'devices', access: 'read', icon: <DevicesOtherIcon /> },
  { page: 'drivers', access: 'read', icon: <MemoryIcon /> },
  { page: 'commissioning', access: 'commission', icon: <BuildIcon /> },
  { page: 'users', access: 'manage-users', icon: <GroupIcon /> },
  { page: 'audit', access: 'read-audit', icon: <HistoryEduIcon /> },
];
