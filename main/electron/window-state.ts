// The main window's size and place, remembered between runs in a small JSON file in the user's
// app-data folder. What comes back from the file is validated and fitted to the displays that
// exist now: a laptop undocked from its second monitor must not open its window off-screen.
import { readFile, rename, writeFile } from 'node:fs/promises';
import { z } from 'zod';

export interface Rectangle {
  x: number;
  y: number;
  width: number;
  height: number;
}

export const windowStateSchema = z.object({
  x: z.number().int(),
  y: z.number().int(),
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  maximized: z.boolean(),
});

export type WindowState = z.infer<typeof windowStateSchema>;

export interface WindowPlacement {
  /** absent: let the OS center the window */
  x?: number;
  y?: number;
  width: number;
  height: number;
  maximized: boolean;
}

export const DEFAULT_WINDOW_SIZE = { width: 1400, height: 900 } as const;

/** At least this much of the title bar must be on a display for a saved position to be kept. */
const MIN_VISIBLE = { width: 120, height: 40 } as const;

function overlap(a: Rectangle, b: Rectangle): Rectangle {
  const x = Math.max(a.x, b.x);
  const y = Math.max(a.y, b.y);
  return {
    x,
    y,
    width: Math.max(0, Math.min(a.x + a.width, b.x + b.width) - x),
    height: Math.max(0, Math.min(a.y + a.height, b.y + b.height) - y),
  };
}

function fitSize(width: number, height: number, area: Rectangle, min: { width: number; height: number }) {
  return {
    width: Math.min(Math.max(width, Math.min(min.width, area.width)), area.width),
    height: Math.min(Math.max(height, Math.min(min.height, area.height)), area.height),
  };
}

/**
 * Where to open the window, given the saved state (if any) and the work areas of the displays
 * connected now (`screen.getAllDisplays().map(d => d.workArea)`, primary first).
 */
export function placeWindow(
  saved: WindowState | undefined,
  workAreas: readonly Rectangle[],
  minSize: { width: number; height: number },
): WindowPlacement {
  const primary = workAreas[0];
  if (!primary) return { ...DEFAULT_WINDOW_SIZE, maximized: false };
  if (!saved)
    return { ...fitSize(DEFAULT_WINDOW_SIZE.width, DEFAULT_WINDOW_SIZE.height, primary, minSize), maximized: false };

  // The display holding most of the title bar, if enough of it is visible to grab.
  const titleBar = { x: saved.x, y: saved.y, width: saved.width, height: MIN_VISIBLE.height };
  let best: { area: Rectangle; visible: Rectangle } | undefined;
  for (const area of workAreas) {
    const visible = overlap(titleBar, area);
    if (!best || visible.width * visible.height > best.visible.width * best.visible.height) best = { area, visible };
  }
  if (!best || best.visible.width < MIN_VISIBLE.width || best.visible.height < MIN_VISIBLE.height / 2) {
    // Off every display: keep the size (fitted), let the OS center it on the primary display.
    return { ...fitSize(saved.width, saved.height, primary, minSize), maximized: saved.maximized };
  }
  const { area } = best;
  const size = fitSize(saved.width, saved.height, area, minSize);
  // Pull the window fully inside the display it is on.
  const x = Math.min(Math.max(saved.x, area.x), area.x + area.width - size.width);
  const y = Math.min(Math.max(saved.y, area.y), area.y + area.height - size.height);
  return { x, y, ...size, maximized: saved.maximized };
}

/** The saved state, or undefined when there is none or it is not valid (the caller logs why). */
export async function readWindowState(file: string): Promise<{ state?: WindowState; problem?: string }> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    return { problem: `cannot read ${file}: ${(error as Error).message}` };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { problem: `${file} is not JSON` };
  }
  const parsed = windowStateSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { problem: `${file}: ${issue?.path.join('.') || 'state'}: ${issue?.message}` };
  }
  return { state: parsed.data };
}

/** Written to a temporary file and renamed over the old one, so a crash never leaves half a file. */
export async function writeWindowState(file: string, state: WindowState): Promise<void> {
  const valid = windowStateSchema.parse(state);
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify(valid, null, 2)}\n`);
  await rename(temporary, file);
}
