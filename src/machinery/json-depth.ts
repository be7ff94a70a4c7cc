/**
 * Nesting depth of decoded JSON or YAML. Go's decoders refuse documents nested deeper than
 * 10,000 levels; ours are refused from MAX_NESTING_DEPTH on, because the recursive walks every
 * object goes through (copies, comparisons, JSON.stringify itself) must fit in V8's stack.
 */
export const MAX_NESTING_DEPTH = 1000;

/** Go's scanner error for a document nested too deep (`[` or `{` at the level that overflows), or undefined. */
export function nestingDepthError(value: unknown, max = MAX_NESTING_DEPTH): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop() as [unknown, number];
    if (depth > max) return `invalid character '${Array.isArray(v) ? '[' : '{'}' exceeded max depth`;
    const children = Array.isArray(v) ? v : Object.values(v as object);
    for (const c of children) if (typeof c === 'object' && c !== null) stack.push([c, depth + 1]);
  }
  return undefined;
}
