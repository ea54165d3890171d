import { existsSync } from 'node:fs';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../webhooks/harness.js';
import { consoleFixture, operatorToken } from './console-fixture.js';

// The console's page in headless Chromium (Debian's package, driven by playwright-core): an
// operator clicks list → inspect → select → redeliver → confirm, then the store is checked; one
// action is done with the keyboard only; an endpoint is disabled and enabled; no secret shows.
const executablePath = '/usr/bin/chromium';
const present = existsSync(executablePath);
if (!present)
  console.warn(`skipping the console browser tests: ${executablePath} is missing (apt-get install chromium)`);

describe.skipIf(!present)('the operator console in headless Chromium', () => {
  let fixture: Awaited<ReturnType<typeof consoleFixture>>;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const seen: string[] = [];
  const problems: string[] = [];

  beforeAll(async () => {
    fixture = await consoleFixture({ events: 3 });
    browser = await chromium.launch({ executablePath, args: ['--no-sandbox'] });
    context = await browser.newContext({ extraHTTPHeaders: { authorization: `Bearer ${operatorToken}` } });
    page = await context.newPage();
    page.on('pageerror', (error) => problems.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`${message.text()} (${message.location().url})`);
    });
    page.on('response', (response) => {
      void response.text().then(
        (text) => seen.push(text),
        () => undefined,
      );
    });
  });
  afterAll(async () => {
    await (browser as Browser | undefined)?.close();
    await (fixture as typeof fixture | undefined)?.close();
  });

  const heading = (): Promise<string | null> => page.locator('h1').textContent();

  it('goes from the list to an entry with its attempts, then redelivers a selection confirmed in the dialog', async () => {
    await page.goto(`${fixture.url}/`);
    await page.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();
    await page.getByRole('link', { name: 'Undelivered of webhooks' }).click();
    await page.getByRole('heading', { level: 1, name: 'Undelivered · webhooks' }).waitFor();
    expect(await page.locator('tbody tr').count()).toBe(3);

    const [first, second, third] = fixture.deliveryIds as [string, string, string];
    await page.getByRole('link', { name: first }).click();
    await page.getByRole('heading', { level: 1, name: `Entry ${first}` }).waitFor();
    expect(await page.locator('dd').allTextContents()).toEqual(
      expect.arrayContaining(['undelivered', fixture.target.url, '2']),
    );
    const attempts = page.getByRole('table', { name: 'Attempts' }).locator('tbody tr');
    expect(await attempts.count()).toBe(2);
    expect(await attempts.first().textContent()).toContain('500');
    expect(await attempts.first().textContent()).toContain('receiver down for maintenance');

    await page.getByRole('link', { name: 'Back to webhooks' }).click();
    await page.getByRole('checkbox', { name: `Select ${first}` }).check();
    await page.getByRole('checkbox', { name: `Select ${second}` }).check();
    await page.getByRole('button', { name: 'Redeliver selected (2)' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    expect(await dialog.textContent()).toContain('2 selected entries');
    fixture.state.fixed = true;
    await dialog.getByRole('button', { name: 'Confirm' }).click();
    await page.getByRole('status').filter({ hasText: 'redeliver: 2 entries.' }).waitFor();

    for (const id of [first, second]) {
      await eventually(async () => (await fixture.hooks.dispatcher.outbox.getEntry(id))?.state === 'delivered');
    }
    expect((await fixture.hooks.dispatcher.outbox.getEntry(third))?.state).toBe('undelivered');
    expect(fixture.logger.lines).toContainEqual(
      expect.objectContaining({
        level: 'info',
        object: expect.objectContaining({
          operator: expect.objectContaining({ name: 'alice' }),
          action: 'redeliver',
          count: 2,
        }),
      }),
    );
    expect(await page.locator('tbody tr').count()).toBe(1);
  });

  it('purges an entry with the keyboard only (Tab, Space, Enter)', async () => {
    const third = fixture.deliveryIds[2]!;
    await page.goto(`${fixture.url}/#/outbox/webhooks/undelivered`);
    await page.getByRole('heading', { level: 1, name: 'Undelivered · webhooks' }).waitFor();
    const focused = async (): Promise<string> => {
      const element = page.locator(':focus');
      if ((await element.count()) === 0) return '';
      return `${(await element.getAttribute('aria-label')) ?? ''}|${(await element.textContent()) ?? ''}`;
    };
    const tabUntil = async (wanted: string, key: 'Tab' | 'Shift+Tab'): Promise<void> => {
      for (let presses = 0; presses < 60 && !(await focused()).includes(wanted); presses += 1)
        await page.keyboard.press(key);
      expect(await focused()).toContain(wanted);
    };
    await tabUntil(`Select ${third}`, 'Tab');
    await page.keyboard.press('Space');
    await tabUntil('Purge selected (1)', 'Shift+Tab');
    await page.keyboard.press('Enter');
    await page.getByRole('dialog').waitFor();
    expect(await focused()).toContain('Cancel');
    await page.keyboard.press('Tab');
    expect(await focused()).toContain('Confirm');
    await page.keyboard.press('Enter');
    await page.getByRole('status').filter({ hasText: 'purge: 1 entries.' }).waitFor();
    expect(await fixture.hooks.dispatcher.outbox.getEntry(third)).toBeUndefined();
    expect(fixture.logger.lines.at(-1)?.object).toMatchObject({ action: 'purge', selection: { ids: [third] } });
  });

  it('disables and enables an endpoint', async () => {
    const { id } = fixture.subscription;
    await page.getByRole('link', { name: 'Endpoints' }).click();
    await page.getByRole('heading', { level: 1, name: 'Webhook endpoints' }).waitFor();
    await page.getByRole('button', { name: `Disable ${id}` }).click();
    await page.getByRole('dialog').getByLabel('Reason (logged)').fill('maintenance window');
    await page.getByRole('dialog').getByRole('button', { name: 'Confirm' }).click();
    await page.getByRole('button', { name: `Enable ${id}` }).waitFor();
    const stored = await fixture.hooks.subscriptions.get(id);
    expect(stored.active).toBe(false);
    expect(stored.disabled?.reason).toBe('maintenance window');
    expect(await page.locator('tbody').textContent()).toContain('maintenance window');

    await page.getByRole('button', { name: `Enable ${id}` }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Confirm' }).click();
    await page.getByRole('button', { name: `Disable ${id}` }).waitFor();
    expect((await fixture.hooks.subscriptions.get(id)).active).toBe(true);
  });

  it('shows no secret, runs under its content security policy without errors, and refuses a browser without credentials', async () => {
    await page.getByRole('button', { name: `Rotate secret of ${fixture.subscription.id}` }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Confirm' }).click();
    await page.getByRole('status').filter({ hasText: 'rotate: rotated.' }).waitFor();
    const rotated = (await fixture.hooks.subscriptions.get(fixture.subscription.id)).secret;
    const rendered = [await page.content()];
    for (const route of ['#/', '#/outbox/webhooks/undelivered', `#/outbox/webhooks/entry/${fixture.deliveryIds[0]!}`]) {
      await page.goto(`${fixture.url}/${route}`);
      await page.locator('h1').waitFor();
      rendered.push(await page.content());
    }
    for (const secret of [...fixture.secrets, rotated]) {
      for (const text of [...rendered, ...seen]) expect(text).not.toContain(secret);
    }
    expect(problems).toEqual([]);
    expect(await heading()).toContain('Entry');

    const stranger = await browser.newContext();
    const strangerPage = await stranger.newPage();
    const answer = await strangerPage.goto(`${fixture.url}/`);
    expect(answer?.status()).toBe(401);
    expect(await strangerPage.locator('table').count()).toBe(0);
    await stranger.close();
  });
});
