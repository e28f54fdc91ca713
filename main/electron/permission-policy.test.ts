import { describe, expect, it } from 'vitest';
import { APP_ORIGIN } from './app-origin.ts';
import { isPermissionGranted } from './permission-policy.ts';

const origins = [APP_ORIGIN];

describe('isPermissionGranted', () => {
  it('denies every device, sensor and media permission', () => {
    for (const permission of [
      'media',
      'geolocation',
      'notifications',
      'midi',
      'midiSysex',
      'serial',
      'usb',
      'hid',
      'fullscreen',
      'openExternal',
      'pointerLock',
      'display-capture',
      'clipboard-read',
      'idle-detection',
      'unknown',
    ]) {
      expect(isPermissionGranted(permission, 'app://renderer/index.html', origins), permission).toBe(false);
    }
  });

  it('lets the app’s own pages write plain text to the clipboard, and nobody else', () => {
    expect(isPermissionGranted('clipboard-sanitized-write', 'app://renderer/index.html', origins)).toBe(true);
    expect(isPermissionGranted('clipboard-sanitized-write', 'app://renderer', origins)).toBe(true);
    expect(isPermissionGranted('clipboard-sanitized-write', 'https://evil.example/', origins)).toBe(false);
    expect(isPermissionGranted('clipboard-sanitized-write', undefined, origins)).toBe(false);
  });
});
