/** One series of a histogram: its labels and the counts per bucket (not cumulative). */
export interface HistogramSeries {
  /** The labels as exposition text, `outbox="…",topic="…"`. */
  readonly labels: string;
  count: number;
  sumMs: number;
  /** Observations per bucket, each counted in the first bucket it fits; summed when written. */
  readonly buckets: number[];
}

/** One series of a counter. */
export interface CounterSeries {
  readonly labels: string;
  value: number;
}

/** Escapes a label value for the text exposition format. */
export function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

/** `name="value"` pairs as exposition text, values escaped. */
export function labelText(labels: Readonly<Record<string, string>>): string {
  return Object.entries(labels)
    .map(([name, value]) => `${name}="${escapeLabelValue(value)}"`)
    .join(',');
}

/** A histogram's series by label text, with sorted bucket bounds in ms. */
export class HistogramSeriesSet {
  readonly boundsMs: readonly number[];
  readonly #series = new Map<string, HistogramSeries>();

  constructor(boundsMs: readonly number[]) {
    this.boundsMs = [...boundsMs].sort((a, b) => a - b);
  }

  /** Adds one observation to the series of `labels`. */
  record(labels: string, valueMs: number): void {
    let series = this.#series.get(labels);
    if (series === undefined) {
      series = { labels, count: 0, sumMs: 0, buckets: this.boundsMs.map(() => 0) };
      this.#series.set(labels, series);
    }
    series.count++;
    series.sumMs += valueMs;
    const index = this.boundsMs.findIndex((bound) => valueMs <= bound);
    if (index >= 0) series.buckets[index] = (series.buckets[index] ?? 0) + 1;
  }

  series(): IterableIterator<HistogramSeries> {
    return this.#series.values();
  }
}

/** A counter's series by label text. */
export class CounterSeriesSet {
  readonly #series = new Map<string, CounterSeries>();

  /** Adds one to the series of `labels`. */
  increment(labels: string): void {
    const series = this.#series.get(labels);
    if (series === undefined) this.#series.set(labels, { labels, value: 1 });
    else series.value++;
  }

  series(): IterableIterator<CounterSeries> {
    return this.#series.values();
  }
}
