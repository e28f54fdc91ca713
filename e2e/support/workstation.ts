// What the UI specs share: a served workstation (npm run serve's build, demo profile, a fresh
// data folder), its first administrator made over the API, signing in through the page, and
// screenshots of every screen under test-results/screenshots/.
import { expect, type Page } from '@playwright/test';
import { wsApiClient } from '../../test/ws-api-client.ts';
import { startHeadlessServer, type HeadlessServer } from './headless-server.ts';

export const ADMIN = { username: 'chief', password: 'plant floor passphrase' };

export interface Workstation {
  server: HeadlessServer;
  /** an API client signed in as the administrator, for arranging what a spec needs */
  admin: ReturnType<typeof wsApiClient>['api'];
  /** a new API client signed in as `username` */
  clientFor(username: string, password: string): Promise<ReturnType<typeof wsApiClient>>;
  stop(): Promise<void>;
}

/** Starts the server with the demo profile and creates the first administrator over the API. */
export async function startWorkstation(): Promise<Workstation> {
  const server = await startHeadlessServer(['--demo']);
  const clients: Array<ReturnType<typeof wsApiClient>> = [];
  const adminClient = wsApiClient({ baseUrl: server.url });
  clients.push(adminClient);
  await adminClient.api.auth.setup.mutate({ ...ADMIN, fullName: 'Chief Engineer' });
  return {
    server,
    admin: adminClient.api,
    async clientFor(username, password) {
      const client = wsApiClient({ baseUrl: server.url });
      clients.push(client);
      await client.api.auth.login.mutate({ username, password });
      return client;
    },
    async stop() {
      for (const client of clients) client.close();
      expect(await server.stop()).toBe(0);
    },
  };
}

export async function signIn(page: Page, url: string, username: string, password: string): Promise<void> {
  await page.goto(url);
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  await page.getByRole('textbox', { name: 'Username', exact: true }).fill(username);
  await page.getByRole('textbox', { name: 'Password', exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  // scrypt on a busy machine can take a while
  await expect(page.getByTestId('current-user')).toContainText(username, { timeout: 30_000 });
}

/** Saves a screenshot of the whole page; every screen of the suite ends up in one folder. */
export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: `test-results/screenshots/${name}.png`, fullPage: false });
}

/** Opens a screen from the navigation. */
export async function openScreen(page: Page, name: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Screens' }).getByRole('button', { name, exact: true }).click();
}
