import { describe, expect, it } from 'vitest';
import { APP_ORIGIN } from './app-origin.ts';
import { decideNavigation, decideWindowOpen, EXTERNAL_LINK_HOSTS, externalLinkTarget } from './navigation-policy.ts';

const policy = { appOrigins: [APP_ORIGIN], externalHosts: ['github.com', 'docs.example.org'] };

describe('externalLinkTarget', () => {
  it('passes https links to allowed hosts, normalized', () => {
    expect(externalLinkTarget('https://github.com/gateway/issues?q=1#top', policy.externalHosts)).toBe(
      'https://github.com/gateway/issues?q=1#top',
    );
    expect(externalLinkTarget('https://GitHub.com./x', policy.externalHosts)).toBe('https://github.com./x');
    expect(externalLinkTarget('https://docs.example.org', policy.externalHosts)).toBe('https://docs.example.org/');
  });

  it('refuses every other scheme, host, port or embedded credential', () => {
    for (const url of [
      'http://github.com/',
      'file:///C:/Windows/System32/calc.exe',
      'smb://server/share',
      'javascript:alert(1)',
      'ms-msdt:/id PCWDiagnostic',
      'vscode://open?file=x',
      'https://evil.example/',
      'https://github.com.evil.example/',
      'https://evilgithub.com/',
      'https://user:pass@github.com/',
      'https://github.com@evil.example/',
      'https://github.com:8443/',
      'not a url',
      '',
    ]) {
      expect(externalLinkTarget(url, policy.externalHosts), url).toBeUndefined();
    }
  });

  it('ships with an explicit, short list of hosts', () => {
    expect(EXTERNAL_LINK_HOSTS).toEqual(['github.com']);
  });
});

describe('decideNavigation', () => {
  it('lets the window move between the app’s own pages', () => {
    expect(decideNavigation('app://renderer/tags', policy)).toEqual({ allow: true });
  });

  it('keeps the window on the app and sends allowed links to the browser', () => {
    expect(decideNavigation('https://github.com/x', policy)).toEqual({
      allow: false,
      openExternally: 'https://github.com/x',
    });
    expect(decideNavigation('https://evil.example/', policy)).toEqual({ allow: false });
    expect(decideNavigation('file:///etc/passwd', policy)).toEqual({ allow: false });
    expect(decideNavigation('app://elsewhere/index.html', policy)).toEqual({ allow: false });
  });
});

describe('decideWindowOpen', () => {
  it('never opens a new window, not even for the app’s own pages', () => {
    expect(decideWindowOpen('app://renderer/index.html', policy)).toEqual({ allow: false });
    expect(decideWindowOpen('https://github.com/x', policy)).toEqual({
      allow: false,
      openExternally: 'https://github.com/x',
    });
    expect(decideWindowOpen('about:blank', policy)).toEqual({ allow: false });
  });
});
