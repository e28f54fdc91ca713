// The open trend: its pens, its range, the ranges before each zoom or pan (Back returns to the
// last one) and the saved set it came from. The tag browser adds pens here in one action
// ("Add to trend"); the Trends screen draws whatever is here. Kept for the tab (sessionStorage),
// so a reload shows the same trend.
import { create } from 'zustand';
import { createJSONStorage, persist } from 'zustand/middleware';
import {
  MAX_PENS,
  type TrendDefinition,
  type TrendPen,
  type TrendPreset,
  type TrendRange,
} from '../../../common/trend-definition.ts';
import { nextColor } from '../pages/trend-data.ts';

export interface OpenTrendSet {
  id: string;
  name: string;
}

interface TrendState {
  pens: TrendPen[];
  range: TrendRange;
  /** the ranges before each zoom or pan, oldest first */
  history: TrendRange[];
  openSet: OpenTrendSet | null;
  /** adds tags as pens (each in the first free colour); tags already drawn are left as they are */
  addPens(tagIds: readonly string[]): { added: number; refused: number };
  removePen(tagId: string): void;
  /** a preset, live or custom range chosen by the user: zoom history starts again */
  setRange(range: TrendRange): void;
  setPreset(preset: TrendPreset): void;
  setLive(live: boolean): void;
  /** shows [fromMs, toMs] (a zoom or a pan); Back returns to the range before */
  showWindow(fromMs: number, toMs: number): void;
  back(): void;
  /** the range before the first zoom or pan */
  reset(): void;
  open(set: OpenTrendSet, definition: TrendDefinition): void;
  setOpenSet(set: OpenTrendSet | null): void;
}

const DEFAULT_RANGE: TrendRange = { mode: 'live', preset: '15m' };

export const useTrend = create<TrendState>()(
  persist(
    (set, get) => ({
      pens: [],
      range: DEFAULT_RANGE,
      history: [],
      openSet: null,
      addPens(tagIds) {
        const pens = [...get().pens];
        let added = 0;
        let refused = 0;
        for (const tagId of tagIds) {
          if (pens.some((pen) => pen.tagId === tagId)) continue;
          if (pens.length >= MAX_PENS) {
            refused++;
            continue;
          }
          pens.push({ tagId, color: nextColor(pens.map((pen) => pen.color)) });
          added++;
        }
        set({ pens });
        return { added, refused };
      },
      removePen(tagId) {
        set({ pens: get().pens.filter((pen) => pen.tagId !== tagId) });
      },
      setRange(range) {
        set({ range, history: [] });
      },
      setPreset(preset) {
        get().setRange({ mode: get().range.mode === 'live' ? 'live' : 'preset', preset });
      },
      setLive(live) {
        const { range } = get();
        const preset = range.mode === 'custom' ? '15m' : range.preset;
        get().setRange({ mode: live ? 'live' : 'preset', preset });
      },
      showWindow(fromMs, toMs) {
        const { range, history } = get();
        set({
          range: { mode: 'custom', fromMs: Math.round(fromMs), toMs: Math.round(toMs) },
          history: [...history, range],
        });
      },
      back() {
        const history = [...get().history];
        const previous = history.pop();
        if (previous) set({ range: previous, history });
      },
      reset() {
        const [first] = get().history;
        if (first) set({ range: first, history: [] });
      },
      open(openSet, definition) {
        set({ openSet, pens: definition.pens, range: definition.range, history: [] });
      },
      setOpenSet(openSet) {
        set({ openSet });
      },
    }),
    {
      name: 'gateway.trend',
      storage: createJSONStorage(() => sessionStorage),
      partialize: ({ pens, range, openSet }) => ({ pens, range, openSet }),
    },
  ),
);
