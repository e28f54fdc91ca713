// Trends: several tags over time, live or over a historical range, from the historian's
// server-side downsampled queries (trends.query: at most one bucket per pixel, min/max/mean per
// bucket). Presets and a custom range, zoom by dragging, pan, back and reset, a read-out under
// the cursor, raw CSV and PNG exports, and saved trend sets.
import ArrowBackIcon from '@mui/icons-material/ArrowBack';
import ChevronLeftIcon from '@mui/icons-material/ChevronLeft';
import ChevronRightIcon from '@mui/icons-material/ChevronRight';
import DownloadIcon from '@mui/icons-material/Download';
import FolderOpenIcon from '@mui/icons-material/FolderOpen';
import ImageIcon from '@mui/icons-material/Image';
import RestartAltIcon from '@mui/icons-material/RestartAlt';
import SaveIcon from '@mui/icons-material/Save';
import {
  Alert,
  Box,
  Button,
  Chip,
  FormControlLabel,
  IconButton,
  LinearProgress,
  Paper,
  Stack,
  Switch,
  ToggleButton,
  ToggleButtonGroup,
  Tooltip,
  Typography,
  useTheme,
} from '@mui/material';
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { TREND_PRESET_NAMES, type TrendPreset } from '../../../common/trend-definition.ts';
import { apiFailure } from '../api/api-error-text.ts';
import { DateTimeField } from '../components/date-time-field.tsx';
import { downloadFile } from '../components/file-download.ts';
import { PageHeader } from '../components/page-header.tsx';
import { EmptyState, FailureState } from '../components/page-states.tsx';
import { useApiQuery } from '../components/use-api-query.ts';
import { formatNumber } from '../i18n/formatters.ts';
import { api } from '../stores/session-store.ts';
import { useTrend } from '../stores/trend-store.ts';
import { chartPng } from './chart-png.ts';
import { TrendChart } from './trend-chart.tsx';
import { showsRawSamples } from './trend-data.ts';
import { SaveTrendSetDialog, TrendSetsDialog, useRangeText } from './trend-sets-dialog.tsx';
import { TrendTagPicker } from './trend-tag-picker.tsx';
import { useTrendData } from './use-trend-data.ts';

/** "20250102-0800" for file names, in local time */
function fileStamp(ms: number): string {
  const d = new Date(ms);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}${two(d.getMonth() + 1)}${two(d.getDate())}-${two(d.getHours())}${two(d.getMinutes())}`;
}

/** The chart's width: the box's width, in steps of 50 px so a small resize does not query again. */
function useWidth(): [React.RefObject<HTMLDivElement | null>, number] {
  const ref = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(1000);
  useLayoutEffect(() => {
    const element = ref.current;
    if (!element) return;
    const observer = new ResizeObserver(([entry]) => {
      const next = Math.max(300, Math.floor((entry?.contentRect.width ?? 1000) / 50) * 50);
      setWidth((previous) => (previous === next ? previous : next));
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  return [ref, width];
}

/** Seconds since `since`, ticking while it is set (the progress of a long query). */
function useElapsed(since: number | null): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    if (since === null) return;
    const timer = setInterval(() => setNow(Date.now()), 250);
    return () => clearInterval(timer);
  }, [since]);
  return since === null ? 0 : Math.max(0, now - since);
}

export default function TrendsPage() {
  const { t } = useTranslation();
  const theme = useTheme();
  const { pens, range, history, openSet } = useTrend();
  const store = useTrend.getState();
  const [box, width] = useWidth();
  const data = useTrendData(pens, range, width);
  const elapsed = useElapsed(data.queryStartedAt);
  const rangeText = useRangeText();
  const devices = useApiQuery(() => api.devices.list.query(), []);
  const deviceNames = useMemo(() => new Map((devices.data ?? []).map((d) => [d.id, d.name])), [devices.data]);
  const svgHost = useRef<HTMLDivElement>(null);
  const [custom, setCustom] = useState<{ from: Date | undefined; to: Date | undefined }>({
    from: undefined,
    to: undefined,
  });
  const [notice, setNotice] = useState<{ severity: 'error' | 'success' | 'info'; text: string } | null>(null);
  const [exporting, setExporting] = useState<{ rows: number; cancel(): void } | null>(null);
  const [saving, setSaving] = useState(false);
  const [browsing, setBrowsing] = useState(false);

  const onZoom = useCallback((fromMs: number, toMs: number) => useTrend.getState().showWindow(fromMs, toMs), []);
  const span = data.toMs - data.fromMs;
  const labels = new Map((data.series ?? []).map((s) => [s.tagId, s]));
  const hasData = (data.series ?? []).some((s) => s.t.length > 0);
  const live = range.mode === 'live';

  function pan(direction: -1 | 1) {
    const shift = (span / 2) * direction;
    store.showWindow(data.fromMs + shift, Math.min(data.toMs + shift, Math.max(Date.now(), data.toMs)));
  }

  function exportCsv() {
    const parts: string[] = [];
    const fromMs = data.fromMs;
    const toMs = data.toMs;
    const subscription = api.trends.exportCsv.subscribe(
      { tagIds: pens.map((pen) => pen.tagId), from: new Date(fromMs), to: new Date(toMs) },
      {
        onData(chunk) {
          parts.push(chunk.csv);
          setExporting((state) => state && { ...state, rows: chunk.rows });
          if (chunk.done) {
            downloadFile(
              `trend-${fileStamp(fromMs)}-${fileStamp(toMs)}.csv`,
              new Blob(parts, { type: 'text/csv;charset=utf-8' }),
            );
            setExporting(null);
            setNotice({ severity: 'success', text: t('trends.csvDone', { rows: formatNumber(chunk.rows) }) });
          }
        },
        onError(error) {
          setExporting(null);
          setNotice({ severity: 'error', text: apiFailure(error).message });
        },
      },
    );
    setExporting({ rows: 0, cancel: () => (subscription.unsubscribe(), setExporting(null)) });
  }

  async function exportPng() {
    const svg = svgHost.current?.querySelector('svg.recharts-surface');
    if (!(svg instanceof SVGSVGElement)) return;
    try {
      const png = await chartPng(svg, {
        title: rangeText(range.mode === 'live' ? range : { mode: 'custom', fromMs: data.fromMs, toMs: data.toMs }),
        legend: (data.series ?? []).map((s) => ({
          label: `${s.tagName} — ${s.deviceName}${s.unit ? ` (${s.unit})` : ''}`,
          color: s.color,
        })),
        background: theme.palette.background.paper,
        text: theme.palette.text.primary,
      });
      downloadFile(`trend-${fileStamp(data.fromMs)}-${fileStamp(data.toMs)}.png`, png);
    } catch (error) {
      setNotice({ severity: 'error', text: apiFailure(error).message });
    }
  }

  function applyCustom() {
    if (custom.from && custom.to)
      store.setRange({ mode: 'custom', fromMs: custom.from.getTime(), toMs: custom.to.getTime() });
  }
  const customInvalid = custom.from !== undefined && custom.to !== undefined && custom.to <= custom.from;

  return (
    <Box sx={{ pb: 3 }}>
      <PageHeader title={openSet ? `${t('nav.trends')} — ${openSet.name}` : t('nav.trends')}>
        <Button startIcon={<FolderOpenIcon />} onClick={() => setBrowsing(true)}>
          {t('trends.sets')}
        </Button>
        <Button startIcon={<SaveIcon />} onClick={() => setSaving(true)} disabled={pens.length === 0}>
          {t('trends.saveSet')}
        </Button>
        <Button startIcon={<DownloadIcon />} onClick={exportCsv} disabled={pens.length === 0 || exporting !== null}>
          {t('trends.exportCsv')}
        </Button>
        <Button startIcon={<ImageIcon />} onClick={() => void exportPng()} disabled={!hasData}>
          {t('trends.exportPng')}
        </Button>
      </PageHeader>
      {notice && (
        <Alert severity={notice.severity} onClose={() => setNotice(null)} sx={{ mx: 3, mb: 1 }}>
          {notice.text}
        </Alert>
      )}
      {exporting && (
        <Alert
          severity="info"
          sx={{ mx: 3, mb: 1 }}
          data-testid="csv-progress"
          action={
            <Button color="inherit" size="small" onClick={exporting.cancel}>
              {t('common.cancel')}
            </Button>
          }
        >
          {t('trends.csvProgress', { rows: formatNumber(exporting.rows) })}
        </Alert>
      )}

      <Stack direction="row" spacing={2} sx={{ px: 3, pb: 1, alignItems: 'center', flexWrap: 'wrap', rowGap: 1 }}>
        <ToggleButtonGroup
          exclusive
          size="small"
          aria-label={t('trends.range')}
          value={range.mode === 'custom' ? null : range.preset}
          onChange={(_event, preset: TrendPreset | null) => preset && store.setPreset(preset)}
        >
          {TREND_PRESET_NAMES.map((preset) => (
            <ToggleButton key={preset} value={preset}>
              {t(`trends.presets.${preset}`)}
            </ToggleButton>
          ))}
        </ToggleButtonGroup>
        <FormControlLabel
          control={<Switch checked={live} onChange={(event) => store.setLive(event.target.checked)} />}
          label={t('trends.live')}
        />
        <DateTimeField
          label={t('common.from')}
          value={custom.from}
          onChange={(from) => setCustom({ ...custom, from })}
        />
        <DateTimeField label={t('common.to')} value={custom.to} onChange={(to) => setCustom({ ...custom, to })} />
        <Button variant="outlined" onClick={applyCustom} disabled={!custom.from || !custom.to || customInvalid}>
          {t('trends.showRange')}
        </Button>
        {customInvalid && <Typography color="error">{t('trends.toAfterFrom')}</Typography>}
      </Stack>

      <Stack direction="row" spacing={1} sx={{ px: 3, pb: 1, alignItems: 'center', flexWrap: 'wrap', rowGap: 1 }}>
        <TrendTagPicker
          deviceNames={deviceNames}
          exclude={pens.map((pen) => pen.tagId)}
          disabled={false}
          onPick={(tag) => {
            const { refused } = store.addPens([tag.id]);
            if (refused) setNotice({ severity: 'error', text: t('trends.tooManyPens') });
          }}
        />
        {pens.map((pen) => {
          const line = labels.get(pen.tagId);
          const value = data.latest.get(pen.tagId);
          const name = line ? `${line.tagName}${line.deviceName ? ` — ${line.deviceName}` : ''}` : '…';
          return (
            <Chip
              key={pen.tagId}
              data-testid="trend-pen"
              variant="outlined"
              sx={{ borderColor: pen.color, borderWidth: 2 }}
              icon={
                <Box component="span" sx={{ width: 12, height: 12, borderRadius: '50%', bgcolor: pen.color, ml: 1 }} />
              }
              label={
                <span>
                  {name}
                  {live && value && (
                    <Box component="span" data-testid="trend-pen-value" sx={{ ml: 1, fontFamily: 'monospace' }}>
                      {typeof value.value === 'number' ? formatNumber(value.value) : String(value.value ?? '—')}
                      {line?.unit ? ` ${line.unit}` : ''}
                    </Box>
                  )}
                </span>
              }
              onDelete={() => store.removePen(pen.tagId)}
              deleteIcon={<span aria-label={t('trends.removePen', { name })}>×</span>}
            />
          );
        })}
      </Stack>

      <Paper variant="outlined" sx={{ mx: 3, p: 1 }}>
        <Stack direction="row" spacing={1} sx={{ alignItems: 'center', px: 1, pb: 0.5 }}>
          <Tooltip title={t('trends.panLeft')}>
            <span>
              <IconButton aria-label={t('trends.panLeft')} onClick={() => pan(-1)} disabled={!pens.length}>
                <ChevronLeftIcon />
              </IconButton>
            </span>
          </Tooltip>
          <Tooltip title={t('trends.panRight')}>
            <span>
              <IconButton aria-label={t('trends.panRight')} onClick={() => pan(1)} disabled={!pens.length}>
                <ChevronRightIcon />
              </IconButton>
            </span>
          </Tooltip>
          <Button size="small" startIcon={<ArrowBackIcon />} onClick={store.back} disabled={history.length === 0}>
            {t('trends.back')}
          </Button>
          <Button size="small" startIcon={<RestartAltIcon />} onClick={store.reset} disabled={history.length === 0}>
            {t('trends.resetZoom')}
          </Button>
          <Typography variant="body2" color="text.secondary" sx={{ flexGrow: 1 }} data-testid="trend-range">
            {rangeText(range)}
          </Typography>
          {data.bucketMs !== undefined && (
            <Typography variant="caption" color="text.secondary" data-testid="trend-resolution">
              {showsRawSamples(data.series ?? [])
                ? t('trends.resolutionRaw', { source: data.source })
                : t('trends.resolution', { seconds: formatNumber(data.bucketMs / 1000), source: data.source })}
            </Typography>
          )}
        </Stack>
        <Box sx={{ height: 4 }}>{data.loading && <LinearProgress aria-label={t('trends.querying')} />}</Box>
        <Box ref={box} sx={{ minHeight: 200, position: 'relative' }}>
          {pens.length === 0 && (
            <EmptyState title={t('trends.noPens')}>
              <Typography color="text.secondary">{t('trends.noPensHint')}</Typography>
            </EmptyState>
          )}
          {data.failure && <FailureState failure={data.failure} onRetry={data.reload} />}
          {data.loading && elapsed > 1_000 && (
            <Typography role="status" color="text.secondary" sx={{ px: 2 }}>
              {t('trends.stillQuerying', { pens: pens.length, seconds: Math.floor(elapsed / 1000) })}
            </Typography>
          )}
          {pens.length > 0 && data.series && !hasData && !data.loading && !data.failure && (
            <EmptyState title={t('trends.noData')} />
          )}
          {pens.length > 0 && data.series && (hasData || live) && (
            <TrendChart
              pens={data.series}
              fromMs={data.fromMs}
              toMs={data.toMs}
              width={width}
              onZoom={onZoom}
              svgHost={svgHost}
              generation={data.generation}
            />
          )}
        </Box>
        {pens.length > 0 && (
          <Typography variant="caption" color="text.secondary" sx={{ px: 1 }}>
            {t('trends.zoomHint')}
          </Typography>
        )}
      </Paper>

      {saving && (
        <SaveTrendSetDialog
          definition={{ pens, range }}
          openSet={openSet}
          onClose={(saved) => {
            setSaving(false);
            if (saved) {
              store.setOpenSet(saved);
              setNotice({ severity: 'success', text: t('trends.saved', { name: saved.name }) });
            }
          }}
        />
      )}
      {browsing && <TrendSetsDialog onClose={() => setBrowsing(false)} />}
    </Box>
  );
}
