// What the desktop window may navigate to and open. The window shows the app's own pages and
// nothing else: no navigation away, no new windows. A link to the outside opens in the user's
// browser, and only when it parses as an https URL to a host on the allow-list, so a compromised
// or confused page cannot launch file://, smb://, javascript: or a custom protocol handler.
import { isAppUrl } from './app-origin.ts';

/** Hosts the app links to (documentation, the project page). Add one here when the UI needs it. */
export const EXTERNAL_LINK_HOSTS: readonly string[] = ['github.com'];

export interface NavigationPolicy {
  /** origins of the app's own pages: app://renderer, plus the dev server in development */
  appOrigins: readonly string[];
  externalHosts: readonly string[];
}

export interface NavigationDecision {
  allow: boolean;
  /** the URL to hand to the OS browser instead, when the target is an allowed external link */
  openExternally?: string;
}

/** The normalized https URL to open in the OS browser, or undefined when the link is not allowed. */
export function externalLinkTarget(url: string, externalHosts: readonly string[]): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (parsed.protocol !== 'https:') return undefined;
  if (parsed.username !== '' || parsed.password !== '') return undefined;
  if (parsed.port !== '') return undefined;
  const host = parsed.hostname.toLowerCase().replace(/\.$/, '');
  if (!externalHosts.includes(host)) return undefined;
  return parsed.href;
}

function external(url: string, policy: NavigationPolicy): NavigationDecision {
  const target = externalLinkTarget(url, policy.externalHosts);
  return target === undefined ? { allow: false } : { allow: false, openExternally: target };
}

/** A navigation of the window (link click, location change, redirect). */
export function decideNavigation(url: string, policy: NavigationPolicy): NavigationDecision {
  if (isAppUrl(url, policy.appOrigins)) return { allow: true };
  return external(url, policy);
}

/** window.open or a target=_blank link: never a new Electron window. */
export function decideWindowOpen(url: string, policy: NavigationPolicy): NavigationDecision {
  return external(url, policy);
}
