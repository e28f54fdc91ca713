// User accounts (ADMIN): list, create, change role, lock and unlock, reset the password (a
// temporary one the user must change), end all sessions, delete.
import AddIcon from '@mui/icons-material/Add';
import MoreVertIcon from '@mui/icons-material/MoreVert';
import {
  Alert,
  Box,
  Button,
  Dialog,
  DialogContent,
  DialogTitle,
  IconButton,
  Menu,
  MenuItem,
  Stack,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  TextField,
} from '@mui/material';
import { useState } from 'react';
import { Controller, useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { USER_ROLES, type UserRole } from '../../../common/enums.ts';
import type { ApiOutputs } from '../api/api-client.ts';
import { apiFailure } from '../api/api-error-text.ts';
import { ConfirmDialog } from '../components/confirm-dialog.tsx';
import { PageHeader } from '../components/page-header.tsx';
import { NewPasswordFields } from '../components/new-password-fields.tsx';
import { FailureState, LoadingState } from '../components/page-states.tsx';
import { showServerFieldErrors } from '../components/server-field-errors.ts';
import { useApiQuery } from '../components/use-api-query.ts';
import { formatDateTime } from '../i18n/formatters.ts';
import { api, useSignedInUser } from '../stores/session-store.ts';
import { FormDialogActions } from '../components/form-dialog-actions.tsx';

type User = ApiOutputs['users']['list'][number];
type Confirmation = { kind: 'lock' | 'unlock' | 'revoke' | 'delete'; user: User };

export default function UsersPage() {
  const { t } = useTranslation();
  const me = useSignedInUser();
  const users = useApiQuery(() => api.users.list.query(), []);
  const [creating, setCreating] = useState(false);
  const [menu, setMenu] = useState<{ anchor: HTMLElement; user: User } | null>(null);
  const [confirming, setConfirming] = useState<Confirmation | null>(null);
  const [resetting, setResetting] = useState<User | null>(null);
  const [notice, setNotice] = useState<{ severity: 'success' | 'error'; text: string } | null>(null);

  async function changeRole(user: User, role: UserRole) {
    try {
      await api.users.update.mutate({ id: user.id, role });
      setNotice({
        severity: 'success',
        text: t('users.roleChanged', { name: user.username, role: t(`roles.${role}`) }),
      });
      users.reload();
    } catch (error) {
      setNotice({ severity: 'error', text: apiFailure(error).message });
    }
  }

  const CONFIRM_CALLS = {
    lock: (user: User) => api.users.lock.mutate({ id: user.id }),
    unlock: (user: User) => api.users.unlock.mutate({ id: user.id }),
    revoke: (user: User) => api.users.revokeSessions.mutate({ id: user.id }),
    delete: (user: User) => api.users.delete.mutate({ id: user.id }),
  } as const;

  return (
    <Box sx={{ pb: 3 }}>
      <PageHeader title={t('nav.users')}>
        <Button variant="contained" startIcon={<AddIcon />} onClick={() => setCreating(true)}>
          {t('users.add')}
        </Button>
      </PageHeader>
      {notice && (
        <Alert severity={notice.severity} onClose={() => setNotice(null)} sx={{ mx: 3, mb: 1 }} role="status">
          {notice.text}
        </Alert>
      )}
      {users.failure && <FailureState failure={users.failure} onRetry={users.reload} />}
      {users.loading && !users.data && <LoadingState />}
      {users.data && (
        <Table size="small" aria-label={t('nav.users')}>
          <TableHead>
            <TableRow>
              <TableCell>{t('auth.username')}</TableCell>
              <TableCell>{t('users.fullName')}</TableCell>
              <TableCell>{t('users.role')}</TableCell>
              <TableCell>{t('users.status')}</TableCell>
              <TableCell>{t('users.lastLogin')}</TableCell>
              <TableCell align="right">{t('common.actions')}</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {users.data.map((user) => (
              <TableRow key={user.id} hover data-testid={`user-${user.username}`}>
                <TableCell>{user.username}</TableCell>
                <TableCell>{user.fullName ?? '—'}</TableCell>
                <TableCell>
                  <TextField
                    select
                    value={user.role}
                    variant="standard"
                    aria-label={t('users.roleOf', { name: user.username })}
                    slotProps={{ select: { inputProps: { 'aria-label': t('users.roleOf', { name: user.username }) } } }}
                    onChange={(event) => void changeRole(user, event.target.value as UserRole)}
                  >
                    {USER_ROLES.map((role) => (
                      <MenuItem key={role} value={role}>
                        {t(`roles.${role}`)}
                      </MenuItem>
                    ))}
                  </TextField>
                </TableCell>
                <TableCell>{t(`userStatus.${user.status}`)}</TableCell>
                <TableCell>{formatDateTime(user.lastLogin)}</TableCell>
                <TableCell align="right">
                  <IconButton
                    aria-label={t('users.actionsFor', { name: user.username })}
                    onClick={(event) => setMenu({ anchor: event.currentTarget, user })}
                  >
                    <MoreVertIcon fontSize="small" />
                  </IconButton>
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
      <Menu anchorEl={menu?.anchor} open={menu !== null} onClose={() => setMenu(null)}>
        {menu && menu.user.status === 'LOCKED' && (
          <MenuItem onClick={() => (setConfirming({ kind: 'unlock', user: menu.user }), setMenu(null))}>
            {t('users.unlock')}
          </MenuItem>
        )}
        {menu && menu.user.status !== 'LOCKED' && menu.user.id !== me.id && (
          <MenuItem onClick={() => (setConfirming({ kind: 'lock', user: menu.user }), setMenu(null))}>
            {t('users.lock')}
          </MenuItem>
        )}
        {menu && (
          <MenuItem onClick={() => (setResetting(menu.user), setMenu(null))}>{t('users.resetPassword')}</MenuItem>
        )}
        {menu && (
          <MenuItem onClick={() => (setConfirming({ kind: 'revoke', user: menu.user }), setMenu(null))}>
            {t('users.revokeSessions')}
          </MenuItem>
        )}
        {menu && menu.user.id !== me.id && (
          <MenuItem
            sx={{ color: 'error.main' }}
            onClick={() => (setConfirming({ kind: 'delete', user: menu.user }), setMenu(null))}
          >
            {t('common.delete')}
          </MenuItem>
        )}
      </Menu>
      {confirming && (
        <ConfirmDialog
          title={t(`users.confirm.${confirming.kind}.title`, { name: confirming.user.username })}
          text={t(`users.confirm.${confirming.kind}.text`, { name: confirming.user.username })}
          confirmLabel={t(`users.confirm.${confirming.kind}.action`)}
          danger={confirming.kind !== 'unlock'}
          onConfirm={() => CONFIRM_CALLS[confirming.kind](confirming.user)}
          onClose={(done) => {
            setConfirming(null);
            if (done) users.reload();
          }}
        />
      )}
      {creating && (
        <CreateUserDialog
          onClose={(created) => {
            setCreating(false);
            if (created) users.reload();
          }}
        />
      )}
      {resetting && (
        <ResetPasswordDialog
          user={resetting}
          onClose={(done) => {
            setResetting(null);
            if (done) setNotice({ severity: 'success', text: t('users.passwordReset', { name: resetting.username }) });
          }}
        />
      )}
    </Box>
  );
}

interface CreateUserValues {
  username: string;
  fullName: string;
  email: string;
  role: UserRole;
  password: string;
}

function CreateUserDialog({ onClose }: { onClose(created: boolean): void }) {
  const { t } = useTranslation();
  const [failure, setFailure] = useState<string | null>(null);
  const form = useForm<CreateUserValues>({
    mode: 'onTouched',
    defaultValues: { username: '', fullName: '', email: '', role: 'OPERATOR', password: '' },
  });
  const { register, control, handleSubmit, formState, getValues, setError } = form;
  const { errors } = formState;
  const submit = handleSubmit(async (values) => {
    setFailure(null);
    try {
      await api.users.create.mutate({ ...values, mustChangePassword: true });
      onClose(true);
    } catch (error) {
      setFailure(
        showServerFieldErrors(apiFailure(error), ['username', 'fullName', 'email', 'role', 'password'], setError),
      );
    }
  });
  return (
    <Dialog open onClose={() => onClose(false)} maxWidth="xs" fullWidth aria-labelledby="create-user-title">
      <form onSubmit={(event) => void submit(event)} noValidate>
        <DialogTitle id="create-user-title">{t('users.add')}</DialogTitle>
        <DialogContent>
          <Stack spacing={2} sx={{ pt: 1 }}>
            {failure && <Alert severity="error">{failure}</Alert>}
            <TextField
              label={t('auth.username')}
              required
              autoFocus
              error={!!errors.username}
              helperText={errors.username?.message}
              {...register('username', { required: t('common.required') })}
            />
            <TextField label={t('users.fullName')} {...register('fullName')} />
            <TextField
              label={t('users.email')}
              type="email"
              error={!!errors.email}
              helperText={errors.email?.message}
              {...register('email')}
            />
            <Controller
              name="role"
              control={control}
              render={({ field }) => (
                <TextField select label={t('users.role')} {...field}>
                  {USER_ROLES.map((role) => (
                    <MenuItem key={role} value={role}>
                      {t(`roles.${role}`)}
                    </MenuItem>
                  ))}
                </TextField>
              )}
            />
            <NewPasswordFields
              form={form}
              name="password"
              username={() => getValues('username')}
              label={t('users.temporaryPassword')}
              hint={t('users.temporaryPasswordHint')}
            />
          </Stack>
        </DialogContent>
        <FormDialogActions
          onCancel={() => onClose(false)}
          submitting={formState.isSubmitting}
          label={t('users.create')}
        />
      </form>
    </Dialog>
  );
}

function ResetPasswordDialog({ user, onClose }: { user: User; onClose(done: boolean): void }) {
  const { t } = useTranslation();
  const [failure, setFailure] = useState<string | null>(null);
  const form = useForm<{ newPassword: string }>({
    mode: 'onTouched',
    defaultValues: { newPassword: '' },
  });
  const { handleSubmit, formState } = form;
  const submit = handleSubmit(async ({ newPassword }) => {
    try {
      await api.users.resetPassword.mutate({ id: user.id, newPassword });
      onClose(true);
    } catch (error) {
      setFailure(apiFailure(error).message);
    }
  });
  return (
    <Dialog open onClose={() => onClose(false)} maxWidth="xs" fullWidth aria-labelledby="reset-title">
      <form onSubmit={(event) => void submit(event)} noValidate>
        <DialogTitle id="reset-title">{t('users.resetPasswordFor', { name: user.username })}</DialogTitle>
        <DialogContent>
          <Stack spacing={2} sx={{ pt: 1 }}>
            {failure && <Alert severity="error">{failure}</Alert>}
            <NewPasswordFields
              form={form}
              name="newPassword"
              username={() => user.username}
              label={t('users.temporaryPassword')}
              hint={t('users.temporaryPasswordHint')}
              required={false}
              autoFocus
            />
          </Stack>
        </DialogContent>
        <FormDialogActions
          onCancel={() => onClose(false)}
          submitting={formState.isSubmitting}
          label={t('users.resetPassword')}
          color="warning"
        />
      </form>
    </Dialog>
  );
}
