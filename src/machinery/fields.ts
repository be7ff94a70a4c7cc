/**
 * Field selectors (k8s.io/apimachinery/pkg/fields): `?fieldSelector=` strings of `k=v`, `k==v`,
 * `k!=v` terms joined by ',' (AND). Values escape `\`, `,` and `=` with a backslash.
 */

/** A failure to parse a field selector. `code` is stable; `message` is upstream's text. */
export class FieldSelectorError extends Error {
  readonly code = 'InvalidFieldSelector';

  constructor(message: string) {
    super(message);
    this.name = 'FieldSelectorError';
  }
}

export interface FieldRequirement {
  readonly field: string;
  /** `==` terms are kept as `=` (selection.Equals), as upstream does. */
  readonly operator: '=' | '!=';
  /** Unescaped. */
  readonly value: string;
}

export type Fields = Readonly<Record<string, string>>;

/** EscapeValue: `\` → `\\`, `,` → `\,`, `=` → `\=`. */
export function escapeValue(s: string): string {
  return s.replace(/[\\,=]/g, (c) => `\\${c}`);
}

/** UnescapeValue: the literal value of an escaped term value. */
export function unescapeValue(s: string): string {
  if (!/[\\,=]/.test(s)) return s;
  let out = '';
  let inSlash = false;
  for (const c of s) {
    if (inSlash) {
      if (c !== '\\' && c !== ',' && c !== '=') {
        throw new FieldSelectorError(`invalid field selector: invalid escape sequence: \\${c}`);
      }
      out += c;
      inSlash = false;
    } else if (c === '\\') {
      inSlash = true;
    } else if (c === ',' || c === '=') {
      // Go prints the rune with %v: its code point number.
      throw new FieldSelectorError(`invalid field selector: unescaped character in value: ${c.codePointAt(0)}`);
    } else {
      out += c;
    }
  }
  if (inSlash) throw new FieldSelectorError('invalid field selector: invalid escape sequence: \\');
  return out;
}

/** A parsed field selector: requirements ANDed. `nothing` matches no object. */
export class FieldSelector {
  readonly requirements: readonly FieldRequirement[];
  readonly nothing: boolean;

  constructor(requirements: readonly FieldRequirement[] = [], nothing = false) {
    this.requirements = requirements;
    this.nothing = nothing;
  }

  /** A missing field reads as ''. */
  matches(fields: Fields): boolean {
    if (this.nothing) return false;
    return this.requirements.every((r) => {
      const v = Object.hasOwn(fields, r.field) ? (fields[r.field] ?? '') : '';
      return r.operator === '=' ? v === r.value : v !== r.value;
    });
  }

  isEmpty(): boolean {
    return !this.nothing && this.requirements.length === 0;
  }

  /** The value a `field=value` term demands, if any. */
  requiresExactMatch(field: string): string | undefined {
    return this.requirements.find((r) => r.field === field && r.operator === '=')?.value;
  }

  /** The field names used, in order, without repeats. */
  fieldNames(): string[] {
    return [...new Set(this.requirements.map((r) => r.field))];
  }

  /**
   * Selector.Transform: maps each term's field and value (e.g. a kind's field label conversion);
   * a term mapped to an empty field and value is dropped.
   */
  transform(fn: (field: string, value: string) => [string, string]): FieldSelector {
    if (this.nothing) return this;
    const next: FieldRequirement[] = [];
    for (const r of this.requirements) {
      const [field, value] = fn(r.field, r.value);
      if (field || value) next.push({ field, operator: r.operator, value });
    }
    return new FieldSelector(next);
  }

  toString(): string {
    if (this.nothing) return '';
    return this.requirements.map((r) => `${r.field}${r.operator}${escapeValue(r.value)}`).join(',');
  }
}

export function everythingFields(): FieldSelector {
  return new FieldSelector();
}

export function nothingFields(): FieldSelector {
  return new FieldSelector([], true);
}

function splitTerms(selector: string): string[] {
  if (selector.length === 0) return [];
  const terms: string[] = [];
  let start = 0;
  let inSlash = false;
  for (let i = 0; i < selector.length; i++) {
    const c = selector[i];
    if (inSlash) inSlash = false;
    else if (c === '\\') inSlash = true;
    else if (c === ',') {
      terms.push(selector.slice(start, i));
      start = i + 1;
    }
  }
  terms.push(selector.slice(start));
  return terms;
}

const TERM_OPERATORS = ['!=', '==', '='] as const;

function splitTerm(term: string): [string, (typeof TERM_OPERATORS)[number], string] | undefined {
  for (let i = 0; i < term.length; i++) {
    for (const op of TERM_OPERATORS) {
      if (term.startsWith(op, i)) return [term.slice(0, i), op, term.slice(i + op.length)];
    }
  }
  return undefined;
}

/** fields.ParseSelector: terms are sorted as text; throws FieldSelectorError. */
export function parseFieldSelector(selector: string): FieldSelector {
  const parts = splitTerms(selector).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const reqs: FieldRequirement[] = [];
  for (const part of parts) {
    if (part === '') continue;
    const split = splitTerm(part);
    if (!split) throw new FieldSelectorError(`invalid selector: '${selector}'; can't understand '${part}'`);
    const [field, op, rhs] = split;
    reqs.push({ field, operator: op === '!=' ? '!=' : '=', value: unescapeValue(rhs) });
  }
  return new FieldSelector(reqs);
}

/** fields.SelectorFromSet / OneTermEqualSelector. */
export function fieldSelectorFromSet(set: Fields): FieldSelector {
  return new FieldSelector(Object.entries(set).map(([field, value]) => ({ field, operator: '=' as const, value })));
}

export function oneTermEqualSelector(field: string, value: string): FieldSelector {
  return new FieldSelector([{ field, operator: '=', value }]);
}

/** The apiserver's 400 message for a field the kind cannot be selected on. */
export function fieldLabelNotSupportedMessage(field: string): string {
  return `field label not supported: ${field}`;
}

/**
 * The first field (in term order) that is not in `supported`, or undefined when all are.
 * The apiserver answers 400 BadRequest with fieldLabelNotSupportedMessage(name).
 */
export function unsupportedFieldLabel(selector: FieldSelector, supported: Iterable<string>): string | undefined {
  const ok = new Set(supported);
  return selector.requirements.find((r) => !ok.has(r.field))?.field;
}
