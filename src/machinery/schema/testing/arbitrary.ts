/**
 * fast-check arbitraries from the type declarations: type-valid JSON values of a declared type
 * (every field holds a value of its declared JSON type; not necessarily a value validation
 * accepts), and one-leaf mutations of them that put a value of a wrong JSON type at one place.
 * A typed decoder must accept the first and reject the second.
 */
import fc from 'fast-check';
import { lookupType, type FieldType, type Scalar, type TypeDef } from '../dsl.js';

export interface ValueOptions {
  /** How many struct references deep values go; fields referring deeper are left out. Default 4. */
  readonly maxDepth?: number;
  /** Chance that an optional field of a struct at depth d is present: a function of d. */
  readonly presence?: (depth: number) => number;
  /** Most items in a list and entries in a map. Default 2. */
  readonly maxItems?: number;
}

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;
const ABSENT = Symbol('absent');

const defaultPresence = (depth: number): number => (depth <= 1 ? 0.5 : depth === 2 ? 0.3 : 0.15);

const shortString = fc.oneof(
  { weight: 4, arbitrary: fc.string({ maxLength: 10 }) },
  { weight: 2, arbitrary: fc.constantFrom('', 'a', 'app', 'default', 'nginx:1.27', 'kubernetes.io/name', '80', '50%', 'TCP', 'Always') },
  { weight: 1, arbitrary: fc.string({ maxLength: 6, unit: 'grapheme' }) },
  { weight: 1, arbitrary: fc.string({ maxLength: 6, unit: 'binary' }) },
);
const int32 = fc.integer({ min: INT32_MIN, max: INT32_MAX });
const finiteDouble = fc.double({ noNaN: true, noDefaultInfinity: true });
/** Dates Go's RFC 3339 parser accepts: years 0001 to 9999. */
const date = fc.date({ min: new Date('0001-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59Z'), noInvalidDate: true });
const rfc3339 = date.map((d) => d.toISOString().replace(/\.\d{3}Z$/, 'Z'));
const rfc3339Micro = fc
  .tuple(date, fc.integer({ min: 0, max: 999_999 }))
  .map(([d, micros]) => d.toISOString().replace(/\.\d{3}Z$/, `.${String(micros).padStart(6, '0')}Z`));
/** Go durations: one to three number-unit pairs, optionally negative ("1m30s", "-1.5h", "300ms"). */
const goDuration = fc
  .tuple(
    fc.boolean(),
    fc.array(fc.tuple(fc.integer({ min: 0, max: 999 }), fc.constantFrom('h', 'm', 's', 'ms', 'us', 'ns'), fc.boolean()), {
      minLength: 1,
      maxLength: 3,
    }),
  )
  .map(([negative, parts]) => (negative ? '-' : '') + parts.map(([n, unit, half]) => `${n}${half ? '.5' : ''}${unit}`).join(''));
const quantity = fc.oneof(
  fc
    .tuple(
      fc.integer({ min: 0, max: 99_999 }),
      fc.constantFrom('', '.5', '.25'),
      fc.constantFrom('', 'n', 'u', 'm', 'k', 'M', 'G', 'T', 'Ki', 'Mi', 'Gi', 'Ti', 'e3', 'E-2'),
    )
    .map(([n, fraction, suffix]) => `${n}${fraction}${suffix}`),
  fc.integer({ min: 0, max: 10_000 }),
  fc.constantFrom(0.5, 1.25, 2.5),
);
const jsonValue = fc.jsonValue({ maxDepth: 2 });
const jsonObject = fc.dictionary(fc.string({ maxLength: 6 }), jsonValue, { maxKeys: 3, noNullPrototype: true });
const fieldsV1 = fc.dictionary(
  fc.constantFrom('f:metadata', 'f:spec', 'f:data', 'f:labels', '.', 'k:{"name":"a"}'),
  fc.constantFrom({}, { 'f:a': {} }, { '.': {}, 'f:b': {} }),
  { maxKeys: 3, noNullPrototype: true },
);

const validScalars: Readonly<Record<Scalar, fc.Arbitrary<unknown>>> = {
  string: shortString,
  int32,
  // int64 beyond 2^53 is not exact in JSON.parse; the decoder's range checks are tested by mutations
  int64: fc.maxSafeInteger(),
  double: finiteDouble,
  boolean: fc.boolean(),
  bytes: fc.uint8Array({ maxLength: 16 }).map((b) => Buffer.from(b).toString('base64')),
  time: rfc3339,
  microtime: rfc3339Micro,
  duration: goDuration,
  quantity,
  intOrString: fc.oneof(int32, shortString),
  rawExtension: jsonObject,
  json: jsonValue,
  fieldsV1,
};

/** A type-valid JSON value of a declared field type, or undefined when it refers deeper than allowed. */
export function arbitraryOf(type: FieldType, options: ValueOptions = {}): fc.Arbitrary<unknown> | undefined {
  return new ValueArbitraries(options).of(type, 0);
}

/** A type-valid JSON object of the named declared type. */
export function arbitraryObject(typeName: string, options: ValueOptions = {}): fc.Arbitrary<Record<string, unknown>> {
  const arb = new ValueArbitraries(options).of({ ref: typeName }, -1);
  if (!arb) throw new Error(`no arbitrary for ${typeName}`);
  return arb as fc.Arbitrary<Record<string, unknown>>;
}

class ValueArbitraries {
  readonly #maxDepth: number;
  readonly #presence: (depth: number) => number;
  readonly #maxItems: number;
  readonly #structs = new Map<string, fc.Arbitrary<Record<string, unknown>>>();

  constructor(options: ValueOptions) {
    this.#maxDepth = options.maxDepth ?? 4;
    this.#presence = options.presence ?? defaultPresence;
    this.#maxItems = options.maxItems ?? 2;
  }

  /** `depth` is the depth of the struct holding a field of this type (-1 for a root value). */
  of(type: FieldType, depth: number): fc.Arbitrary<unknown> | undefined {
    if ('scalar' in type) return validScalars[type.scalar];
    if ('ref' in type) return depth + 1 > this.#maxDepth ? undefined : this.#struct(type.ref, depth + 1);
    if ('list' in type) {
      const item = this.of(type.list, depth);
      return item && fc.array(item, { maxLength: this.#maxItems });
    }
    const value = this.of(type.map, depth);
    return value && fc.dictionary(shortString, value, { maxKeys: this.#maxItems, noNullPrototype: true });
  }

  /** A string (or list of strings) field with declared enum values: mostly those, sometimes any string. */
  #enumerated(type: FieldType, values: readonly string[], depth: number): fc.Arbitrary<unknown> | undefined {
    const value = fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...values) }, { weight: 1, arbitrary: shortString });
    if ('scalar' in type && type.scalar === 'string') return value;
    if ('list' in type && 'scalar' in type.list && type.list.scalar === 'string') return fc.array(value, { maxLength: this.#maxItems });
    return this.of(type, depth);
  }

  #struct(name: string, depth: number): fc.Arbitrary<Record<string, unknown>> {
    const key = `${name}@${depth}`;
    const known = this.#structs.get(key);
    if (known) return known;
    const def = mustLookup(name);
    const required = new Set(def.required ?? []);
    const present = Math.round(this.#presence(depth) * 100);
    const fields: Record<string, fc.Arbitrary<unknown>> = {};
    for (const [fieldName, f] of Object.entries(def.fields)) {
      const arb = f.enum?.length ? this.#enumerated(f.type, f.enum, depth) : this.of(f.type, depth);
      if (!arb) continue;
      fields[fieldName] = required.has(fieldName)
        ? arb
        : fc.oneof({ weight: 100 - present, arbitrary: fc.constant(ABSENT) }, { weight: present, arbitrary: arb });
    }
    const arb = fc.record(fields).map((r) => {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(r)) if (v !== ABSENT) out[k] = v;
      return out;
    });
    this.#structs.set(key, arb);
    return arb;
  }
}

function mustLookup(name: string): TypeDef {
  const def = lookupType(name);
  if (!def) throw new Error(`type ${name} is not declared (load the declarations first)`);
  return def;
}

// ---- one-leaf mutations ----

export type PathSegment = string | number;

export interface Mutation {
  /** Where the wrong value went, e.g. `spec.containers[0].ports[1].containerPort` or `metadata.labels["app"]`. */
  readonly path: string;
  readonly segments: readonly PathSegment[];
  /** The declared type at that place: a scalar name, `[]T`, `map[string]T` or a definition name. */
  readonly declared: string;
  /** The JSON value of the wrong type put there. */
  readonly value: unknown;
}

export interface Mutated<T> {
  readonly value: T;
  readonly mutation: Mutation;
}

const wrongNumber = fc.oneof(fc.integer(), finiteDouble);
const smallObject = fc.dictionary(fc.string({ maxLength: 4 }), fc.oneof(fc.integer(), fc.string({ maxLength: 4 })), {
  maxKeys: 2,
  noNullPrototype: true,
});
const smallArray = fc.array(fc.oneof(fc.integer(), fc.string({ maxLength: 4 }), fc.boolean()), { maxLength: 2 });
const notAString = fc.oneof(wrongNumber, fc.boolean(), smallObject, smallArray);
const notANumber = fc.oneof(shortString, fc.boolean(), smallObject, smallArray);
const notAnInteger = fc.oneof(
  notANumber,
  finiteDouble.filter((d) => !Number.isInteger(d)),
  fc.constantFrom(0.5, -1.5, 1e-7),
);
const outOfInt32 = fc.oneof(fc.integer({ min: INT32_MAX + 1, max: Number.MAX_SAFE_INTEGER }), fc.constantFrom(INT32_MIN - 1, -(2 ** 40)));
const outOfInt64 = fc.constantFrom(2 ** 64, -(2 ** 64), 1e20, 1e300);
const notAContainer = fc.oneof(shortString, wrongNumber, fc.boolean());

/** Values of a wrong JSON type for each scalar; none for the any-JSON scalars. */
const wrongScalars: Readonly<Record<Scalar, fc.Arbitrary<unknown> | undefined>> = {
  string: notAString,
  int32: fc.oneof(notAnInteger, outOfInt32),
  int64: fc.oneof(notAnInteger, outOfInt64),
  double: notANumber,
  boolean: fc.oneof(fc.constantFrom('true', 'false', 0, 1), shortString, wrongNumber, smallObject, smallArray),
  // Go decodes a JSON array of bytes ([1, 2], even []) into []byte: only arrays with a non-byte are wrong
  bytes: fc.oneof(
    wrongNumber,
    fc.boolean(),
    smallObject,
    fc.constantFrom(['x'], [256], [-1], [0.5], [true], [[]], 'A', '!!!!', 'not base64', '%%%%===='),
  ),
  time: fc.oneof(wrongNumber, fc.boolean(), smallObject, smallArray, fc.constantFrom('yesterday', '2024-13-45T99:00:00Z', '12:00')),
  microtime: fc.oneof(wrongNumber, fc.boolean(), smallObject, smallArray, fc.constantFrom('now', '2024-01-02 03:04:05')),
  duration: fc.oneof(wrongNumber, fc.boolean(), smallObject, smallArray, fc.constantFrom('forever', '1x', '5 minutes')),
  quantity: fc.oneof(fc.boolean(), smallObject, smallArray, fc.constantFrom('abc', '1.2.3', '--1', '5 Gi')),
  intOrString: fc.oneof(fc.boolean(), smallObject, smallArray, fc.constantFrom(0.5, -2.25), outOfInt32),
  rawExtension: undefined,
  json: undefined,
  fieldsV1: undefined,
};

/** A value of a wrong JSON type for a declared type, or undefined when every JSON value fits it. */
export function wrongValueFor(type: FieldType): fc.Arbitrary<unknown> | undefined {
  if ('scalar' in type) return wrongScalars[type.scalar];
  if ('list' in type) return fc.oneof(smallObject, notAContainer);
  return fc.oneof(smallArray, notAContainer);
}

export function describeType(type: FieldType): string {
  if ('scalar' in type) return type.scalar;
  if ('ref' in type) return type.ref;
  if ('list' in type) return `[]${describeType(type.list)}`;
  return `map[string]${describeType(type.map)}`;
}

export function formatPath(segments: readonly PathSegment[], mapKeys: ReadonlySet<number> = new Set()): string {
  let out = '';
  segments.forEach((s, i) => {
    if (typeof s === 'number') out += `[${s}]`;
    else if (mapKeys.has(i)) out += `[${JSON.stringify(s)}]`;
    else out += out === '' ? s : `.${s}`;
  });
  return out;
}

interface Site {
  readonly segments: readonly PathSegment[];
  /** Indexes of segments that are map keys (for the printed path). */
  readonly mapKeys: ReadonlySet<number>;
  readonly type: FieldType;
  readonly wrong: fc.Arbitrary<unknown>;
}

/**
 * The places in `value` (of declared type `type`) where a wrong value can go: every present
 * node but the root and the any-JSON scalars (`present`), and every absent field of a present
 * struct (`absent`).
 */
export function mutationSites(value: unknown, type: FieldType): { present: Site[]; absent: Site[] } {
  const present: Site[] = [];
  const absent: Site[] = [];
  const visit = (v: unknown, t: FieldType, segments: PathSegment[], mapKeys: Set<number>): void => {
    const wrong = wrongValueFor(t);
    if (segments.length > 0 && wrong) present.push({ segments, mapKeys, type: t, wrong });
    if ('list' in t && Array.isArray(v)) v.forEach((item, i) => visit(item, t.list, [...segments, i], mapKeys));
    else if ('map' in t && isObject(v)) {
      for (const [k, item] of Object.entries(v)) visit(item, t.map, [...segments, k], new Set([...mapKeys, segments.length]));
    } else if ('ref' in t && isObject(v)) {
      for (const [name, f] of Object.entries(mustLookup(t.ref).fields)) {
        const at = [...segments, name];
        if (Object.hasOwn(v, name)) visit(v[name], f.type, at, mapKeys);
        else {
          const w = wrongValueFor(f.type);
          if (w) absent.push({ segments: at, mapKeys, type: f.type, wrong: w });
        }
      }
    }
  };
  visit(value, type, [], new Set());
  return { present, absent };
}

/**
 * `value` with one place holding a value of a wrong JSON type: usually a present node (a scalar
 * leaf, a list, a map or a struct), sometimes a field the value left out. Throws when the type
 * has no place that can be wrong.
 */
export function mutateOneLeaf<T>(value: T, type: FieldType): fc.Arbitrary<Mutated<T>> {
  const { present, absent } = mutationSites(value, type);
  const choices: fc.WeightedArbitrary<Site>[] = [];
  if (present.length > 0) choices.push({ weight: 3, arbitrary: fc.constantFrom(...present) });
  if (absent.length > 0) choices.push({ weight: 1, arbitrary: fc.constantFrom(...absent) });
  if (choices.length === 0) throw new Error(`${describeType(type)}: no place for a wrong value`);
  return fc
    .oneof(...choices)
    .chain((site) => site.wrong.map((wrong) => ({ site, wrong })))
    .map(({ site, wrong }) => ({
      value: setAt(value, site.segments, wrong),
      mutation: { path: formatPath(site.segments, site.mapKeys), segments: site.segments, declared: describeType(site.type), value: wrong },
    }));
}

/** A type-valid object of the named type with one place mutated to a wrong JSON type. */
export function arbitraryMutatedObject(
  typeName: string,
  options: ValueOptions = {},
  prepare: (obj: Record<string, unknown>) => Record<string, unknown> = (o) => o,
): fc.Arbitrary<Mutated<Record<string, unknown>>> {
  return arbitraryObject(typeName, options)
    .map(prepare)
    .chain((obj) => mutateOneLeaf(obj, { ref: typeName }));
}

function setAt<T>(root: T, segments: readonly PathSegment[], value: unknown): T {
  const copy = structuredClone(root);
  let node: unknown = copy;
  for (const s of segments.slice(0, -1)) node = (node as Record<PathSegment, unknown>)[s];
  // defined, not assigned: a map key may be `__proto__`
  Object.defineProperty(node, segments[segments.length - 1] as PathSegment, {
    value,
    writable: true,
    enumerable: true,
    configurable: true,
  });
  return copy;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
