import type { ConformanceStatus } from './conformance-check.js';
import type { ConformanceReport } from './run-conformance.js';

/** How {@link formatConformanceTable} renders. */
export interface ConformanceTableOptions {
  /** ANSI colours for the status column and the rules; `false` by default. */
  color?: boolean;
}

const labels: Readonly<Record<ConformanceStatus, string>> = { pass: 'PASS', warn: 'WARN', fail: 'FAIL' };
const colors: Readonly<Record<ConformanceStatus, string>> = { pass: '32', warn: '33', fail: '31' };

/**
 * A report as a text table, one row per check, the rule under each warning and failure, and a
 * summary line; for a server that could not be reached, that reason instead.
 *
 * @example
 * process.stdout.write(formatConformanceTable(report, { color: process.stdout.isTTY }));
 */
export function formatConformanceTable(report: ConformanceReport, options: ConformanceTableOptions = {}): string {
  const paint = (code: string, text: string): string =>
    options.color === true ? `\u001b[${code}m${text}\u001b[0m` : text;
  const title = `Events protocol conformance of ${report.url} (echo event ${report.echoEvent} v${report.echoVersion})`;
  if (report.unreachable !== undefined) {
    return [
      title,
      '',
      `${paint(colors.fail, 'UNREACHABLE')} ${report.unreachable}`,
      'Is the server running, and is the URL its events route (e.g. http://host:port/events)?',
      '',
    ].join('\n');
  }
  const idWidth = Math.max('CHECK'.length, ...report.results.map((result) => result.id.length));
  const indent = ' '.repeat('STATUS  '.length + idWidth + 2);
  const lines = [title, '', `STATUS  ${'CHECK'.padEnd(idWidth)}  DETAIL`];
  for (const result of report.results) {
    const label = paint(colors[result.status], labels[result.status]);
    lines.push(`${label}    ${result.id.padEnd(idWidth)}  ${result.detail}`);
    if (result.status !== 'pass') lines.push(paint('2', `${indent}rule: ${result.rule}`));
  }
  const { pass, warn, fail } = report.counts;
  const verdict = report.passed ? paint(colors.pass, 'conforms') : paint(colors.fail, 'does not conform');
  lines.push('', `${report.results.length} checks: ${pass} passed, ${warn} warned, ${fail} failed: ${verdict}`, '');
  return lines.join('\n');
}
