// The MQTT topic explorer: a broker, its credentials and a topic filter; while listening, the
// topics seen so far with their message counts and the last payload (JSON pretty-printed);
// picking a JSON field opens "create tag" with the topic|path address the MQTT driver maps.
// Listening is a chain of mqtt.sniff windows; retained messages count once (a new window
// replays them with the retain flag, live ones arrive without it).
import DeleteSweepIcon from '@mui/icons-material/DeleteSweep';
import HearingIcon from '@mui/icons-material/Hearing';
import StopIcon from '@mui/icons-material/Stop';
import {
  Box,
  Button,
  Chip,
  List,
  ListItemButton,
  ListItemText,
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
import { useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { TagDataType } from '../../../../common/enums.ts';
import type { ApiOutputs } from '../../api/api-client.ts';
import { apiFailure } from '../../api/api-error-text.ts';
import { roleMay } from '../../auth/role-access.ts';
import { formatNumber } from '../../i18n/formatters.ts';
import { api, useSignedInUser } from '../../stores/session-store.ts';
import { CreateMappingButton } from './create-mapping-button.tsx';
import { CreateTagDialog, tagNameOf, type TagDraft } from './create-tag-dialog.tsx';
import { birthTopicOf, SparkplugMetrics } from './sparkplug-metrics.tsx';
import { ToolOutcome } from './tool-outcome.tsx';

type Sniffed = ApiOutputs['mqtt']['sniff']['messages'][number];

interface TopicState {
  topic: string;
  count: number;
  bytes: number;
  retained: boolean;
  lastAt: Date;
  last: Sniffed;
}

const WINDOW_MS = 2000;

/** The payload as the user reads it: JSON indented, anything else as it came. */
export function prettyPayload(preview: string): string {
  try {
    return JSON.stringify(JSON.parse(preview), null, 2);
  } catch {
    return preview;
  }
}

function dataTypeOf(value: unknown): TagDataType {
  if (typeof value === 'boolean') return 'Boolean';
  if (typeof value === 'number') return 'Double';
  return 'String';
}

export function MqttExplorer() {
  const { t } = useTranslation();
  const mayCreate = roleMay(useSignedInUser().role, 'configure-devices');
  const [url, setUrl] = useState('mqtt://127.0.0.1:1883');
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [filter, setFilter] = useState('#');
  const [listening, setListening] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const [topics, setTopics] = useState<Map<string, TopicState>>(new Map());
  const [dropped, setDropped] = useState(0);
  const [selected, setSelected] = useState<string | null>(null);
  const [draft, setDraft] = useState<TagDraft | null>(null);
  const [created, setCreated] = useState<string | null>(null);
  const running = useRef(false);

  useEffect(() => () => void (running.current = false), []);

  async function listen(event: FormEvent) {
    event.preventDefault();
    if (running.current) return;
    running.current = true;
    setListening(true);
    setFailure(null);
    setCreated(null);
    const input = {
      endpoint: url.trim(),
      filter: filter.trim() || '#',
      durationMs: WINDOW_MS,
      maxMessages: 1000,
      ...(username.trim() ? { mqtt: { username: username.trim(), ...(password ? { password } : {}) } } : {}),
    };
    let first = true;
    while (running.current) {
      try {
        const result = await api.mqtt.sniff.query(input);
        const fresh = first ? result.messages : result.messages.filter((message) => !message.retained);
        first = false;
        setDropped((previous) => previous + result.dropped);
        setTopics((previous) => {
          const next = new Map(previous);
          const now = new Date();
          for (const message of fresh) {
            const known = next.get(message.topic);
            next.set(message.topic, {
              topic: message.topic,
              count: (known?.count ?? 0) + 1,
              bytes: message.bytes,
              retained: message.retained,
              lastAt: now,
              last: message,
            });
          }
          return next;
        });
      } catch (error) {
        setFailure(apiFailure(error).message);
        break;
      }
    }
    running.current = false;
    setListening(false);
  }

  const sorted = useMemo(() => [...topics.values()].sort((a, b) => a.topic.localeCompare(b.topic)), [topics]);
  const current = selected ? topics.get(selected) : undefined;

  return (
    <Stack spacing={2}>
      <Paper variant="outlined" sx={{ p: 2 }}>
        <Box component="form" onSubmit={(e) => void listen(e)} noValidate aria-label={t('commissioning.mqtt.title')}>
          <Stack direction="row" spacing={2} sx={{ flexWrap: 'wrap', rowGap: 2, alignItems: 'flex-start' }}>
            <TextField
              label={t('commissioning.mqtt.brokerUrl')}
              value={url}
              onChange={(e) => setUrl(e.target.value)}
              required
              disabled={listening}
              sx={{ minWidth: 300, flexGrow: 1 }}
              helperText={t('commissioning.mqtt.brokerHint')}
              slotProps={{ htmlInput: { spellCheck: false } }}
            />
            <TextField
              label={t('commissioning.mqtt.username')}
              value={username}
              onChange={(e) => setUsername(e.target.value)}
              disabled={listening}
              autoComplete="off"
            />
            <TextField
              label={t('commissioning.mqtt.password')}
              type="password"
              value={password}
              onChange={(e) => setPassword(e.target.value)}
              disabled={listening || !username.trim()}
              autoComplete="new-password"
            />
            <TextField
              label={t('commissioning.mqtt.filter')}
              value={filter}
              onChange={(e) => setFilter(e.target.value)}
              disabled={listening}
              helperText={t('commissioning.mqtt.filterHint')}
              slotProps={{ htmlInput: { spellCheck: false } }}
            />
            {listening ? (
              <Button
                variant="outlined"
                color="warning"
                startIcon={<StopIcon />}
                onClick={() => (running.current = false)}
                sx={{ mt: 1 }}
              >
                {t('commissioning.mqtt.stop')}
              </Button>
            ) : (
              <Button
                type="submit"
                variant="contained"
                startIcon={<HearingIcon />}
                disabled={!url.trim()}
                sx={{ mt: 1 }}
              >
                {t('commissioning.mqtt.listen')}
              </Button>
            )}
            <Button
              startIcon={<DeleteSweepIcon />}
              onClick={() => {
                setTopics(new Map());
                setDropped(0);
                setSelected(null);
                setCreated(null);
              }}
              disabled={topics.size === 0}
              sx={{ mt: 1 }}
            >
              {t('commissioning.mqtt.clear')}
            </Button>
          </Stack>
        </Box>
      </Paper>
      <ToolOutcome failure={failure} created={created} onDismissCreated={() => setCreated(null)} />
      <Box
        sx={{
          display: 'grid',
          gridTemplateColumns: { xs: '1fr', md: 'minmax(260px, 1fr) minmax(320px, 1.4fr)' },
          gap: 2,
        }}
      >
        <Paper variant="outlined" sx={{ maxHeight: 520, overflow: 'auto' }}>
          <Box sx={{ display: 'flex', alignItems: 'center', px: 2, pt: 1, gap: 1 }}>
            <Typography variant="subtitle1" component="h3" sx={{ flexGrow: 1 }}>
              {t('commissioning.mqtt.topics')}
            </Typography>
            <Typography variant="body2" color="text.secondary" role="status" data-testid="mqtt-topic-count">
              {listening
                ? t('commissioning.mqtt.listening', { count: topics.size })
                : t('commissioning.mqtt.topicCount', { count: topics.size })}
            </Typography>
          </Box>
          {dropped > 0 && (
            <Typography variant="caption" color="warning.main" sx={{ px: 2 }}>
              {t('commissioning.mqtt.dropped', { count: dropped })}
            </Typography>
          )}
          {sorted.length === 0 ? (
            <Typography sx={{ p: 2 }} color="text.secondary">
              {listening ? t('commissioning.mqtt.waiting') : t('commissioning.mqtt.none')}
            </Typography>
          ) : (
            <List dense aria-label={t('commissioning.mqtt.topics')}>
              {sorted.map((state) => (
                <ListItemButton
                  key={state.topic}
                  selected={state.topic === selected}
                  onClick={() => setSelected(state.topic)}
                >
                  <ListItemText
                    primary={state.topic}
                    secondary={`${state.last.preview.slice(0, 80)}`}
                    slotProps={{ primary: { sx: { fontFamily: 'monospace' } }, secondary: { noWrap: true } }}
                  />
                  <Stack direction="row" spacing={0.5} sx={{ ml: 1 }}>
                    {state.retained && <Chip size="small" label={t('commissioning.mqtt.retained')} />}
                    <Chip
                      size="small"
                      color="primary"
                      label={formatNumber(state.count)}
                      aria-label={t('commissioning.mqtt.messages', { count: state.count })}
                    />
                  </Stack>
                </ListItemButton>
              ))}
            </List>
          )}
        </Paper>
        <Paper
          variant="outlined"
          sx={{ p: 2, maxHeight: 520, overflow: 'auto' }}
          component="section"
          aria-label={t('commissioning.mqtt.payload')}
        >
          {!current ? (
            <Typography color="text.secondary">{t('commissioning.mqtt.pickTopic')}</Typography>
          ) : (
            <Stack spacing={1}>
              <Typography variant="subtitle1" component="h3" sx={{ fontFamily: 'monospace' }}>
                {current.topic}
              </Typography>
              <Typography variant="body2" color="text.secondary">
                {t('commissioning.mqtt.summary', {
                  count: current.count,
                  bytes: formatNumber(current.bytes),
                  qos: current.last.qos,
                  time: current.lastAt.toLocaleTimeString(),
                })}
              </Typography>
              {current.last.sparkplug ? (
                <SparkplugMetrics
                  message={current.last.sparkplug}
                  birth={topics.get(birthTopicOf(current.last.sparkplug))?.last.sparkplug ?? undefined}
                  mayCreate={mayCreate}
                  onCreate={setDraft}
                />
              ) : (
                <Box
                  component="pre"
                  data-testid="mqtt-payload"
                  sx={{
                    m: 0,
                    p: 1,
                    bgcolor: 'action.hover',
                    borderRadius: 1,
                    fontSize: '0.8rem',
                    overflow: 'auto',
                    maxHeight: 220,
                  }}
                >
                  {prettyPayload(current.last.preview)}
                </Box>
              )}
              {current.last.sparkplug ? null : current.last.paths ? (
                <Table size="small" aria-label={t('commissioning.mqtt.fields')}>
                  <TableHead>
                    <TableRow>
                      <TableCell>{t('commissioning.mqtt.path')}</TableCell>
                      <TableCell>{t('commissioning.mqtt.value')}</TableCell>
                      <TableCell />
                    </TableRow>
                  </TableHead>
                  <TableBody>
                    {current.last.paths.map((field) => (
                      <TableRow key={field.path} hover>
                        <TableCell sx={{ fontFamily: 'monospace' }}>{field.path}</TableCell>
                        <TableCell sx={{ fontFamily: 'monospace' }}>{JSON.stringify(field.value)}</TableCell>
                        <TableCell>
                          <CreateMappingButton
                            mayCreate={mayCreate}
                            ariaLabel={t('commissioning.mqtt.createMappingFor', { path: field.path })}
                            onCreate={setDraft}
                            draft={() => ({
                              name: tagNameOf(`${current.topic.split('/').pop() ?? ''}_${field.path}`),
                              address: field.path === '$' ? current.topic : `${current.topic}|${field.path}`,
                              dataType: dataTypeOf(field.value),
                            })}
                          />
                        </TableCell>
                      </TableRow>
                    ))}
                  </TableBody>
                </Table>
              ) : (
                <Stack direction="row" spacing={1} sx={{ alignItems: 'center' }}>
                  <Typography variant="body2" color="text.secondary" sx={{ flexGrow: 1 }}>
                    {t('commissioning.mqtt.plainPayload')}
                  </Typography>
                  <CreateMappingButton
                    mayCreate={mayCreate}
                    onCreate={setDraft}
                    draft={() => ({
                      name: tagNameOf(current.topic.split('/').pop() ?? 'value'),
                      address: current.topic,
                      dataType: Number.isFinite(Number(current.last.preview.trim())) ? 'Double' : 'String',
                    })}
                  />
                </Stack>
              )}
            </Stack>
          )}
        </Paper>
      </Box>
      {draft && (
        <CreateTagDialog
          draft={draft}
          protocols={['Mqtt']}
          onClose={(name) => {
            setDraft(null);
            if (name) setCreated(name);
          }}
        />
      )}
    </Stack>
  );
}
