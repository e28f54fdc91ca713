// The OPC UA browser, like UaExpert's first minutes: an endpoint URL, the endpoints the server
// offers (security modes and policies), connect with the chosen security and user; the address
// space as a lazily loaded tree; the selected node's attributes; "create tag" from a variable by
// a button or by dragging it onto a device's tag list; and the certificates the gateway trusts
// or has rejected, to trust or remove (for the roles that may configure drivers).
import AddIcon from '@mui/icons-material/Add';
import CableIcon from '@mui/icons-material/Cable';
import RefreshIcon from '@mui/icons-material/Refresh';
import TravelExploreIcon from '@mui/icons-material/TravelExplore';
import {
  Alert,
  Box,
  Button,
  Chip,
  MenuItem,
  Paper,
  Stack,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  TextField,
  Typography,
} from '@mui/material';
import { useCallback, useState, type DragEvent, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiOutputs } from '../../api/api-client.ts';
import { apiFailure } from '../../api/api-error-text.ts';
import { roleMay } from '../../auth/role-access.ts';
import { ConfirmDialog } from '../../components/confirm-dialog.tsx';
import { FailureState, LoadingState } from '../../components/page-states.tsx';
import { useApiQuery } from '../../components/use-api-query.ts';
import { formatDateTime } from '../../i18n/formatters.ts';
import { api, useSignedInUser } from '../../stores/session-store.ts';
import { CreateTagDialog, tagNameOf, type TagDraft } from './create-tag-dialog.tsx';
import { NODE_DRAG_TYPE, OpcUaTree, type BrowseEntry } from './opcua-tree.tsx';
import { ToolOutcome } from './tool-outcome.tsx';

type Endpoint = ApiOutputs['opcua']['endpoints'][number];
type Attributes = ApiOutputs['opcua']['attributes'];
type Certificate = ApiOutputs['opcua']['certificates']['list'][number];

const SECURITY_MODES = ['None', 'Sign', 'SignAndEncrypt'] as const;
const SECURITY_POLICIES = ['None', 'Basic256Sha256', 'Aes128_Sha256_RsaOaep', 'Aes256_Sha256_RsaPss'] as const;

interface Target {
  endpoint: string;
  opcua: Record<string, string>;
}

function showValue(value: unknown): string {
  if (value === null || value === undefined) return '—';
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object')
    return JSON.stringify(value, (_, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
  return String(value);
}

export function OpcUaBrowser() {
  const { t } = useTranslation();
  const user = useSignedInUser();
  const mayCreateTags = roleMay(user.role, 'configure-devices');
  const [url, setUrl] = useState('opc.tcp://127.0.0.1:4840');
  const [securityMode, setSecurityMode] = useState<(typeof SECURITY_MODES)[number]>('None');
  const [securityPolicy, setSecurityPolicy] = useState<(typeof SECURITY_POLICIES)[number]>('None');
  const [userName, setUserName] = useState('');
  const [password, setPassword] = useState('');
  const [endpoints, setEndpoints] = useState<Endpoint[] | null>(null);
  const [discovering, setDiscovering] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const [target, setTarget] = useState<Target | null>(null);
  const [selected, setSelected] = useState<BrowseEntry | null>(null);
  const [attributes, setAttributes] = useState<{ loading: boolean; data?: Attributes; error?: string } | null>(null);
  const [draft, setDraft] = useState<TagDraft | null>(null);
  const [created, setCreated] = useState<string | null>(null);
  const [tagDeviceId, setTagDeviceId] = useState('');
  const [dropActive, setDropActive] = useState(false);
  const certificates = useApiQuery(() => api.opcua.certificates.list.query(), []);
  const devices = useApiQuery(() => api.devices.list.query(), []);
  const opcuaDevices = (devices.data ?? []).filter((device) => device.protocol === 'OpcUa');
  const deviceTags = useApiQuery(
    () => (tagDeviceId ? api.tags.list.query({ deviceId: tagDeviceId, limit: 500 }) : Promise.resolve(null)),
    [tagDeviceId, created],
  );

  const settings = (): Record<string, string> => ({
    securityMode,
    ...(securityMode !== 'None' ? { securityPolicy } : {}),
    ...(userName.trim() ? { userName: userName.trim(), password } : {}),
  });

  async function discover() {
    setDiscovering(true);
    setFailure(null);
    try {
      setEndpoints(await api.opcua.endpoints.query({ endpoint: url.trim() }));
    } catch (error) {
      setFailure(apiFailure(error).message);
      setEndpoints(null);
    } finally {
      setDiscovering(false);
    }
  }

  function connect(event: FormEvent) {
    event.preventDefault();
    setFailure(null);
    setCreated(null);
    setSelected(null);
    setAttributes(null);
    setTarget({ endpoint: url.trim(), opcua: settings() });
    devices.reload();
  }

  const browse = useCallback(
    async (nodeId: string, continuationPoint?: string) => {
      if (!target) throw new Error('not connected');
      try {
        return await api.opcua.browse.query({
          ...target,
          nodeId,
          ...(continuationPoint ? { continuationPoint } : {}),
          maxReferences: 200,
        });
      } catch (error) {
        // An untrusted certificate lands in "rejected": show it at once, to trust it.
        certificates.reload();
        throw error;
      }
    },
    [target, certificates.reload],
  );

  async function select(entry: BrowseEntry) {
    setSelected(entry);
    if (!target) return;
    setAttributes({ loading: true });
    try {
      setAttributes({ loading: false, data: await api.opcua.attributes.query({ ...target, nodeId: entry.nodeId }) });
    } catch (error) {
      setAttributes({ loading: false, error: apiFailure(error).message });
    }
  }

  async function createFrom(entry: BrowseEntry) {
    if (!target) return;
    let suggested: Attributes['suggestedTag'] = null;
    try {
      suggested = (await api.opcua.attributes.query({ ...target, nodeId: entry.nodeId })).suggestedTag;
    } catch {
      // the dialog still opens; the engineer picks the type
    }
    setDraft({
      name: tagNameOf(entry.displayName || entry.browseName),
      address: entry.nodeId,
      dataType: suggested?.dataType ?? 'Double',
      accessType: suggested?.accessType ?? 'Read',
      ...(tagDeviceId ? { deviceId: tagDeviceId } : {}),
    });
  }

  function onDrop(event: DragEvent) {
    event.preventDefault();
    setDropActive(false);
    const data = event.dataTransfer.getData(NODE_DRAG_TYPE);
    if (!data) return;
    void createFrom(JSON.parse(data) as BrowseEntry);
  }

  const attributeRows: Array<[string, string]> = attributes?.data
    ? [
        [t('commissioning.opcua.nodeId'), attributes.data.nodeId],
        [t('commissioning.opcua.nodeClass'), attributes.data.nodeClass],
        [t('commissioning.opcua.browseName'), attributes.data.browseName],
        [t('commissioning.opcua.displayName'), attributes.data.displayName],
        [t('commissioning.opcua.description'), attributes.data.description ?? '—'],
        [t('commissioning.opcua.dataType'), attributes.data.dataType ?? '—'],
        [t('commissioning.opcua.value'), attributes.data.valueError ?? showValue(attributes.data.value)],
        [t('commissioning.opcua.status'), attributes.data.statusCode],
        [
          t('commissioning.opcua.sourceTimestamp'),
          attributes.data.sourceTimestamp ? formatDateTime(attributes.data.sourceTimestamp) : '—',
        ],
        [t('commissioning.opcua.accessLevel'), attributes.data.accessLevel.join(', ') || '—'],
      ]
    : [];

  return (
    <Stack spacing={2}>
      <Paper variant="outlined" sx={{ p: 2 }}>
        <Box component="form" onSubmit={connect} noValidate aria-label={t('commissioning.opcua.title')}>
          <Stack spacing={2}>
            <Stack direction="row" spacing={2} sx={{ flexWrap: 'wrap', rowGap: 2, alignItems: 'flex-start' }}>
              <TextField
                label={t('commissioning.opcua.endpointUrl')}
                value={url}
                onChange={(e) => setUrl(e.target.value)}
                sx={{ minWidth: 360, flexGrow: 1 }}
                required
                slotProps={{ htmlInput: { spellCheck: false } }}
              />
              <Button
                variant="outlined"
                startIcon={<TravelExploreIcon />}
                onClick={() => void discover()}
                disabled={!url.trim() || discovering}
                sx={{ mt: 1 }}
              >
                {t('commissioning.opcua.discover')}
              </Button>
            </Stack>
            <Stack direction="row" spacing={2} sx={{ flexWrap: 'wrap', rowGap: 2 }}>
              <TextField
                select
                label={t('commissioning.opcua.securityMode')}
                value={securityMode}
                onChange={(e) => setSecurityMode(e.target.value as (typeof SECURITY_MODES)[number])}
                sx={{ width: 190 }}
              >
                {SECURITY_MODES.map((mode) => (
                  <MenuItem key={mode} value={mode}>
                    {mode}
                  </MenuItem>
                ))}
              </TextField>
              <TextField
                select
                label={t('commissioning.opcua.securityPolicy')}
                value={securityMode === 'None' ? 'None' : securityPolicy}
                onChange={(e) => setSecurityPolicy(e.target.value as (typeof SECURITY_POLICIES)[number])}
                disabled={securityMode === 'None'}
                sx={{ width: 240 }}
              >
                {SECURITY_POLICIES.map((policy) => (
                  <MenuItem key={policy} value={policy}>
                    {policy}
                  </MenuItem>
                ))}
              </TextField>
              <TextField
                label={t('commissioning.opcua.userName')}
                value={userName}
                onChange={(e) => setUserName(e.target.value)}
                helperText={t('commissioning.opcua.anonymousHint')}
                autoComplete="off"
              />
              <TextField
                label={t('commissioning.opcua.password')}
                type="password"
                value={password}
                onChange={(e) => setPassword(e.target.value)}
                disabled={!userName.trim()}
                autoComplete="new-password"
              />
              <Button
                type="submit"
                variant="contained"
                startIcon={<CableIcon />}
                disabled={!url.trim()}
                sx={{ alignSelf: 'flex-start', mt: 1 }}
              >
                {t('commissioning.opcua.connect')}
              </Button>
            </Stack>
          </Stack>
        </Box>
        {endpoints && (
          <Table size="small" aria-label={t('commissioning.opcua.endpoints')} sx={{ mt: 2 }}>
            <TableHead>
              <TableRow>
                <TableCell>{t('commissioning.opcua.securityMode')}</TableCell>
                <TableCell>{t('commissioning.opcua.securityPolicy')}</TableCell>
                <TableCell>{t('commissioning.opcua.userTokens')}</TableCell>
                <TableCell align="right">{t('commissioning.opcua.securityLevel')}</TableCell>
                <TableCell />
              </TableRow>
            </TableHead>
            <TableBody>
              {endpoints.map((endpoint, i) => (
                <TableRow key={i} hover>
                  <TableCell>{endpoint.securityMode}</TableCell>
                  <TableCell>{endpoint.securityPolicy}</TableCell>
                  <TableCell>{endpoint.userTokens.join(', ')}</TableCell>
                  <TableCell align="right">{endpoint.securityLevel}</TableCell>
                  <TableCell>
                    <Button
                      size="small"
                      onClick={() => {
                        setSecurityMode(endpoint.securityMode as (typeof SECURITY_MODES)[number]);
                        if ((SECURITY_POLICIES as readonly string[]).includes(endpoint.securityPolicy)) {
                          setSecurityPolicy(endpoint.securityPolicy as (typeof SECURITY_POLICIES)[number]);
                        }
                      }}
                      aria-label={t('commissioning.opcua.useEndpoint', {
                        mode: endpoint.securityMode,
                        policy: endpoint.securityPolicy,
                      })}
                    >
                      {t('commissioning.opcua.use')}
                    </Button>
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
      </Paper>
      <ToolOutcome failure={failure} created={created} onDismissCreated={() => setCreated(null)} />
      {target && (
        <Box
          sx={{
            display: 'grid',
            gridTemplateColumns: { xs: '1fr', lg: 'minmax(280px, 1fr) minmax(320px, 1.2fr) minmax(260px, 1fr)' },
            gap: 2,
          }}
        >
          <Paper variant="outlined" sx={{ p: 1, overflow: 'auto', maxHeight: 520 }}>
            <OpcUaTree browse={browse} selected={selected?.nodeId ?? null} onSelect={(entry) => void select(entry)} />
          </Paper>
          <Paper variant="outlined" sx={{ p: 2 }} aria-label={t('commissioning.opcua.attributes')} component="section">
            <Box sx={{ display: 'flex', alignItems: 'center', mb: 1, gap: 1 }}>
              <Typography variant="subtitle1" component="h3" sx={{ flexGrow: 1 }}>
                {t('commissioning.opcua.attributes')}
              </Typography>
              {selected && (
                <Button size="small" startIcon={<RefreshIcon />} onClick={() => void select(selected)}>
                  {t('commissioning.opcua.refresh')}
                </Button>
              )}
              {selected?.isVariable && (
                <Button
                  size="small"
                  variant="contained"
                  startIcon={<AddIcon />}
                  disabled={!mayCreateTags}
                  onClick={() => void createFrom(selected)}
                >
                  {t('commissioning.createTag.button')}
                </Button>
              )}
            </Box>
            {!selected && <Typography color="text.secondary">{t('commissioning.opcua.pickNode')}</Typography>}
            {attributes?.loading && <LoadingState />}
            {attributes?.error && (
              <Alert severity="error" role="alert">
                {attributes.error}
              </Alert>
            )}
            {attributeRows.length > 0 && (
              <Table size="small" data-testid="opcua-attributes">
                <TableBody>
                  {attributeRows.map(([name, value]) => (
                    <TableRow key={name}>
                      <TableCell component="th" scope="row" sx={{ color: 'text.secondary', whiteSpace: 'nowrap' }}>
                        {name}
                      </TableCell>
                      <TableCell sx={{ fontFamily: 'monospace', wordBreak: 'break-all' }}>{value}</TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            )}
          </Paper>
          <Paper
            variant="outlined"
            component="section"
            aria-label={t('commissioning.opcua.tagList')}
            data-testid="opcua-tag-drop"
            onDragOver={(event) => {
              if (!mayCreateTags || !event.dataTransfer.types.includes(NODE_DRAG_TYPE)) return;
              event.preventDefault();
              event.dataTransfer.dropEffect = 'copy';
              setDropActive(true);
            }}
            onDragLeave={() => setDropActive(false)}
            onDrop={onDrop}
            sx={{
              p: 2,
              borderStyle: 'dashed',
              borderColor: dropActive ? 'primary.main' : undefined,
              bgcolor: dropActive ? 'action.hover' : undefined,
            }}
          >
            <Typography variant="subtitle1" component="h3">
              {t('commissioning.opcua.tagList')}
            </Typography>
            <TextField
              select
              size="small"
              fullWidth
              label={t('commissioning.createTag.device')}
              value={tagDeviceId}
              onChange={(e) => setTagDeviceId(e.target.value)}
              sx={{ my: 1 }}
            >
              {opcuaDevices.map((device) => (
                <MenuItem key={device.id} value={device.id}>
                  {device.name}
                </MenuItem>
              ))}
            </TextField>
            <Typography variant="body2" color="text.secondary">
              {opcuaDevices.length === 0 ? t('commissioning.opcua.noOpcUaDevice') : t('commissioning.opcua.dropHint')}
            </Typography>
            {deviceTags.data && (
              <Box component="ul" sx={{ pl: 2, mb: 0 }} aria-label={t('commissioning.opcua.deviceTags')}>
                {deviceTags.data.tags.map((tag) => (
                  <li key={tag.id}>
                    <Typography variant="body2">
                      {tag.name} <span style={{ fontFamily: 'monospace', opacity: 0.7 }}>{tag.address}</span>
                    </Typography>
                  </li>
                ))}
              </Box>
            )}
          </Paper>
        </Box>
      )}
      <CertificatePanel certificates={certificates} />
      {draft && (
        <CreateTagDialog
          draft={draft}
          protocols={['OpcUa']}
          onClose={(name) => {
            setDraft(null);
            if (name) setCreated(name);
          }}
        />
      )}
    </Stack>
  );
}

function CertificatePanel({ certificates }: { certificates: ReturnType<typeof useApiQuery<Certificate[]>> }) {
  const { t } = useTranslation();
  const user = useSignedInUser();
  const mayManage = roleMay(user.role, 'configure-drivers');
  const [action, setAction] = useState<{ kind: 'trust' | 'remove'; cert: Certificate } | null>(null);
  const shown = (certificates.data ?? []).filter((cert) => cert.store !== 'own');
  return (
    <Paper variant="outlined" sx={{ p: 2 }} component="section" aria-label={t('commissioning.certificates.title')}>
      <Box sx={{ display: 'flex', alignItems: 'center', gap: 1, mb: 1 }}>
        <Typography variant="subtitle1" component="h3" sx={{ flexGrow: 1 }}>
          {t('commissioning.certificates.title')}
        </Typography>
        <Button size="small" startIcon={<RefreshIcon />} onClick={certificates.reload}>
          {t('commissioning.opcua.refresh')}
        </Button>
      </Box>
      {certificates.failure && <FailureState failure={certificates.failure} onRetry={certificates.reload} />}
      {certificates.data && shown.length === 0 && (
        <Typography color="text.secondary">{t('commissioning.certificates.none')}</Typography>
      )}
      {shown.length > 0 && (
        <Table size="small" aria-label={t('commissioning.certificates.title')}>
          <TableHead>
            <TableRow>
              <TableCell>{t('commissioning.certificates.store')}</TableCell>
              <TableCell>{t('commissioning.certificates.subject')}</TableCell>
              <TableCell>{t('commissioning.certificates.applicationUri')}</TableCell>
              <TableCell>{t('commissioning.certificates.validTo')}</TableCell>
              <TableCell>{t('commissioning.certificates.thumbprint')}</TableCell>
              {mayManage && <TableCell>{t('common.actions')}</TableCell>}
            </TableRow>
          </TableHead>
          <TableBody>
            {shown.map((cert) => (
              <TableRow key={`${cert.store}-${cert.thumbprint}`}>
                <TableCell>
                  <Chip
                    size="small"
                    color={cert.store === 'trusted' ? 'success' : 'warning'}
                    label={t(`commissioning.certificates.stores.${cert.store}`)}
                  />
                </TableCell>
                <TableCell>{cert.subject}</TableCell>
                <TableCell sx={{ wordBreak: 'break-all' }}>{cert.applicationUri ?? '—'}</TableCell>
                <TableCell sx={{ color: cert.expired ? 'error.main' : undefined }}>
                  {formatDateTime(cert.validTo)}
                  {cert.expired && ` (${t('commissioning.certificates.expired')})`}
                </TableCell>
                <TableCell sx={{ fontFamily: 'monospace', fontSize: '0.75rem' }}>{cert.thumbprint}</TableCell>
                {mayManage && (
                  <TableCell sx={{ whiteSpace: 'nowrap' }}>
                    {cert.store === 'rejected' && (
                      <Button size="small" onClick={() => setAction({ kind: 'trust', cert })}>
                        {t('commissioning.certificates.trust')}
                      </Button>
                    )}
                    <Button size="small" color="error" onClick={() => setAction({ kind: 'remove', cert })}>
                      {t('commissioning.certificates.remove')}
                    </Button>
                  </TableCell>
                )}
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
      {action && (
        <ConfirmDialog
          title={t(`commissioning.certificates.${action.kind}Title`)}
          text={t(`commissioning.certificates.${action.kind}Text`, {
            subject: action.cert.subject,
            thumbprint: action.cert.thumbprint,
          })}
          confirmLabel={t(`commissioning.certificates.${action.kind}`)}
          danger={action.kind === 'remove'}
          onConfirm={() =>
            action.kind === 'trust'
              ? api.opcua.certificates.trust.mutate({ thumbprint: action.cert.thumbprint })
              : api.opcua.certificates.remove.mutate({ thumbprint: action.cert.thumbprint })
          }
          onClose={(done) => {
            setAction(null);
            if (done) certificates.reload();
          }}
        />
      )}
    </Paper>
  );
}
