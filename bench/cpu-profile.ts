/**
 * Summarizes a V8 `.cpuprofile` (what `node --cpu-prof` writes): self and total time per
 * function (name + location), the share of idle, GC and program time. Locations in the bundle
 * (dist/k8ts.mjs) are mapped back to src/ through its source map when one is given.
 */
import { SourceMap, type SourceMapPayload } from 'node:module';

export interface CpuProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  children?: number[];
}

export interface CpuProfile {
  nodes: CpuProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface FunctionTime {
  /** `name (file:line)` */
  label: string;
  selfMs: number;
  totalMs: number;
}

export interface ProfileSummary {
  /** Wall time the profile covers. */
  durationMs: number;
  idleMs: number;
  gcMs: number;
  /** Top functions by self time (idle, GC and program excluded). */
  bySelf: FunctionTime[];
  /** Top functions by total (inclusive) time, ours only (not node: internals). */
  byTotal: FunctionTime[];
}

const SPECIAL = new Set(['(idle)', '(garbage collector)', '(program)', '(root)']);

function shortUrl(url: string): string {
  const i = url.lastIndexOf('/');
  return i >= 0 ? url.slice(i + 1) : url;
}

function shortSource(source: string): string {
  const i = source.lastIndexOf('/src/');
  if (i >= 0) return source.slice(i + 1);
  const n = source.lastIndexOf('node_modules/');
  return n >= 0 ? source.slice(n) : shortUrl(source);
}

/** `name (file:line)`; mapped to the original source when `map` knows the bundle position. */
export function frameLabel(frame: CpuProfileNode['callFrame'], map?: SourceMap): string {
  const name = frame.functionName || '(anonymous)';
  if (!frame.url) return name;
  if (map && frame.url.endsWith('.mjs')) {
    const entry = map.findEntry(frame.lineNumber, frame.columnNumber) as { originalSource?: string; originalLine?: number };
    if (entry.originalSource) return `${name} (${shortSource(entry.originalSource)}:${(entry.originalLine ?? 0) + 1})`;
  }
  return `${name} (${shortUrl(frame.url)}:${frame.lineNumber + 1})`;
}

export function summarizeCpuProfile(profile: CpuProfile, options: { top?: number; sourceMap?: SourceMapPayload } = {}): ProfileSummary {
  const top = options.top ?? 15;
  const map = options.sourceMap ? new SourceMap(options.sourceMap) : undefined;
  const byId = new Map<number, CpuProfileNode>();
  const parent = new Map<number, number>();
  for (const n of profile.nodes) {
    byId.set(n.id, n);
    for (const c of n.children ?? []) parent.set(c, n.id);
  }
  const labels = new Map<number, string>();
  const labelOf = (id: number): string => {
    let l = labels.get(id);
    if (l === undefined) {
      const node = byId.get(id);
      l = node ? frameLabel(node.callFrame, map) : '?';
      labels.set(id, l);
    }
    return l;
  };
  const self = new Map<string, number>();
  const total = new Map<string, number>();
  let idleMs = 0;
  let gcMs = 0;
  const n = profile.samples.length;
  for (let i = 0; i < n; i++) {
    const id = profile.samples[i] as number;
    // the delta after a sample is the time spent in it (the last one has none)
    const ms = (profile.timeDeltas[i + 1] ?? 0) / 1000;
    const label = labelOf(id);
    if (label === '(idle)') idleMs += ms;
    else if (label === '(garbage collector)') gcMs += ms;
    self.set(label, (self.get(label) ?? 0) + ms);
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const l = labelOf(at);
      if (seen.has(l)) continue;
      seen.add(l);
      total.set(l, (total.get(l) ?? 0) + ms);
    }
  }
  const rows = (m: Map<string, number>, keep: (label: string) => boolean): FunctionTime[] =>
    [...m.entries()]
      .filter(([label]) => keep(label))
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([label]) => ({ label, selfMs: self.get(label) ?? 0, totalMs: total.get(label) ?? 0 }));
  const ours = (label: string): boolean => label.includes('(src/');
  return {
    durationMs: (profile.endTime - profile.startTime) / 1000,
    idleMs,
    gcMs,
    bySelf: rows(self, (l) => !SPECIAL.has(l)),
    byTotal: rows(total, ours),
  };
}
