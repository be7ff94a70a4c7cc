/**
 * Nesting depth of JSON and YAML documents. Go's decoders refuse documents nested deeper than
 * 10,000 levels; ours are refused beyond MAX_NESTING_DEPTH, because the recursive walks every
 * object goes through (the YAML parser, copies, comparisons, JSON.stringify itself) must fit in
 * V8's stack. YAML is measured on its tokens, before the parser recurses into it.
 */
import { CST, Lexer } from 'yaml';

export const MAX_NESTING_DEPTH = 500;

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

/**
 * The same refusal for a YAML text, from its tokens: flow collections open and close, and a
 * block collection can only nest as deep as its line is indented plus the indicators (`- `,
 * `? `, `: `) that open collections on that line.
 */
export function yamlNestingDepthError(text: string, max = MAX_NESTING_DEPTH): string | undefined {
  let flow = 0;
  let line = 0;
  let lineStart = true;
  for (const token of new Lexer().lex(text)) {
    const type = CST.tokenType(token);
    if (type === 'newline') {
      lineStart = true;
      line = 0;
      continue;
    }
    if (lineStart && type === 'space') line += token.length;
    lineStart = false;
    if (type === 'flow-seq-start' || type === 'flow-map-start') flow++;
    else if (type === 'flow-seq-end' || type === 'flow-map-end') flow--;
    else if (type === 'seq-item-ind' || type === 'explicit-key-ind' || type === 'map-value-ind') line++;
    else continue;
    if (flow + line > max) return `invalid character '${token === '{' ? '{' : '['}' exceeded max depth`;
  }
  return undefined;
}
