// Which screen is open, mirrored in the address's hash (#/devices) so that a reload, the back
// button and a bookmark all land on the same screen.
import { create } from 'zustand';
import { PAGES, type Page } from './page-names.ts';

export type { Page };

function pageFromHash(): Page {
  const name = location.hash.replace(/^#\/?/, '').split('?')[0];
  return (PAGES as readonly string[]).includes(name ?? '') ? (name as Page) : 'overview';
}

interface NavigationState {
  page: Page;
  go(page: Page): void;
}

export const useNavigation = create<NavigationState>()((set) => ({
  page: pageFromHash(),
  go(page) {
    if (location.hash !== `#/${page}`) location.hash = `#/${page}`;
    set({ page });
  },
}));

window.addEventListener('hashchange', () => useNavigation.setState({ page: pageFromHash() }));
