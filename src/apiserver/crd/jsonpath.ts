/**
 * The simple JSONPath of printer columns, scale and selectable fields (client-go's jsonpath,
 * the part CRDs use): `.spec.replicas`, `.items[0]`, `.items[*].name`, `['a.b']`,
 * `.status.conditions[?(@.type=="Ready")].status`. Missing keys give no results.
 */
import { isPlainObject } from '../../machinery/object.js';

type Step =
  | { kind: 'field'; name: string }
  | { kind: 'index'; index: number }
  | { kind: 'all' }
  | { kind: 'filter'; path: string[]; op: '==' | '!='; value: unknown };

export class JsonPathError extends Error {
  readonly code = 'InvalidJsonPath';
}

const cache = new Map<string, Step[]>();

export function parseJsonPath(expr: string): Step[] {
  const hit = cache.get(expr);
  if (hit) return hit;
  let text = expr.trim();
  if (text.startsWith('{') && text.endsWith('}')) text = text.slice(1, -1);
  if (text.startsWith('$')) text = text.slice(1);
  const steps: Step[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === '.') {
      const m = /^\.([^.[\]]+)/.exec(text.slice(i));
      if (!m) throw new JsonPathError(`invalid path ${expr}`);
      steps.push({ kind: 'field', name: m[1] as string });
      i += m[0].length;
    } else if (c === '[') {
      const end = closing(text, i);
      const inner = text.slice(i + 1, end).trim();
      steps.push(bracket(inner, expr));
      i = end + 1;
    } else {
      throw new JsonPathError(`unrecognized character in action: ${JSON.stringify(c)}`);
    }
  }
  cache.set(expr, steps);
  return steps;
}

function closing(text: string, open: number): number {
  let quote = '';
  let depth = 0;
  for (let j = open; j < text.length; j++) {
    const ch = text[j];
    if (quote) {
      if (ch === quote) quote = '';
    } else if (ch === '"' || ch === "'") quote = ch;
    else if (ch === '[') depth++;
    else if (ch === ']' && --depth === 0) return j;
  }
  throw new JsonPathError('unterminated array');
}

function bracket(inner: string, expr: string): Step {
  if (inner === '*') return { kind: 'all' };
  if (/^-?\d+$/.test(inner)) return { kind: 'index', index: Number(inner) };
  const quoted = /^(['"])(.*)\1$/.exec(inner);
  if (quoted) return { kind: 'field', name: quoted[2] as string };
  const filter = /^\?\(@((?:\.[^.=!\s]+)+)\s*(==|!=)\s*(.+)\)$/.exec(inner);
  if (filter) {
    const raw = (filter[3] as string).trim();
    const str = /^(['"])(.*)\1$/.exec(raw);
    const value: unknown = str ? str[2] : raw === 'true' ? true : raw === 'false' ? false : Number(raw);
    return { kind: 'filter', path: (filter[1] as string).split('.').filter(Boolean), op: filter[2] as '==' | '!=', value };
  }
  throw new JsonPathError(`invalid array index ${inner} in ${expr}`);
}

/** Every value the path finds in `data`, in document order. */
export function findResults(expr: string | Step[], data: unknown): unknown[] {
  let current: unknown[] = [data];
  for (const step of typeof expr === 'string' ? parseJsonPath(expr) : expr) {
    const next: unknown[] = [];
    for (const v of current) {
      if (step.kind === 'field') {
        if (isPlainObject(v) && step.name in v) next.push(v[step.name]);
      } else if (step.kind === 'index') {
        if (Array.isArray(v)) {
          const idx = step.index < 0 ? v.length + step.index : step.index;
          if (idx >= 0 && idx < v.length) next.push(v[idx]);
        }
      } else if (step.kind === 'all') {
        if (Array.isArray(v)) next.push(...v);
        else if (isPlainObject(v)) next.push(...Object.values(v));
      } else if (Array.isArray(v)) {
        for (const item of v) {
          let got: unknown = item;
          for (const p of step.path) got = isPlainObject(got) ? got[p] : undefined;
          if (got === undefined) continue;
          const equal = got === step.value || String(got) === String(step.value);
          if ((step.op === '==') === equal) next.push(item);
        }
      }
    }
    current = next;
  }
  return current;
}

/** The first value found, if any. */
export function findFirst(expr: string, data: unknown): unknown {
  return findResults(expr, data)[0];
}
