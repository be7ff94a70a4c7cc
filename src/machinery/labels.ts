/**
 * Label selectors (k8s.io/apimachinery/pkg/labels): the string syntax of `?labelSelector=`,
 * matching, and conversion from metav1.LabelSelector. Parse errors carry upstream's text; the
 * apiserver answers them with 400 BadRequest.
 */
import {
  aggregateMessage,
  goQuote,
  invalid,
  newPath,
  notSupported,
  required,
  forbidden,
  type FieldError,
  type FieldPath,
} from './validation/field.js';
import { isQualifiedName, isValidLabelValue } from './validation/formats.js';

/** selection.Operator values. */
export type Operator = 'in' | 'notin' | '=' | '==' | '!=' | 'gt' | 'lt' | 'exists' | '!';

const BINARY_OPERATORS: Operator[] = ['in', 'notin', '=', '==', '!=', 'gt', 'lt'];
const UNARY_OPERATORS: Operator[] = ['exists', '!'];
export const VALID_REQUIREMENT_OPERATORS: readonly Operator[] = [...BINARY_OPERATORS, ...UNARY_OPERATORS];
export const BINARY_OPERATOR_LIST = BINARY_OPERATORS.join(', ');

/** A failure to parse or build a selector. `code` is stable; `message` is upstream's text. */
export class LabelSelectorError extends Error {
  readonly code = 'InvalidLabelSelector';
  readonly causes: FieldError[];

  constructor(message: string, causes: FieldError[] = []) {
    super(message);
    this.name = 'LabelSelectorError';
    this.causes = causes;
  }
}

export interface Requirement {
  readonly key: string;
  readonly operator: Operator;
  /** As given (the parser sorts and de-duplicates them). */
  readonly values: readonly string[];
}

export type Labels = Readonly<Record<string, string>> | undefined;

function parseInt64(s: string): bigint | undefined {
  if (!/^[+-]?[0-9]+$/.test(s)) return undefined;
  const v = BigInt(s);
  return v > 9223372036854775807n || v < -9223372036854775808n ? undefined : v;
}

/** labels.NewRequirement: validates and throws LabelSelectorError (aggregated field errors). */
export function newRequirement(key: string, operator: Operator, values: readonly string[], path?: FieldPath): Requirement {
  const errs: FieldError[] = [];
  const keyErrs = isQualifiedName(key);
  if (keyErrs.length > 0) errs.push(invalid(path ? path.child('key') : 'key', key, keyErrs.join('; ')));
  const valuePath = path ? path.child('values') : newPath('values');
  // Go's nil slice (from an empty metav1 values list) prints as null.
  const shown = values.length === 0 ? null : values;
  switch (operator) {
    case 'in':
    case 'notin':
      if (values.length === 0) errs.push(invalid(valuePath, shown, "for 'in', 'notin' operators, values set can't be empty"));
      break;
    case '=':
    case '==':
    case '!=':
      if (values.length !== 1) errs.push(invalid(valuePath, shown, 'exact-match compatibility requires one single value'));
      break;
    case 'exists':
    case '!':
      if (values.length !== 0) errs.push(invalid(valuePath, shown, 'values set must be empty for exists and does not exist'));
      break;
    case 'gt':
    case 'lt':
      if (values.length !== 1) errs.push(invalid(valuePath, shown, "for 'Gt', 'Lt' operators, exactly one value is required"));
      values.forEach((v, i) => {
        if (parseInt64(v) === undefined) {
          errs.push(invalid(valuePath.index(i), v, "for 'Gt', 'Lt' operators, the value must be an integer"));
        }
      });
      break;
    default:
      errs.push(notSupported(path ? path.child('operator') : 'operator', operator, VALID_REQUIREMENT_OPERATORS));
  }
  values.forEach((v, i) => {
    const ve = isValidLabelValue(v);
    if (ve.length > 0) errs.push(invalid(valuePath.index(i).key(key), v, ve.join('; ')));
  });
  if (errs.length > 0) throw new LabelSelectorError(aggregateMessage(errs), errs);
  return { key, operator, values: [...values] };
}

/** Requirement.Matches. */
export function requirementMatches(r: Requirement, labels: Labels): boolean {
  const has = labels !== undefined && Object.hasOwn(labels, r.key);
  const val = has ? labels[r.key] : undefined;
  switch (r.operator) {
    case 'in':
    case '=':
    case '==':
      return has && r.values.includes(val ?? '');
    case 'notin':
    case '!=':
      return !has || !r.values.includes(val ?? '');
    case 'exists':
      return has;
    case '!':
      return !has;
    case 'gt':
    case 'lt': {
      if (!has || r.values.length !== 1) return false;
      const lv = parseInt64(val ?? '');
      const rv = parseInt64(r.values[0] ?? '');
      if (lv === undefined || rv === undefined) return false;
      return r.operator === 'gt' ? lv > rv : lv < rv;
    }
    default:
      return false;
  }
}

const sorted = (xs: readonly string[]): string[] => [...xs].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));

/** Requirement.String(): `!k`, `k`, `k=v`, `k in (a,b)`, `k>1`… values sorted. */
export function requirementToString(r: Requirement): string {
  let s = r.operator === '!' ? `!${r.key}` : r.key;
  const ops: Partial<Record<Operator, string>> = { '=': '=', '==': '==', '!=': '!=', in: ' in ', notin: ' notin ', gt: '>', lt: '<' };
  const op = ops[r.operator];
  if (op === undefined) return s;
  s += op;
  const vals = r.values.length === 1 ? (r.values[0] ?? '') : sorted(r.values).join(',');
  return r.operator === 'in' || r.operator === 'notin' ? `${s}(${vals})` : s + vals;
}

/** A parsed label selector: requirements ANDed, sorted by key. `nothing` matches no object. */
export class Selector {
  readonly requirements: readonly Requirement[];
  readonly nothing: boolean;
  #text: string | undefined;

  constructor(requirements: readonly Requirement[] = [], nothing = false) {
    this.requirements = [...requirements].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    this.nothing = nothing;
  }

  matches(labels: Labels): boolean {
    if (this.nothing) return false;
    for (const r of this.requirements) if (!requirementMatches(r, labels)) return false;
    return true;
  }

  /** True when the selector does not restrict anything (Selector.Empty). */
  isEmpty(): boolean {
    return !this.nothing && this.requirements.length === 0;
  }

  add(...reqs: Requirement[]): Selector {
    return this.nothing ? this : new Selector([...this.requirements, ...reqs]);
  }

  /** The value a selector demands for `label` through `=`, `==` or a one-value `in`. */
  requiresExactMatch(label: string): string | undefined {
    const r = this.requirements.find((x) => x.key === label);
    if (!r) return undefined;
    if ((r.operator === '=' || r.operator === '==' || r.operator === 'in') && r.values.length === 1) return r.values[0];
    return undefined;
  }

  toString(): string {
    this.#text ??= this.nothing ? '' : this.requirements.map(requirementToString).join(',');
    return this.#text;
  }

  /** A text that tells selectors apart (toString, but distinct for `nothing`): a cache key. */
  get key(): string {
    return this.nothing ? '\u0000nothing' : this.toString();
  }
}

const EVERYTHING = new Selector();
const NOTHING = new Selector([], true);

export function everything(): Selector {
  return EVERYTHING;
}

export function nothing(): Selector {
  return NOTHING;
}

export function isEverything(s: Selector): boolean {
  return s.isEmpty();
}

export function matchesNothing(s: Selector): boolean {
  return s.nothing;
}

export function selectorToString(s: Selector): string {
  return s.toString();
}

/** labels.Parse: throws LabelSelectorError with upstream's message. */
export function parseSelector(selector: string, path?: FieldPath): Selector {
  return new Selector(new Parser(selector, path).parse());
}

/** labels.SelectorFromSet: equality on every pair (no validation). */
export function selectorFromSet(set: Labels): Selector {
  return new Selector(Object.entries(set ?? {}).map(([key, v]) => ({ key, operator: '=' as const, values: [v] })));
}

/** labels.ValidatedSelectorFromSet. */
export function validatedSelectorFromSet(set: Labels): Selector {
  return new Selector(Object.entries(set ?? {}).map(([k, v]) => newRequirement(k, '=', [v])));
}

/** metav1.LabelSelector. */
export interface LabelSelectorRequirement {
  key: string;
  operator: string;
  values?: string[];
}
export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: LabelSelectorRequirement[];
}

const META_OPERATORS: Record<string, Operator> = { In: 'in', NotIn: 'notin', Exists: 'exists', DoesNotExist: '!' };

/**
 * metav1.LabelSelectorAsSelector: null/undefined selects nothing, empty selects everything.
 * Throws LabelSelectorError for a bad operator, key or value.
 */
export function labelSelectorFromMeta(ps: LabelSelector | null | undefined): Selector {
  if (ps === null || ps === undefined) return NOTHING;
  const labels = Object.entries(ps.matchLabels ?? {});
  const exprs = ps.matchExpressions ?? [];
  if (labels.length + exprs.length === 0) return EVERYTHING;
  const reqs: Requirement[] = labels.map(([k, v]) => newRequirement(k, '=', [v]));
  for (const e of exprs) {
    const op = META_OPERATORS[e.operator];
    if (!op) throw new LabelSelectorError(`${goQuote(e.operator)} is not a valid pod selector operator`);
    reqs.push(newRequirement(e.key, op, e.values ?? []));
  }
  return new Selector(reqs);
}

/** metav1.FormatLabelSelector, as printers show it: `<none>` when empty, `<error>` when invalid. */
export function formatLabelSelector(ps: LabelSelector | null | undefined): string {
  try {
    return labelSelectorFromMeta(ps).toString() || '<none>';
  } catch {
    return '<error>';
  }
}

/** metav1.LabelSelectorAsMap: only equality-expressible selectors. */
export function labelSelectorAsMap(ps: LabelSelector | null | undefined): Record<string, string> | undefined {
  if (!ps) return undefined;
  const out: Record<string, string> = { ...(ps.matchLabels ?? {}) };
  for (const e of ps.matchExpressions ?? []) {
    if (e.operator === 'In') {
      if (e.values?.length !== 1) {
        throw new LabelSelectorError(
          `operator ${goQuote(e.operator)} without a single value cannot be converted into the old label selector format`,
        );
      }
      out[e.key] = e.values[0] ?? '';
    } else if (e.operator === 'NotIn' || e.operator === 'Exists' || e.operator === 'DoesNotExist') {
      throw new LabelSelectorError(`operator ${goQuote(e.operator)} cannot be converted into the old label selector format`);
    } else {
      throw new LabelSelectorError(`${goQuote(e.operator)} is not a valid selector operator`);
    }
  }
  return out;
}

/** metav1 validation.ValidateLabelSelector (used by every kind with a selector field). */
export function validateLabelSelector(ps: LabelSelector | null | undefined, path: FieldPath): FieldError[] {
  if (!ps) return [];
  const errs: FieldError[] = [];
  for (const [k, v] of Object.entries(ps.matchLabels ?? {})) {
    for (const m of isQualifiedName(k)) errs.push(invalid(path.child('matchLabels'), k, m));
    for (const m of isValidLabelValue(v)) errs.push(invalid(path.child('matchLabels'), v, m));
  }
  (ps.matchExpressions ?? []).forEach((e, i) => {
    const p = path.child('matchExpressions').index(i);
    if (e.operator === 'In' || e.operator === 'NotIn') {
      if (!e.values || e.values.length === 0)
        errs.push(required(p.child('values'), "must be specified when `operator` is 'In' or 'NotIn'"));
    } else if (e.operator === 'Exists' || e.operator === 'DoesNotExist') {
      if (e.values && e.values.length > 0) {
        errs.push(forbidden(p.child('values'), "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
      }
    } else {
      errs.push(invalid(p.child('operator'), e.operator, 'not a valid selector operator'));
    }
    for (const m of isQualifiedName(e.key)) errs.push(invalid(p.child('key'), e.key, m));
  });
  return errs;
}

// ---- the selector string parser (labels.Lexer and labels.Parser) ----

type Token = 'error' | 'end' | ')' | ',' | '!' | '==' | '=' | '>' | 'id' | 'in' | '<' | '!=' | 'notin' | '(';

const LITERAL_TOKENS: Record<string, Token> = {
  ')': ')',
  ',': ',',
  '!': '!',
  '==': '==',
  '=': '=',
  '>': '>',
  in: 'in',
  '<': '<',
  '!=': '!=',
  notin: 'notin',
  '(': '(',
};

const isWhitespace = (c: string): boolean => c === ' ' || c === '\t' || c === '\r' || c === '\n';
const isSpecial = (c: string): boolean => '=!(),><'.includes(c) && c.length === 1;

interface Item {
  tok: Token;
  lit: string;
}

function lex(s: string): Item[] {
  const items: Item[] = [];
  let pos = 0;
  for (;;) {
    while (pos < s.length && isWhitespace(s[pos] ?? '')) pos++;
    if (pos >= s.length) {
      items.push({ tok: 'end', lit: '' });
      return items;
    }
    if (isSpecial(s[pos] ?? '')) {
      let buf = '';
      let last: Item | undefined;
      while (pos < s.length && isSpecial(s[pos] ?? '')) {
        buf += s[pos];
        const t = LITERAL_TOKENS[buf];
        if (t) last = { tok: t, lit: buf };
        else if (last) break;
        pos++;
      }
      items.push(last ?? { tok: 'error', lit: `error expected: keyword found '${buf}'` });
      continue;
    }
    let buf = '';
    while (pos < s.length && !isSpecial(s[pos] ?? '') && !isWhitespace(s[pos] ?? '')) buf += s[pos++];
    items.push({ tok: LITERAL_TOKENS[buf] ?? 'id', lit: buf });
  }
}

const fail = (message: string): never => {
  throw new LabelSelectorError(message);
};

class Parser {
  readonly #items: Item[];
  readonly #path: FieldPath | undefined;
  #pos = 0;

  constructor(selector: string, path: FieldPath | undefined) {
    this.#items = lex(selector);
    this.#path = path;
  }

  /** In value context the keywords `in`/`notin` are plain identifiers. */
  #look(values: boolean): Item {
    const it = this.#items[this.#pos] ?? { tok: 'end', lit: '' };
    return values && (it.tok === 'in' || it.tok === 'notin') ? { tok: 'id', lit: it.lit } : it;
  }

  #next(values: boolean): Item {
    const it = this.#look(values);
    this.#pos++;
    return it;
  }

  parse(): Requirement[] {
    const reqs: Requirement[] = [];
    for (;;) {
      const { tok, lit } = this.#look(true);
      if (tok === 'end') return reqs;
      if (tok !== 'id' && tok !== '!') fail(`found '${lit}', expected: !, identifier, or 'end of string'`);
      try {
        reqs.push(this.#requirement());
      } catch (err) {
        if (err instanceof LabelSelectorError) throw new LabelSelectorError(`unable to parse requirement: ${err.message}`, err.causes);
        throw err;
      }
      const t = this.#next(true);
      if (t.tok === 'end') return reqs;
      if (t.tok !== ',') fail(`found '${t.lit}', expected: ',' or 'end of string'`);
      const t2 = this.#look(true);
      if (t2.tok !== 'id' && t2.tok !== '!') fail(`found '${t2.lit}', expected: identifier after ','`);
    }
  }

  #requirement(): Requirement {
    let { tok, lit } = this.#next(true);
    let operator: Operator | undefined;
    if (tok === '!') {
      operator = '!';
      ({ tok, lit } = this.#next(true));
    }
    if (tok !== 'id') fail(`found '${lit}', expected: identifier`);
    const keyErrs = isQualifiedName(lit);
    if (keyErrs.length > 0) {
      const e = invalid(this.#path, lit, keyErrs.join('; '));
      throw new LabelSelectorError(aggregateMessage([e]), [e]);
    }
    const key = lit;
    const after = this.#look(true).tok;
    if (after === 'end' || after === ',') operator = operator ?? 'exists';
    if (operator === 'exists' || operator === '!') return newRequirement(key, operator, [], this.#path);
    const opItem = this.#next(false);
    const ops: Partial<Record<Token, Operator>> = { in: 'in', '=': '=', '==': '==', '>': 'gt', '<': 'lt', notin: 'notin', '!=': '!=' };
    const op = ops[opItem.tok] ?? fail(`found '${opItem.lit}', expected: ${BINARY_OPERATOR_LIST}`);
    const values = op === 'in' || op === 'notin' ? this.#values() : this.#exactValue();
    return newRequirement(key, op, sorted([...values]), this.#path);
  }

  #values(): Set<string> {
    const open = this.#next(true);
    if (open.tok !== '(') fail(`found '${open.lit}' expected: '('`);
    const { tok, lit } = this.#look(true);
    if (tok === 'id' || tok === ',') {
      const s = this.#identifiers();
      if (this.#next(true).tok !== ')') fail(`found '${lit}', expected: ')'`);
      return s;
    }
    if (tok === ')') {
      this.#next(true);
      return new Set(['']);
    }
    return fail(`found '${lit}', expected: ',', ')' or identifier`);
  }

  #identifiers(): Set<string> {
    const s = new Set<string>();
    for (;;) {
      const { tok, lit } = this.#next(true);
      if (tok === 'id') {
        s.add(lit);
        const t2 = this.#look(true);
        if (t2.tok === ',') continue;
        if (t2.tok === ')') return s;
        fail(`found '${t2.lit}', expected: ',' or ')'`);
      } else if (tok === ',') {
        if (s.size === 0) s.add('');
        const t2 = this.#look(true).tok;
        if (t2 === ')') {
          s.add('');
          return s;
        }
        if (t2 === ',') s.add('');
      } else {
        fail(`found '${lit}', expected: ',', or identifier`);
      }
    }
  }

  #exactValue(): Set<string> {
    const t = this.#look(true).tok;
    if (t === 'end' || t === ',') return new Set(['']);
    const { tok, lit } = this.#next(true);
    if (tok === 'id') return new Set([lit]);
    return fail(`found '${lit}', expected: identifier`);
  }
}
