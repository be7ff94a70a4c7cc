/**
 * Kubernetes' CEL list library (k8s.io/apiserver/pkg/cel/library/lists.go): isSorted, sum, min,
 * max, indexOf, lastIndexOf; cel-go's lists extension (slice, reverse, distinct, flatten); and
 * the sets extension (sets.contains, sets.equivalent, sets.intersects). cel-js has no namespaced
 * functions: `sets` is a constant of its own type whose methods these are.
 */
import type { Environment } from '@marcbachmann/cel-js';

/** CEL equality over the values toCel produces. */
export function celEquals(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if ((typeof a === 'bigint' || typeof a === 'number') && (typeof b === 'bigint' || typeof b === 'number')) return Number(a) === Number(b);
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => celEquals(x, b[i]));
  if (a && b && typeof a === 'object' && typeof b === 'object' && !Array.isArray(a) && !Array.isArray(b)) {
    const ka = Object.keys(a);
    const rb = b as Record<string, unknown>;
    return ka.length === Object.keys(b).length && ka.every((k) => k in rb && celEquals((a as Record<string, unknown>)[k], rb[k]));
  }
  return false;
}

function less(a: unknown, b: unknown): boolean {
  if (typeof a === 'string' && typeof b === 'string') return a < b;
  if ((typeof a === 'bigint' || typeof a === 'number') && (typeof b === 'bigint' || typeof b === 'number')) return a < b;
  if (typeof a === 'boolean' && typeof b === 'boolean') return !a && b;
  throw new Error(`no such overload: ${typeof a} < ${typeof b}`);
}

function extreme(name: string, list: unknown[], pick: (a: unknown, b: unknown) => boolean): unknown {
  if (list.length === 0) throw new Error(`${name} called on empty list`);
  return list.reduce((best, x) => (pick(x, best) ? x : best));
}

function sum(list: unknown[]): unknown {
  if (list.length === 0) return 0n;
  if (list.every((x) => typeof x === 'bigint')) return (list as bigint[]).reduce((a, b) => a + b, 0n);
  if (list.every((x) => typeof x === 'number')) return (list as number[]).reduce((a, b) => a + b, 0);
  throw new Error('sum: the list must hold ints or doubles');
}

function inList(haystack: unknown[], needle: unknown): boolean {
  return haystack.some((x) => celEquals(x, needle));
}

/** The receiver of `sets.contains(…)` and its siblings. */
class SetsNamespace {}

export function registerListLibrary(env: Environment): void {
  env.registerFunction('list.isSorted(): bool', (l: unknown[]) => l.every((x, i) => i === 0 || !less(x, l[i - 1])));
  env.registerFunction('list.sum(): dyn', sum);
  env.registerFunction('list.min(): dyn', (l: unknown[]) => extreme('min', l, less));
  env.registerFunction('list.max(): dyn', (l: unknown[]) => extreme('max', l, (a, b) => less(b, a)));
  env.registerFunction('list.indexOf(dyn): int', (l: unknown[], x: unknown) => BigInt(l.findIndex((y) => celEquals(x, y))));
  env.registerFunction('list.lastIndexOf(dyn): int', (l: unknown[], x: unknown) => BigInt(l.findLastIndex((y) => celEquals(x, y))));
  env.registerFunction('list.slice(int, int): list', (l: unknown[], from: bigint, to: bigint) => {
    if (from < 0n || to < from || to > BigInt(l.length)) throw new Error(`cannot slice(${from}, ${to}), list is length ${l.length}`);
    return l.slice(Number(from), Number(to));
  });
  env.registerFunction('list.reverse(): list', (l: unknown[]) => [...l].reverse());
  env.registerFunction('list.distinct(): list', (l: unknown[]) => l.filter((x, i) => l.findIndex((y) => celEquals(x, y)) === i));
  env.registerFunction('list.flatten(): list', (l: unknown[]) => l.flatMap((x) => (Array.isArray(x) ? x : [x])));
  env.registerType('kubernetes.Sets', SetsNamespace);
  env.registerConstant('sets', 'kubernetes.Sets', new SetsNamespace());
  env.registerFunction('kubernetes.Sets.contains(list, list): bool', (_: SetsNamespace, a: unknown[], b: unknown[]) =>
    b.every((x) => inList(a, x)),
  );
  env.registerFunction(
    'kubernetes.Sets.equivalent(list, list): bool',
    (_: SetsNamespace, a: unknown[], b: unknown[]) => b.every((x) => inList(a, x)) && a.every((x) => inList(b, x)),
  );
  env.registerFunction('kubernetes.Sets.intersects(list, list): bool', (_: SetsNamespace, a: unknown[], b: unknown[]) =>
    b.some((x) => inList(a, x)),
  );
}
