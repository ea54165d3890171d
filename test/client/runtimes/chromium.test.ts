import { existsSync, readFileSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  browserConditions,
  owningPackage,
  resolvePackageEntry,
  walkImportGraph,
  workspaceRoot,
} from './browser-resolution.js';
import type { ScenarioReport } from './client-scenarios.js';
import { expectNodeOutcomes, startScenarioServer, type ScenarioServer } from './scenario-server.js';

// The BUILT client in headless Chromium (Debian's package, driven by playwright-core; nothing is
// downloaded): the page loads packages/client/dist, core's dist, zod and uuid as ES modules
// through an import map made from their `exports` and `imports` under the browser condition (no
// bundler), and calls the events route of the origin that served it.
const executablePath = '/usr/bin/chromium';
const present = existsSync(executablePath);
if (!present)
  console.warn(`skipping the browser client tests: ${executablePath} is missing (apt-get install chromium)`);

const clientDirectory = join(workspaceRoot, 'packages', 'client');
const scenariosSource = join(import.meta.dirname, 'client-scenarios.ts');

/** The URL a module file is served at. */
function moduleUrl(file: string): string {
  return `/modules${file}`;
}

/** The page's import map: each package import the graph followed, `#…` imports scoped to their package. */
function importMap(files: Set<string>): string {
  const graph = walkImportGraph(resolvePackageEntry(clientDirectory, '.', browserConditions), browserConditions);
  if (graph.forbidden.length > 0) throw new Error(`the browser build imports ${JSON.stringify(graph.forbidden)}`);
  for (const file of graph.files) files.add(file);
  const imports: Record<string, string> = {};
  const scopes: Record<string, Record<string, string>> = {};
  imports['@events-protocol/client'] = moduleUrl(graph.files[0]!);
  for (const { from, specifier, file } of graph.packageImports) {
    if (specifier.startsWith('#')) {
      const scope = `${moduleUrl(owningPackage(from))}/`;
      (scopes[scope] ??= {})[specifier] = moduleUrl(file);
    } else imports[specifier] ??= moduleUrl(file);
  }
  return JSON.stringify({ imports, scopes });
}

function page(map: string, unreachableUrl: string): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>client scenarios</title>
<script type="importmap">${map}</script>
<script type="module">
import { runClientScenarios } from '/scenarios/client-scenarios.js';
window.scenarioReport = runClientScenarios({ url: new URL('/events', location.href).href, unreachableUrl: ${JSON.stringify(unreachableUrl)} })
  .then((report) => JSON.stringify(report), (error) => 'FAILED ' + (error && error.stack || error));
</script></head><body></body></html>`;
}

function send(response: ServerResponse, status: number, type: string, body: string): void {
  response.writeHead(status, { 'content-type': `${type}; charset=utf-8` });
  response.end(body);
}

describe.skipIf(!present)('the client in headless Chromium', () => {
  let server: ScenarioServer;
  let browser: Browser;
  const served = new Set<string>();
  let html = '';

  beforeAll(async () => {
    if (!existsSync(join(clientDirectory, 'dist', 'index.js'))) {
      throw new Error('build the client first: npx tsc -b packages/client');
    }
    const map = importMap(served);
    const scenarios = ts.transpileModule(readFileSync(scenariosSource, 'utf8'), {
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2023, verbatimModuleSyntax: true },
    }).outputText;
    server = await startScenarioServer((request, response) => {
      const path = new URL(request.url ?? '/', 'http://page').pathname;
      if (path === '/') return send(response, 200, 'text/html', html);
      if (path === '/scenarios/client-scenarios.js') return send(response, 200, 'text/javascript', scenarios);
      const file = path.slice('/modules'.length);
      if (path.startsWith('/modules/') && served.has(file)) {
        return send(response, 200, 'text/javascript', readFileSync(file, 'utf8'));
      }
      send(response, 404, 'text/plain', 'not found');
    });
    html = page(map, server.unreachableUrl);
    browser = await chromium.launch({
      executablePath,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
  });
  afterAll(async () => {
    await browser.close();
    await server[Symbol.asyncDispose]();
  });

  it('loads the built client as ES modules, chooses fetch and gives the outcomes of Node', async () => {
    const tab = await browser.newPage();
    const problems: string[] = [];
    tab.on('pageerror', (error) => problems.push(error.message));
    // A module that failed to load shows as a status; the refused connection of the unreachable
    // scenario and the browser's own favicon request are expected.
    tab.on('response', (response) => {
      if (response.status() >= 400 && !response.url().endsWith('/favicon.ico')) {
        problems.push(`${response.status()} for ${response.url()}`);
      }
    });
    await tab.goto(`${server.server.origin}/`);
    await tab
      .waitForFunction(() => 'scenarioReport' in globalThis, undefined, { timeout: 30_000 })
      .catch((error: unknown) => {
        throw new Error(`the page did not run: ${problems.join('; ')}`, { cause: error });
      });
    const text = await tab.evaluate(
      () => (globalThis as unknown as { scenarioReport: Promise<string> }).scenarioReport,
    );
    expect(problems).toEqual([]);
    expect(text.startsWith('FAILED')).toBe(false);
    const report = JSON.parse(text) as ScenarioReport;
    expect(report.runtime).toBe('browser');
    expect(report.transport).toBe('FetchTransport');
    expectNodeOutcomes(report, server);
    // A browser does not say why a fetch failed (a CORS refusal looks the same): no phase.
    expect(report.unreachable.phase).toBeUndefined();
    // Only built files were loaded: the client's, core's, zod's and uuid's.
    expect([...served].every((file) => file.includes('/dist/') || !file.startsWith(workspaceRoot + '/packages'))).toBe(
      true,
    );
    console.log(`chromium: timeout of ${report.timeout.budgetMs} ms reported after ${report.timeout.elapsedMs} ms`);
    await tab.close();
  });
});
