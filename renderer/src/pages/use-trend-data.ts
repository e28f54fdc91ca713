// The Trends screen's data: one downsampled query for the pens over the window (at most one
// bucket per pixel of the chart), and in live mode the tags' live values folded into the last
// buckets while the window rolls forward once a second.
import { useEffect, useMemo, useRef, useState } from 'react';
import { TREND_PRESETS, trendWindow, type TrendPen, type TrendRange } from '../../../common/trend-definition.ts';
import type { TagValueView } from '../../../common/live-values-message.ts';
import { apiFailure, type ApiFailure } from '../api/api-error-text.ts';
import { api } from '../stores/session-store.ts';
import { addLiveValue, dropBefore, penSeries, trendNumber, type PenSeries } from './trend-data.ts';

export interface TrendData {
  series: PenSeries[] | undefined;
  fromMs: number;
  toMs: number;
  bucketMs: number | undefined;
  /** where the gateway read the buckets from ("embedded", "hourly + raw", …) */
  source: string | undefined;
  loading: boolean;
  /** when the running query started (for its progress), or null */
  queryStartedAt: number | null;
  failure: ApiFailure | null;
  /** bumped whenever the series change (a query answered, live values arrived, the window rolled) */
  generation: number;
  /** the latest live value of each pen's tag (live mode) */
  latest: ReadonlyMap<string, TagValueView>;
  reload(): void;
}

const LIVE_INTERVAL_MS = 1_000;

export function useTrendData(pens: readonly TrendPen[], range: TrendRange, widthPx: number): TrendData {
  const [series, setSeries] = useState<PenSeries[] | undefined>(undefined);
  const [meta, setMeta] = useState<{ bucketMs: number; source: string } | undefined>(undefined);
  const [queryStartedAt, setQueryStartedAt] = useState<number | null>(null);
  const [failure, setFailure] = useState<ApiFailure | null>(null);
  const [generation, setGeneration] = useState(0);
  const [reloads, setReloads] = useState(0);
  const [now, setNow] = useState(() => Date.now());
  const latest = useRef(new Map<string, TagValueView>());
  const seriesRef = useRef(series);
  seriesRef.current = series;

  const tagIds = pens.map((pen) => pen.tagId);
  const tagKey = tagIds.join(',');
  const colorKey = pens.map((pen) => pen.color).join(',');
  const rangeKey = JSON.stringify(range);
  // a preset is the last N as of when it was chosen (or reloaded); a live window rolls with `now`
  const anchor = useMemo(() => trendWindow(range, Date.now()), [rangeKey, reloads]);
  const live = range.mode === 'live';
  const window = live ? { fromMs: now - TREND_PRESETS[range.preset], toMs: now } : anchor;

  useEffect(() => {
    if (tagIds.length === 0) {
      setSeries(undefined);
      setQueryStartedAt(null);
      return;
    }
    let current = true;
    const started = Date.now();
    setQueryStartedAt(started);
    setFailure(null);
    performance.mark('trend-query');
    const colors = new Map(pens.map((pen) => [pen.tagId, pen.color]));
    api.trends.query
      .query({ tagIds, from: new Date(anchor.fromMs), to: new Date(anchor.toMs), widthPx })
      .then((result) => {
        if (!current) return;
        performance.mark('trend-data', { detail: { tookMs: result.tookMs } });
        setSeries(penSeries(result, colors));
        setMeta({ bucketMs: result.bucketMs, source: result.source });
        if (live) setNow(Date.now());
        setGeneration((value) => value + 1);
      })
      .catch((error: unknown) => {
        if (current) setFailure(apiFailure(error));
      })
      .finally(() => {
        if (current) setQueryStartedAt(null);
      });
    return () => {
      current = false;
    };
  }, [tagKey, colorKey, anchor, widthPx]);

  // Live mode: the tags' values as they change, folded in; the window moves once a second.
  useEffect(() => {
    if (!live || tagIds.length === 0) return;
    latest.current = new Map();
    const subscription = api.tags.live.subscribe(
      { tagIds, intervalMs: LIVE_INTERVAL_MS },
      {
        onData(message) {
          for (const value of message.values) {
            latest.current.set(value.tagId, value);
            const number = trendNumber(value.value);
            const pen = seriesRef.current?.find((candidate) => candidate.tagId === value.tagId);
            if (pen && number !== null && value.quality !== 'Bad') addLiveValue(pen, value.sourceTime, number);
          }
        },
        onError(error) {
          setFailure(apiFailure(error));
        },
      },
    );
    const timer = setInterval(() => {
      const at = Date.now();
      for (const pen of seriesRef.current ?? []) dropBefore(pen, at - TREND_PRESETS[range.preset]);
      setNow(at);
      setGeneration((value) => value + 1);
    }, LIVE_INTERVAL_MS);
    return () => {
      subscription.unsubscribe();
      clearInterval(timer);
    };
  }, [live, tagKey, live ? range.preset : null]);

  return {
    series: tagIds.length ? series : undefined,
    fromMs: window.fromMs,
    toMs: window.toMs,
    // no pens, no resolution: what the last query said no longer describes anything on screen
    bucketMs: tagIds.length ? meta?.bucketMs : undefined,
    source: tagIds.length ? meta?.source : undefined,
    loading: queryStartedAt !== null,
    queryStartedAt,
    failure,
    generation,
    latest: latest.current,
    reload: () => setReloads((value) => value + 1),
  };
}
