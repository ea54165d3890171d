import type { ConformanceStatus } from './conformance-check.js';
import type { ConformanceStop } from './preflight.js';
import type { ConformanceReport, ConformanceResult } from './run-conformance.js';

/** How {@link formatConformanceTable} renders. */
export interface ConformanceTableOptions {
  /** ANSI colours for the status column and the rules; `false` by default. */
  color?: boolean;
}

const labels: Readonly<Record<ConformanceStatus, string>> = { pass: 'PASS', warn: 'WARN', fail: 'FAIL', skip: 'SKIP' };
const colors: Readonly<Record<ConformanceStatus, string>> = { pass: '32', warn: '33', fail: '31', skip: '36' };
const stopLabels: Readonly<Record<ConformanceStop['kind'], string>> = {
  unreachable: 'UNREACHABLE',
  'no-answer': 'NO ANSWER',
  'not-an-event': 'NOT AN EVENT',
  'no-echo-handler': 'NO ECHO HANDLER',
};

/**
 * A report as a text table, one row per check, the rule under each warning and failure, and a
 * summary line; for a run that stopped before the checks, the one line saying why instead.
 *
 * @example
 * process.stdout.write(formatConformanceTable(report, { color: process.stdout.isTTY }));
 */
export function formatConformanceTable(report: ConformanceReport, options: ConformanceTableOptions = {}): string {
  const table = new TableFormat(
    report.results.map((result) => result.id),
    options,
  );
  if (report.stopped !== undefined) return table.title(report) + table.stop(report.stopped);
  return [
    table.title(report),
    table.header(),
    ...report.results.map((result) => table.row(result)),
    table.summary(report),
  ].join('');
}

/** The pieces of the table, for printing it row by row as results come in. */
export class TableFormat {
  readonly #idWidth: number;
  readonly #indent: string;
  readonly #color: boolean;

  /** @param ids the ids of every check the table will hold, to size the column. */
  constructor(ids: readonly string[], options: ConformanceTableOptions = {}) {
    this.#idWidth = Math.max('CHECK'.length, ...ids.map((id) => id.length));
    this.#indent = ' '.repeat('STATUS  '.length + this.#idWidth + 2);
    this.#color = options.color === true;
  }

  /** The first line and a blank one. */
  title(report: Pick<ConformanceReport, 'url' | 'echoEvent' | 'echoVersion'>): string {
    return `Events protocol conformance of ${report.url} (echo event ${report.echoEvent} v${report.echoVersion})\n\n`;
  }

  /** The column headings. */
  header(): string {
    return `STATUS  ${'CHECK'.padEnd(this.#idWidth)}  DETAIL\n`;
  }

  /** One check's row, with its rule under it unless it passed. */
  row(result: ConformanceResult): string {
    const label = this.#paint(colors[result.status], labels[result.status]);
    const line = `${label}    ${result.id.padEnd(this.#idWidth)}  ${result.detail}\n`;
    if (result.status === 'pass' || result.status === 'skip') return line;
    return `${line}${this.#paint('2', `${this.#indent}rule: ${result.rule}`)}\n`;
  }

  /** The counts and the verdict, after a blank line. */
  summary(report: Pick<ConformanceReport, 'results' | 'counts' | 'passed'>): string {
    const { pass, warn, fail, skip } = report.counts;
    const verdict = report.passed ? this.#paint(colors.pass, 'conforms') : this.#paint(colors.fail, 'does not conform');
    const skipped = skip > 0 ? `, ${skip} skipped` : '';
    return `\n${report.results.length} checks: ${pass} passed, ${warn} warned, ${fail} failed${skipped}: ${verdict}\n`;
  }

  /** Why no check ran, on one line. */
  stop(stopped: ConformanceStop): string {
    const hint = stopped.kind === 'unreachable' ? ' (is the server running, and is the URL its events route?)' : '';
    return `${this.#paint(colors.fail, stopLabels[stopped.kind])} ${stopped.reason}${hint}\n`;
  }

  #paint(code: string, text: string): string {
    return this.#color ? `\u001b[${code}m${text}\u001b[0m` : text;
  }
}
