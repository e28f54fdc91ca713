import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_WINDOW_SIZE, placeWindow, readWindowState, writeWindowState } from './window-state.ts';

const MIN = { width: 800, height: 560 };
const laptop = { x: 0, y: 0, width: 1920, height: 1040 };
const rightMonitor = { x: 1920, y: 0, width: 2560, height: 1400 };

describe('placeWindow', () => {
  it('opens at the default size, centered by the OS, the first time', () => {
    expect(placeWindow(undefined, [laptop], MIN)).toEqual({ ...DEFAULT_WINDOW_SIZE, maximized: false });
  });

  it('keeps a saved place that is still on a display', () => {
    const saved = { x: 2000, y: 50, width: 1600, height: 1000, maximized: false };
    expect(placeWindow(saved, [laptop, rightMonitor], MIN)).toEqual(saved);
    expect(placeWindow({ ...saved, maximized: true }, [laptop, rightMonitor], MIN).maximized).toBe(true);
  });

  it('brings back a window left on a monitor that is gone', () => {
    const saved = { x: 2000, y: 50, width: 1600, height: 1000, maximized: false };
    expect(placeWindow(saved, [laptop], MIN)).toEqual({ width: 1600, height: 1000, maximized: false });
  });

  it('pulls a window that hangs over the edge fully onto its display', () => {
    expect(placeWindow({ x: 1500, y: 600, width: 1000, height: 800, maximized: false }, [laptop], MIN)).toEqual({
      x: 920,
      y: 240,
      width: 1000,
      height: 800,
      maximized: false,
    });
    expect(placeWindow({ x: -300, y: -20, width: 1000, height: 800, maximized: false }, [laptop], MIN)).toMatchObject({
      x: 0,
      y: 0,
    });
  });

  it('shrinks a window larger than its display and never below the minimum that fits', () => {
    const small = { x: 0, y: 0, width: 1280, height: 680 };
    expect(placeWindow({ x: 0, y: 0, width: 3000, height: 2000, maximized: false }, [small], MIN)).toEqual({
      x: 0,
      y: 0,
      width: 1280,
      height: 680,
      maximized: false,
    });
    expect(placeWindow({ x: 10, y: 10, width: 200, height: 100, maximized: false }, [laptop], MIN)).toMatchObject({
      width: 800,
      height: 560,
    });
    const tiny = { x: 0, y: 0, width: 640, height: 480 };
    expect(placeWindow({ x: 0, y: 0, width: 200, height: 100, maximized: false }, [tiny], MIN)).toMatchObject({
      width: 640,
      height: 480,
    });
  });

  it('treats a title bar only barely on screen as off screen', () => {
    expect(placeWindow({ x: 1900, y: 100, width: 1200, height: 800, maximized: false }, [laptop], MIN)).toEqual({
      width: 1200,
      height: 800,
      maximized: false,
    });
  });

  it('falls back to the default size when no display is reported', () => {
    expect(placeWindow({ x: 0, y: 0, width: 900, height: 700, maximized: true }, [], MIN)).toEqual({
      ...DEFAULT_WINDOW_SIZE,
      maximized: false,
    });
  });
});

describe('window state file', () => {
  let folder: string;
  beforeEach(async () => {
    folder = await mkdtemp(path.join(os.tmpdir(), 'gw-window-state-'));
  });
  afterEach(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  it('round-trips through an atomic write', async () => {
    const file = path.join(folder, 'window-state.json');
    const state = { x: 10, y: 20, width: 1300, height: 800, maximized: true };
    await writeWindowState(file, state);
    expect(await readWindowState(file)).toEqual({ state });
    expect(await readdir(folder)).toEqual(['window-state.json']);
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual(state);
  });

  it('has nothing to say when there is no file yet', async () => {
    expect(await readWindowState(path.join(folder, 'missing.json'))).toEqual({});
  });

  it('names what is wrong with a damaged or edited file, and gives no state', async () => {
    const file = path.join(folder, 'window-state.json');
    await writeFile(file, '{"x": 10, "y": 20, "wid');
    expect(await readWindowState(file)).toEqual({ problem: `${file} is not JSON` });
    await writeFile(file, JSON.stringify({ x: 10, y: 20, width: -5, height: 800, maximized: false }));
    expect(await readWindowState(file)).toEqual({ problem: expect.stringContaining(`${file}: width:`) });
    await writeFile(file, JSON.stringify({ x: 'left', y: 20, width: 900, height: 800, maximized: false }));
    expect((await readWindowState(file)).problem).toContain(': x:');
  });

  it('refuses to write a state that would not read back', async () => {
    await expect(
      writeWindowState(path.join(folder, 'w.json'), { x: 1.5, y: 0, width: 10, height: 10, maximized: false }),
    ).rejects.toThrow();
    expect(await readdir(folder)).toEqual([]);
  });
});
