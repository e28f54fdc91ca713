// Playwright never downloads a browser here: the suite drives Debian's Chromium.
import { existsSync } from 'node:fs';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export function chromiumExecutable(): string {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `Chromium not found at ${CHROMIUM_PATH}: install the Debian package "chromium" (scripts/install-test-deps.sh) or set CHROMIUM_PATH`,
    );
  }
  return CHROMIUM_PATH;
}
