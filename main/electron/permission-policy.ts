// Which web permissions the renderer gets. The window is an operator's console, not a browser:
// no camera, microphone, geolocation, notifications, MIDI, Web Serial/USB/HID (the main process
// opens serial ports itself), no fullscreen API, nothing. The one exception is writing plain text
// to the clipboard (copying a tag address or a value), asked for by the app's own pages only.
import { isAppUrl } from './app-origin.ts';

export const GRANTED_PERMISSIONS: ReadonlySet<string> = new Set(['clipboard-sanitized-write']);

/**
 * @param requestingUrl the URL or origin of the frame that asks (Electron gives one or the other)
 * @param appOrigins the app's own origins
 */
export function isPermissionGranted(
  permission: string,
  requestingUrl: string | undefined,
  appOrigins: readonly string[],
): boolean {
  if (!GRANTED_PERMISSIONS.has(permission)) return false;
  return requestingUrl !== undefined && isAppUrl(requestingUrl, appOrigins);
}
