// The trend chart (recharts): per pen a line of bucket means and, where the gateway downsampled,
// a band from each bucket's min to its max; one Y axis per unit. Dragging across the chart
// selects a range to zoom into; the cursor's time and every pen's value show in the read-out.
// The chart itself is memoised: moving the cursor re-renders the read-out and the selection
// overlay, not thousands of points.
import { Box, Typography, useTheme } from '@mui/material';
import { memo, useLayoutEffect, useMemo, useRef, useState, type RefObject } from 'react';
import { useTranslation } from 'react-i18next';
import { Area, CartesianGrid, ComposedChart, Line, Tooltip, XAxis, YAxis } from 'recharts';
import { formatNumber } from '../i18n/formatters.ts';
import { axisId, chartRows, unitAxes, valueAt, type PenSeries } from './trend-data.ts';

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

/** A time format for the axis and read-out that fits the span shown. */
function timeFormat(language: string, spanMs: number): Intl.DateTimeFormat {
  if (spanMs <= 2 * 3_600_000)
    return new Intl.DateTimeFormat(language, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
  if (spanMs <= 36 * 3_600_000) return new Intl.DateTimeFormat(language, { hour: '2-digit', minute: '2-digit' });
  return new Intl.DateTimeFormat(language, { month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' });
}

export function TrendChart({ pens, fromMs, toMs, width, onZoom, svgHost, generation }: TrendChartProps) {
  const { t, i18n } = useTranslation();
  const [cursor, setCursor] = useState<number | null>(null);
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
  const timeAt = (
    event: React.MouseEvent<HTMLDivElement>,
    clamp = false,
  ): { timeMs: number; x: number } | undefined => {
    const host = event.currentTarget.getBoundingClientRect();
    const plot = event.currentTarget.querySelector('svg.recharts-surface clipPath rect');
    const plotX = Number(plot?.getAttribute('x') ?? 0);
    const plotWidth = Number(plot?.getAttribute('width') ?? host.width);
    let x = event.clientX - host.left;
    if (!(plotWidth > 0)) return undefined;
    if (clamp) x = Math.min(Math.max(x, plotX), plotX + plotWidth);
    else if (x < plotX || x > plotX + plotWidth) return undefined;
    return { timeMs: fromMs + ((x - plotX) / plotWidth) * (toMs - fromMs), x };
  };

  function onMouseMove(event: React.MouseEvent<HTMLDivElement>) {
    setCursor(timeAt(event)?.timeMs ?? null);
    const at = dragRef.current && timeAt(event, true);
    if (at && dragRef.current) setDrag({ ...dragRef.current, x: at.x, endMs: at.timeMs });
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
        onMouseLeave={() => (setCursor(null), setDrag(null))}
      >
        <ChartBody pens={pens} fromMs={fromMs} toMs={toMs} width={width} format={format} generation={generation} />
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
  const rows = useMemo(() => chartRows(pens, fromMs, toMs), [pens, fromMs, toMs, generation]);
  const axes = useMemo(() => unitAxes(pens), [pens]);
  // a band only where the gateway put several samples in a bucket
  const banded = useMemo(() => pens.map((pen) => pen.min.some((min, i) => min !== pen.max[i])), [pens, generation]);

  // Marks when this data is on screen (after the next paint), for bench:ui and the e2e suite.
  useLayoutEffect(() => {
    const frame = requestAnimationFrame(() =>
      setTimeout(() => {
        performance.mark('trend-drawn', { detail: { generation, rows: rows.length } });
        document.body.dataset.trendDrawn = String(generation);
      }),
    );
    return () => cancelAnimationFrame(frame);
  }, [rows, generation]);

  return (
    <ComposedChart
      width={width}
      height={CHART_HEIGHT}
      data={rows}
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
          orientation={i % 2 === 0 ? 'left' : 'right'}
          stroke={axis.color}
          domain={['auto', 'auto']}
          width={64}
          tickFormatter={(value: number) => formatNumber(value)}
          label={
            axis.unit
              ? { value: axis.unit, angle: -90, position: i % 2 === 0 ? 'insideLeft' : 'insideRight' }
              : undefined
          }
        />
      ))}
      <Tooltip content={() => null} cursor={{ stroke: theme.palette.text.secondary }} isAnimationActive={false} />
      {pens.map((pen, i) =>
        banded[i] ? (
          <Area
            key={`band-${pen.tagId}`}
            yAxisId={axisId(pen.unit)}
            dataKey={`r${i}`}
            type="linear"
            stroke="none"
            fill={pen.color}
            fillOpacity={0.18}
            isAnimationActive={false}
            activeDot={false}
            connectNulls={false}
          />
        ) : null,
      )}
      {pens.map((pen, i) => (
        <Line
          key={`line-${pen.tagId}`}
          yAxisId={axisId(pen.unit)}
          dataKey={`m${i}`}
          name={pen.tagName}
          type="linear"
          stroke={pen.color}
          strokeWidth={1.5}
          dot={false}
          activeDot={false}
          isAnimationActive={false}
          connectNulls={false}
        />
      ))}
    </ComposedChart>
  );
});
