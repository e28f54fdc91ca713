// Signal shapes for simulated registers: sine, ramp, random walk, step and fixed values. Each
// waveform becomes a sampler: a function of the time since the simulator started.

export type Waveform =
  | { kind: 'sine'; amplitude: number; offset?: number; periodMs: number; phaseDeg?: number }
  | { kind: 'ramp'; min: number; max: number; periodMs: number }
  | { kind: 'randomWalk'; start: number; step: number; min: number; max: number; seed?: number }
  | { kind: 'step'; values: Array<number | boolean>; intervalMs: number }
  | { kind: 'fixed'; value: number | boolean | string };

export type SampleValue = number | boolean | string;
export type Sampler = (elapsedMs: number) => SampleValue;

/** mulberry32: a small seeded PRNG, so that a random walk repeats run after run. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function sampler(waveform: Waveform): Sampler {
  switch (waveform.kind) {
    case 'sine': {
      const phase = ((waveform.phaseDeg ?? 0) * Math.PI) / 180;
      return (t) =>
        (waveform.offset ?? 0) + waveform.amplitude * Math.sin((2 * Math.PI * t) / waveform.periodMs + phase);
    }
    case 'ramp':
      return (t) => waveform.min + ((waveform.max - waveform.min) * (t % waveform.periodMs)) / waveform.periodMs;
    case 'randomWalk': {
      const random = seededRandom(waveform.seed ?? 1);
      let value = waveform.start;
      return () => {
        value = Math.min(waveform.max, Math.max(waveform.min, value + (random() * 2 - 1) * waveform.step));
        return value;
      };
    }
    case 'step':
      return (t) => waveform.values[Math.floor(t / waveform.intervalMs) % waveform.values.length] ?? 0;
    case 'fixed':
      return () => waveform.value;
  }
}
