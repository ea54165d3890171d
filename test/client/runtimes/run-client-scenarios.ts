import { runClientScenarios } from './client-scenarios.js';

// The entry Bun and Deno run: the target from the environment, the report as one JSON line.
const environment = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env ?? {};
const url = environment['SCENARIO_EVENTS_URL'];
const unreachableUrl = environment['SCENARIO_UNREACHABLE_URL'];
if (url === undefined || unreachableUrl === undefined)
  throw new Error('set SCENARIO_EVENTS_URL and SCENARIO_UNREACHABLE_URL');
const report = await runClientScenarios({
  url,
  unreachableUrl,
  forceFetch: environment['SCENARIO_FORCE_FETCH'] === '1',
});
console.log(JSON.stringify(report));
