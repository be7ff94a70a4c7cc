/**
 * Ordered, non-overlapping index intervals (indexed_job_utils.go's orderedIntervals): the form
 * of status.completedIndexes and status.failedIndexes, e.g. "1,3-5,7".
 */

export interface Interval {
  first: number;
  last: number;
}

export type OrderedIntervals = readonly Interval[];

/** merge: the union of two ordered lists, adjacent intervals joined. */
export function mergeIntervals(a: OrderedIntervals, b: OrderedIntervals): Interval[] {
  const out: Interval[] = [];
  const push = (iv: Interval) => {
    const last = out[out.length - 1];
    if (!last || iv.first > last.last + 1) out.push({ ...iv });
    else if (last.last < iv.last) last.last = iv.last;
  };
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if ((a[i] as Interval).first < (b[j] as Interval).first) push(a[i++] as Interval);
    else push(b[j++] as Interval);
  }
  while (i < a.length) push(a[i++] as Interval);
  while (j < b.length) push(b[j++] as Interval);
  return out;
}

/** withOrderedIndexes: adds indexes given in increasing order. */
export function withIndexes(oi: OrderedIntervals, indexes: readonly number[]): Interval[] {
  return mergeIntervals(
    oi,
    indexes.map((ix) => ({ first: ix, last: ix })),
  );
}

export function totalIndexes(oi: OrderedIntervals | undefined): number {
  let n = 0;
  for (const iv of oi ?? []) n += iv.last - iv.first + 1;
  return n;
}

/** "1,3-5,7"; a pair of neighbours is written "3,4". */
export function formatIntervals(oi: OrderedIntervals): string {
  return oi.map((iv) => (iv.last === iv.first ? `${iv.first}` : `${iv.first}${iv.last === iv.first + 1 ? ',' : '-'}${iv.last}`)).join(',');
}

export function hasIndex(oi: OrderedIntervals | undefined, ix: number): boolean {
  if (!oi) return false;
  let lo = 0;
  let hi = oi.length;
  while (hi > lo) {
    const mid = lo + ((hi - lo) >> 1);
    if ((oi[mid] as Interval).last >= ix) hi = mid;
    else lo = mid + 1;
  }
  return hi < oi.length && (oi[hi] as Interval).first <= ix;
}

function atoi(s: string | undefined): number {
  return s !== undefined && /^[+-]?\d+$/.test(s) ? Number(s) : Number.NaN;
}

/** parseIndexesFromString: indexes below `completions`; corrupt intervals are skipped. */
export function parseIntervals(text: string | undefined, completions: number): Interval[] {
  const out: Interval[] = [];
  if (!text) return out;
  for (const part of text.split(',')) {
    const limits = part.split('-');
    const first = atoi(limits[0]);
    if (Number.isNaN(first)) continue;
    if (first >= completions) break;
    let last = first;
    if (limits.length > 1) {
      last = atoi(limits[1]);
      if (Number.isNaN(last)) continue;
      if (last >= completions) last = completions - 1;
    }
    const prev = out[out.length - 1];
    if (prev && prev.last === first - 1) prev.last = last;
    else out.push({ first, last });
  }
  return out;
}
