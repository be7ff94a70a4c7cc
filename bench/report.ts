/** Formats the benchmark results as plain-text tables. */
import type { LoadResult } from './load.js';
import type { WatchResult } from './watch-phase.js';

export interface OperationRow {
  operation: string;
  concurrency: number;
  result: LoadResult;
  baseline?: LoadResult;
  target?: string;
}

export interface Column {
  title: string;
  right?: boolean;
}

/** Renders rows under a header, padding every column to its widest cell. */
export function renderTable(columns: Column[], rows: string[][]): string {
  const widths = columns.map((c, i) => Math.max(c.title.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]): string =>
    cells
      .map((cell, i) => (columns[i]?.right ? cell.padStart(widths[i] ?? 0) : cell.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(columns.map((c) => c.title)), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

export function fixed(value: number, digits = 1): string {
  return Number.isFinite(value) ? value.toFixed(digits) : 'n/a';
}

export function rate(value: number): string {
  return Number.isFinite(value) ? Math.round(value).toLocaleString('en-US') : 'n/a';
}

export function renderOperations(rows: OperationRow[]): string {
  const columns: Column[] = [
    { title: 'operation' },
    { title: 'N', right: true },
    { title: 'ops', right: true },
    { title: 'ops/s', right: true },
    { title: 'p50 ms', right: true },
    { title: 'p99 ms', right: true },
    { title: 'errors', right: true },
    { title: 'baseline ops/s', right: true },
    { title: 'k8ts/baseline', right: true },
    { title: 'target' },
  ];
  const cells = rows.map((r) => [
    r.operation,
    String(r.concurrency),
    String(r.result.ops),
    rate(r.result.throughput),
    fixed(r.result.latency.p50, 2),
    fixed(r.result.latency.p99, 2),
    String(r.result.errors),
    r.baseline ? rate(r.baseline.throughput) : '',
    r.baseline && r.baseline.throughput > 0 ? fixed(r.result.throughput / r.baseline.throughput, 2) : '',
    r.target ?? '',
  ]);
  return renderTable(columns, cells);
}

export function renderBaseline(rows: { operation: string; result: LoadResult }[]): string {
  const columns: Column[] = [
    { title: 'baseline' },
    { title: 'N', right: true },
    { title: 'ops', right: true },
    { title: 'ops/s', right: true },
    { title: 'p50 ms', right: true },
    { title: 'p99 ms', right: true },
    { title: 'errors', right: true },
  ];
  const cells = rows.map((r) => [
    r.operation,
    String(r.result.concurrency),
    String(r.result.ops),
    rate(r.result.throughput),
    fixed(r.result.latency.p50, 2),
    fixed(r.result.latency.p99, 2),
    String(r.result.errors),
  ]);
  return renderTable(columns, cells);
}

export function renderWatch(rows: WatchResult[]): string {
  const columns: Column[] = [
    { title: 'watch' },
    { title: 'W', right: true },
    { title: 'creators', right: true },
    { title: 'creates', right: true },
    { title: 'creates/s', right: true },
    { title: 'events', right: true },
    { title: 'expected', right: true },
    { title: 'events/s', right: true },
    { title: 'p50 ms', right: true },
    { title: 'p99 ms', right: true },
  ];
  const cells = rows.map((w) => [
    'create→event',
    String(w.watchers),
    String(w.creators),
    String(w.creates.ops),
    rate(w.creates.throughput),
    String(w.delivered),
    String(w.expected),
    rate(w.eventsPerSecond),
    fixed(w.latency.p50, 2),
    fixed(w.latency.p99, 2),
  ]);
  return renderTable(columns, cells);
}

/** "value unit  (target …: met|missed)" */
export function versusTarget(text: string, met: boolean | undefined, target: string): string {
  const verdict = met === undefined ? 'n/a' : met ? 'met' : 'missed';
  return `${text}   target ${target}: ${verdict}`;
}
