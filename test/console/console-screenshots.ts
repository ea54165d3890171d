/**
 * Writes the screenshots of docs/console/ from a running console over real failed deliveries
 * (the tests' fixture: a receiver answering 500, deliveries that exhausted their attempts):
 *
 *   node --import tsx --conditions=@events-protocol/source test/console/console-screenshots.ts
 */
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { consoleFixture, operatorToken } from './console-fixture.js';

const output = fileURLToPath(new URL('../../docs/console/', import.meta.url));
await mkdir(output, { recursive: true });
await using fixture = await consoleFixture({ events: 4 });
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
try {
  const context = await browser.newContext({
    viewport: { width: 1280, height: 720 },
    extraHTTPHeaders: { authorization: `Bearer ${operatorToken}` },
    colorScheme: 'light',
  });
  const page = await context.newPage();
  const shot = async (name: string): Promise<void> => {
    await page.screenshot({ path: `${output}${name}.png` });
    process.stdout.write(`wrote docs/console/${name}.png\n`);
  };
  await page.goto(`${fixture.url}/`);
  await page.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();
  await shot('overview');
  await page.getByRole('link', { name: 'Undelivered of webhooks' }).click();
  await page.getByRole('heading', { level: 1, name: 'Undelivered · webhooks' }).waitFor();
  await page.getByRole('checkbox', { name: `Select ${fixture.deliveryIds[0]!}` }).check();
  await page.getByRole('checkbox', { name: `Select ${fixture.deliveryIds[1]!}` }).check();
  await shot('undelivered');
  await page.getByRole('button', { name: 'Redeliver selected (2)' }).click();
  await page.getByRole('dialog').waitFor();
  await shot('confirm');
  await page.getByRole('button', { name: 'Cancel' }).click();
  await page.getByRole('link', { name: fixture.deliveryIds[0]! }).click();
  await page.getByRole('heading', { level: 1, name: `Entry ${fixture.deliveryIds[0]!}` }).waitFor();
  await shot('entry');
  await page.getByRole('link', { name: 'Endpoints' }).click();
  await page.getByRole('heading', { level: 1, name: 'Webhook endpoints' }).waitFor();
  await shot('endpoints');
} finally {
  await browser.close();
}
