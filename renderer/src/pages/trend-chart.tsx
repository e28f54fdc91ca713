// The trend chart: per pen a line of bucket means and, where the gateway downsampled, a band from
// each bucket's min to its max; one Y axis per unit. Dragging across the chart selects a range to
// zoom into; the cursor's time and every pen's value show in the read-out. recharts lays out the
// plot, axes and grid; the pens are drawn as one SVG path each from recharts' scales, because
// recharts' own Line and Area take hundreds of milliseconds for 8 pens of a thousand buckets
// (each series' points and the axes' domains are recomputed over all the rows for every series).
// The chart itself is memoised: moving the cursor re-renders the read-out, the cursor line and the
// selection overlay, not thousands of points.
import { Box, Typography, useTheme } from '@mui/material';
import { memo, useCallback, useId, useLayoutEffect, useMemo, useRef, useState, type RefObject } from 'react';
import { useTranslation } from 'react-i18next';
import { CartesianGrid, ComposedChart, usePlotArea, useXAxisScale, useYAxisScale, XAxis, YAxis } from 'recharts';
import { formatNumber } from '../i18n/formatters.ts';
import { axisDomain, axisId, penPaths, unitAxes, valueAt, type PenSeries } from './trend-data.ts';

export const CHART_HEIGHT = 420;

interface TrendChartProps {
  pens: readonly PenSeries[];
  fromMs: number;
  toMs: number;
  width: number;
  /** a range dragged across the chart */
  onZoom(fromMs: number, toMs: number): void;
  /** where the chart's <svg> is, for the PNG export */
  svgHost: RefObject<HTMLDivElement | null>;
  /** bumped whenever new data arrives; the chart marks when it has drawn it */
  generation: number;
}

/** The pointer on the plot: its time, and where the plot is (for the cursor line). */
interface PlotPoint {
  timeMs: number;
  x: number;
  top: number;
  height: number;
}

/** A time format for the axis and read-out that fits the span shown. */
function timeFormat(language: string, spanMs: number): Intl.DateTimeFormat {
  if (spanMs <= 2 * 3_600_000)
    return new Intl.DateTimeFormat(language, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
  if (spanMs <= 36 * 3_600_000) return new Intl.DateTimeFormat(language, { hour: '2-digit', minute: '2-digit' });
  return new Intl.DateTimeFormat(language, { month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' });
}

export function TrendChart({ pens, fromMs, toMs, width, onZoom, svgHost, generation }: TrendChartProps) {
  const { t, i18n } = useTranslation();
  const [pointer, setPointer] = useState<PlotPoint | null>(null);
  const cursor = pointer?.timeMs ?? null;
  const [drag, setDrag] = useState<{ startMs: number; startX: number; x: number; endMs: number } | null>(null);
  const dragRef = useRef(drag);
  dragRef.current = drag;
  const format = useMemo(() => timeFormat(i18n.language, toMs - fromMs), [i18n.language, fromMs, toMs]);
  const readoutFormat = useMemo(
    () => new Intl.DateTimeFormat(i18n.language, { dateStyle: 'short', timeStyle: 'medium' }),
    [i18n.language],
  );

  /**
   * The time under a mouse event: its x within the plot area, on the chart's time scale. Outside
   * the plot (over a Y axis) there is none, unless `clamp`: a drag that runs past the plot's edge
   * selects up to that edge.
   */
  const timeAt = (event: React.MouseEvent<HTMLDivElement>, clamp = false): PlotPoint | undefined => {
    const host = event.currentTarget.getBoundingClientRect();
    const plot = event.currentTarget.querySelector('rect.trend-plot-area');
    const plotX = Number(plot?.getAttribute('x') ?? 0);
    const plotWidth = Number(plot?.getAttribute('width') ?? host.width);
    const top = Number(plot?.getAttribute('y') ?? 0);
    const height = Number(plot?.getAttribute('height') ?? host.height);
    let x = event.clientX - host.left;
    if (!(plotWidth > 0)) return undefined;
    if (clamp) x = Math.min(Math.max(x, plotX), plotX + plotWidth);
    else if (x < plotX || x > plotX + plotWidth) return undefined;
    return { timeMs: fromMs + ((x - plotX) / plotWidth) * (toMs - fromMs), x, top, height };
  };

  function onMouseMove(event: React.MouseEvent<HTMLDivElement>) {
    setPointer(timeAt(event) ?? null);
    const dragged = dragRef.current && timeAt(event, true);
    if (dragged && dragRef.current) setDrag({ ...dragRef.current, x: dragged.x, endMs: dragged.timeMs });
  }

  function onMouseDown(event: React.MouseEvent<HTMLDivElement>) {
    const at = timeAt(event);
    if (at && event.button === 0) setDrag({ startMs: at.timeMs, startX: at.x, x: at.x, endMs: at.timeMs });
  }

  function onMouseUp() {
    const current = dragRef.current;
    setDrag(null);
    if (!current) return;
    const [from, to] = [Math.min(current.startMs, current.endMs), Math.max(current.startMs, current.endMs)];
    // a click, or a drag narrower than a few pixels, is not a zoom
    if (Math.abs(current.x - current.startX) > 4 && to > from) onZoom(from, to);
  }

  return (
    <Box>
      <Box
        role="status"
        aria-label={t('trends.readout')}
        data-testid="trend-readout"
        sx={{ display: 'flex', flexWrap: 'wrap', gap: 2, minHeight: 28, alignItems: 'center', px: 1 }}
      >
        {cursor === null ? (
          <Typography variant="body2" color="text.secondary">
            {t('trends.readoutHint')}
          </Typography>
        ) : (
          <>
            <Typography variant="body2" sx={{ fontWeight: 600 }} data-testid="trend-readout-time">
              {readoutFormat.format(cursor)}
            </Typography>
            {pens.map((pen) => {
              const value = valueAt(pen, cursor);
              return (
                <Typography key={pen.tagId} variant="body2" sx={{ color: pen.color }}>
                  {pen.tagName}:{' '}
                  {value === undefined
                    ? '—'
                    : `${formatNumber(value.mean)}${pen.unit ? ` ${pen.unit}` : ''}` +
                      (value.min !== value.max ? ` (${formatNumber(value.min)} … ${formatNumber(value.max)})` : '')}
                </Typography>
              );
            })}
          </>
        )}
      </Box>
      <Box
        ref={svgHost}
        sx={{ position: 'relative', userSelect: 'none', cursor: 'crosshair', '& svg:focus': { outline: 'none' } }}
        data-testid="trend-chart"
        onMouseMove={onMouseMove}
        onMouseDown={onMouseDown}
        onMouseUp={onMouseUp}
        onMouseLeave={() => (setPointer(null), setDrag(null))}
      >
        <ChartBody pens={pens} fromMs={fromMs} toMs={toMs} width={width} format={format} generation={generation} />
        {pointer && (
          <Box
            data-testid="trend-cursor"
            sx={{
              position: 'absolute',
              left: pointer.x,
              top: pointer.top,
              height: pointer.height,
              borderLeft: 1,
              borderColor: 'text.secondary',
              pointerEvents: 'none',
            }}
          />
        )}
        {drag && Math.abs(drag.x - drag.startX) > 1 && (
          <Box
            data-testid="trend-zoom-selection"
            sx={{
              position: 'absolute',
              top: 8,
              bottom: 32,
              left: Math.min(drag.startX, drag.x),
              width: Math.abs(drag.x - drag.startX),
              bgcolor: 'primary.main',
              opacity: 0.15,
              pointerEvents: 'none',
            }}
          />
        )}
      </Box>
    </Box>
  );
}

interface ChartBodyProps {
  pens: readonly PenSeries[];
  fromMs: number;
  toMs: number;
  width: number;
  format: Intl.DateTimeFormat;
  generation: number;
}

const ChartBody = memo(function ChartBody({ pens, fromMs, toMs, width, format, generation }: ChartBodyProps) {
  const theme = useTheme();
  const clipId = `trend-plot-${useId().replace(/[^a-zA-Z0-9]/g, '')}`;
  const axes = useMemo(
    () =>
      unitAxes(pens).map((axis) => {
        const onAxis = pens.filter((pen) => pen.unit === axis.unit);
        return { ...axis, pens: onAxis, domain: axisDomain(onAxis) ?? [0, 1] };
      }),
    // live values move the ranges: the series are changed in place, `generation` says so
    [pens, generation],
  );
  const onDrawn = useDrawnMark(pens, 2 * axes.length, generation);
  // recharts builds its time axis from data: the window's two ends are all it needs
  const ends = useMemo(() => [{ t: fromMs }, { t: toMs }], [fromMs, toMs]);
  const layer = (part: 'band' | 'line') =>
    axes.map((axis) => (
      <AxisPens
        key={`${part}:${axis.unit}`}
        part={part}
        unit={axis.unit}
        pens={axis.pens}
        fromMs={fromMs}
        toMs={toMs}
        generation={generation}
        onDrawn={onDrawn}
      />
    ));
  return (
    <ComposedChart
      width={width}
      height={CHART_HEIGHT}
      data={ends}
      margin={{ top: 8, right: 8, bottom: 8, left: 8 }}
      style={{ background: theme.palette.background.paper }}
    >
      <CartesianGrid strokeDasharray="3 3" stroke={theme.palette.divider} />
      <XAxis
        dataKey="t"
        type="number"
        scale="time"
        domain={[fromMs, toMs]}
        allowDataOverflow
        tickFormatter={(value: number) => format.format(value)}
        stroke={theme.palette.text.secondary}
        minTickGap={40}
      />
      {axes.map((axis, i) => (
        <YAxis
          key={axis.unit}
          yAxisId={axisId(axis.unit)}
          type="number"
          orientation={i % 2 === 0 ? 'left' : 'right'}
          stroke={axis.color}
          domain={axis.domain}
          allowDataOverflow
          width={64}
          tickFormatter={(value: number) => formatNumber(value)}
          label={
            axis.unit
              ? { value: axis.unit, angle: -90, position: i % 2 === 0 ? 'insideLeft' : 'insideRight' }
              : undefined
          }
        />
      ))}
      <PlotArea clipId={clipId} />
      {/* over the grid and under the axes (recharts' own layers); every band under every line */}
      <g clipPath={`url(#${clipId})`}>
        {layer('band')}
        {layer('line')}
      </g>
    </ComposedChart>
  );
});

/**
 * Marks when every layer of every axis has drawn this generation's data and the browser has
 * painted it ('trend-drawn', after the next frame), for bench:ui. The pens draw once recharts has
 * laid out the axes, which can be a render or two after the data arrived.
 */
function useDrawnMark(pens: readonly PenSeries[], layers: number, generation: number): (layer: string) => void {
  const drawn = useRef({ generation: -1, layers: new Set<string>() });
  return useCallback(
    (layer: string) => {
      if (drawn.current.generation !== generation) drawn.current = { generation, layers: new Set() };
      const done = drawn.current.layers;
      if (done.has(layer)) return;
      done.add(layer);
      if (done.size < layers) return;
      const buckets = Math.max(0, ...pens.map((pen) => pen.t.length));
      requestAnimationFrame(() =>
        setTimeout(() => performance.mark('trend-drawn', { detail: { generation, buckets } })),
      );
    },
    [pens, layers, generation],
  );
}

/** The plot's rectangle, for the pointer's time (TrendChart's timeAt) and to clip the pens. */
function PlotArea({ clipId }: { clipId: string }) {
  const plot = usePlotArea();
  if (!plot) return null;
  return (
    <>
      <defs>
        <clipPath id={clipId}>
          <rect x={plot.x} y={plot.y} width={plot.width} height={plot.height} />
        </clipPath>
      </defs>
      <rect
        className="trend-plot-area"
        x={plot.x}
        y={plot.y}
        width={plot.width}
        height={plot.height}
        fill="none"
        stroke="none"
      />
    </>
  );
}

interface AxisPensProps {
  part: 'band' | 'line';
  unit: string;
  pens: readonly PenSeries[];
  fromMs: number;
  toMs: number;
  generation: number;
  onDrawn(layer: string): void;
}

/** The bands or the lines of the pens on one unit's axis, once recharts has the axes' scales. */
const AxisPens = memo(function AxisPens({ part, unit, pens, fromMs, toMs, generation, onDrawn }: AxisPensProps) {
  const x = useXAxisScale();
  const y = useYAxisScale(axisId(unit));
  const paths = useMemo(
    () =>
      x && y
        ? pens.map((pen) => ({
            pen,
            ...penPaths(
              pen,
              (t) => x(t) ?? 0,
              (v) => y(v) ?? 0,
              fromMs,
              toMs,
            ),
          }))
        : undefined,
    // the series are changed in place by live values: `generation` says when
    [pens, x, y, fromMs, toMs, generation],
  );
  useLayoutEffect(() => {
    if (paths) onDrawn(`${part}:${unit}`);
  }, [paths, onDrawn, part, unit]);
  if (!paths) return null;
  return paths.map(({ pen, band, line }) => {
    if (part === 'band') return band ? <path key={pen.tagId} d={band} fill={pen.color} fillOpacity={0.18} /> : null;
    return line ? (
      <path
        key={pen.tagId}
        data-testid="trend-line"
        d={line}
        fill="none"
        stroke={pen.color}
        strokeWidth={1.5}
        strokeLinejoin="round"
      />
    ) : null;
  });
});
