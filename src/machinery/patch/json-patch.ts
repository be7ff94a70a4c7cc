/**
 * RFC 6902 JSON Patch with the behaviour of gopkg.in/evanphx/json-patch.v4, the library the
 * apiserver applies `application/json-patch+json` bodies with. Its quirks are kept on purpose:
 * negative array indices count from the end, `replace` of a missing object key adds it, `test`
 * of a missing key against null succeeds, the text before the first `/` of a path is ignored.
 */
import { newTooLarge } from '../errors.js';
import { newPatchBadRequest, newPatchNotApplicable } from './errors.js';
import { decodeJson, JsonSyntaxError, unmarshalTypeMessage } from './go-json.js';
import { cloneJson, getKey, hasKey, isMap, jsonEqual, setKey } from './json-value.js';
import type { JsonMap } from './json-value.js';

/** The apiserver's limit on operations in one JSON patch (maxJSONPatchOperations). */
export const MAX_JSON_PATCH_OPERATIONS = 10000;
/** The apiserver's default JSONPatchMaxCopyBytes: total growth `copy` operations may cause. */
export const JSON_PATCH_MAX_COPY_BYTES = 3 * 1024 * 1024;

/** One decoded operation: the raw JSON object (`op`, `path`, `from`, `value`). */
export type JsonPatchOperation = JsonMap | null;

/** A patch that does not apply; the message is worded like the Go library's. */
export class JsonPatchError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'JsonPatchError';
  }
}

const MISSING = 'missing value';
const INVALID_INDEX = 'invalid index referenced';

/** Decodes a JSON patch body; malformed bodies give the apiserver's 400 / 413. */
export function decodeJsonPatch(body: Uint8Array | string): JsonPatchOperation[] {
  let parsed: unknown;
  try {
    parsed = decodeJson(body);
  } catch (err) {
    if (err instanceof JsonSyntaxError) throw newPatchBadRequest(err.message);
    throw err;
  }
  if (parsed === null) return [];
  if (!Array.isArray(parsed)) throw newPatchBadRequest(unmarshalTypeMessage(parsed, 'jsonpatch.Patch'));
  for (const op of parsed) {
    if (op !== null && !isMap(op)) throw newPatchBadRequest(unmarshalTypeMessage(op, 'jsonpatch.Operation'));
  }
  if (parsed.length > MAX_JSON_PATCH_OPERATIONS) {
    throw newTooLarge(
      `Request entity too large: The allowed maximum operations in a JSON patch is ${MAX_JSON_PATCH_OPERATIONS}, got ${parsed.length}`,
    );
  }
  return parsed as JsonPatchOperation[];
}

/** Applies a JSON patch to a copy of `doc`; a patch that does not apply gives the apiserver's 422. */
export function applyJsonPatch(doc: unknown, patch: Uint8Array | string | readonly JsonPatchOperation[]): unknown {
  const ops = typeof patch === 'string' || patch instanceof Uint8Array ? decodeJsonPatch(patch) : patch;
  try {
    return applyJsonPatchOperations(doc, ops);
  } catch (err) {
    if (err instanceof JsonPatchError) throw newPatchNotApplicable();
    throw err;
  }
}

export interface JsonPatchOptions {
  /** Limit on the bytes `copy` operations may add; 0 disables. */
  accumulatedCopySizeLimit?: number;
}

/** Applies operations to a deep copy of `doc`, throwing JsonPatchError with the library's message. */
export function applyJsonPatchOperations(doc: unknown, ops: readonly JsonPatchOperation[], options: JsonPatchOptions = {}): unknown {
  const limit = options.accumulatedCopySizeLimit ?? JSON_PATCH_MAX_COPY_BYTES;
  const state = { root: cloneJson(doc), copied: 0 };
  for (const op of ops) {
    const kind = opKind(op);
    switch (kind) {
      case 'add':
        opAdd(state, op as JsonMap);
        break;
      case 'remove':
        opRemove(state, op as JsonMap);
        break;
      case 'replace':
        opReplace(state, op as JsonMap);
        break;
      case 'move':
        opMove(state, op as JsonMap);
        break;
      case 'copy':
        opCopy(state, op as JsonMap, limit);
        break;
      case 'test':
        opTest(state, op as JsonMap);
        break;
      default:
        throw new JsonPatchError(`Unexpected kind: ${kind}`);
    }
  }
  return state.root;
}

interface State {
  root: unknown;
  copied: number;
}

function opKind(op: JsonPatchOperation): string {
  if (op === null) return 'unknown';
  const v = getKey(op, 'op');
  return typeof v === 'string' ? v : 'unknown';
}

/** Reads `path` or `from`; throws the Go wording through `fail`. */
function stringField(op: JsonMap, field: 'path' | 'from', fail: (cause: string) => string): string {
  const v = getKey(op, field);
  if (v === undefined || v === null) {
    const what = field === 'path' ? 'operation missing path field' : 'operation, missing from field';
    throw new JsonPatchError(fail(`${what}: ${MISSING}`));
  }
  if (typeof v !== 'string') throw new JsonPatchError(fail(unmarshalTypeMessage(v, 'string')));
  return v;
}

/** The operation's value: undefined when absent; `null` and absent both stand for Go's nil. */
function opValue(op: JsonMap): unknown {
  return hasKey(op, 'value') ? op['value'] : undefined;
}

function decodeToken(t: string): string {
  return t.replace(/~1/g, '/').replace(/~0/g, '~');
}

/** Go's strconv.Atoi, returning the error text on failure. */
function atoi(s: string): number | string {
  if (!/^[+-]?\d+$/.test(s)) return `strconv.Atoi: parsing ${JSON.stringify(s)}: invalid syntax`;
  const n = BigInt(s);
  if (n > 9223372036854775807n || n < -9223372036854775808n) return `strconv.Atoi: parsing ${JSON.stringify(s)}: value out of range`;
  return Number(n);
}

/** A container (object or array) with the library's get/set/add/remove semantics. */
interface Container {
  get(key: string): unknown;
  set(key: string, v: unknown): void;
  add(key: string, v: unknown): void;
  remove(key: string): void;
}

function objectContainer(m: JsonMap): Container {
  return {
    get: (key) => getKey(m, key) ?? undefined,
    set: (key, v) => setKey(m, key, v),
    add: (key, v) => setKey(m, key, v),
    remove: (key) => {
      if (!hasKey(m, key)) throw new Error(`Unable to remove nonexistent key: ${key}: ${MISSING}`);
      delete m[key];
    },
  };
}

function arrayContainer(a: unknown[]): Container {
  const index = (key: string, size: number): number => {
    const idx = atoi(key);
    if (typeof idx === 'string') throw new Error(idx);
    if (idx < 0) {
      if (idx < -size) throw new Error(`Unable to access invalid index: ${idx}: ${INVALID_INDEX}`);
      return idx + size;
    }
    return idx;
  };
  return {
    get: (key) => {
      const i = index(key, a.length);
      if (i >= a.length) throw new Error(`Unable to access invalid index: ${i}: ${INVALID_INDEX}`);
      return a[i] ?? undefined;
    },
    set: (key, v) => {
      a[index(key, a.length)] = v;
    },
    add: (key, v) => {
      if (key === '-') {
        a.push(v);
        return;
      }
      const raw = atoi(key);
      if (typeof raw === 'string') throw new Error(`value was not a proper array index: '${key}': ${raw}`);
      if (raw >= a.length + 1) throw new Error(`Unable to access invalid index: ${raw}: ${INVALID_INDEX}`);
      a.splice(index(key, a.length + 1), 0, v);
    },
    remove: (key) => {
      const raw = atoi(key);
      if (typeof raw === 'string') throw new Error(raw);
      if (raw >= a.length) throw new Error(`Unable to access invalid index: ${raw}: ${INVALID_INDEX}`);
      a.splice(index(key, a.length), 1);
    },
  };
}

function containerOf(v: unknown): Container | undefined {
  if (Array.isArray(v)) return arrayContainer(v);
  if (isMap(v)) return objectContainer(v);
  return undefined;
}

/** The library's findObject: the parent container of `path` and the last (decoded) token. */
function findObject(state: State, path: string): [Container, string] | undefined {
  const split = path.split('/');
  if (split.length < 2) return undefined;
  let doc = containerOf(state.root);
  if (!doc) return undefined;
  for (const part of split.slice(1, -1)) {
    let next: unknown;
    try {
      next = doc.get(decodeToken(part));
    } catch {
      return undefined;
    }
    const c = next === undefined || next === null ? undefined : containerOf(next);
    if (!c) return undefined;
    doc = c;
  }
  return [doc, decodeToken(split[split.length - 1] as string)];
}

function wrap(fn: () => void, message: (cause: string) => string): void {
  try {
    fn();
  } catch (err) {
    if (err instanceof JsonPatchError) throw err;
    throw new JsonPatchError(message(err instanceof Error ? err.message : String(err)));
  }
}

function opAdd(state: State, op: JsonMap): void {
  const path = stringField(op, 'path', () => `add operation failed to decode path: ${MISSING}`);
  const found = findObject(state, path);
  if (!found) throw new JsonPatchError(`add operation does not apply: doc is missing path: "${path}": ${MISSING}`);
  const [con, key] = found;
  wrap(
    () => con.add(key, cloneJson(opValue(op) ?? null)),
    (c) => `error in add for path: '${path}': ${c}`,
  );
}

function opRemove(state: State, op: JsonMap): void {
  const path = stringField(op, 'path', () => `remove operation failed to decode path: ${MISSING}`);
  const found = findObject(state, path);
  if (!found) throw new JsonPatchError(`remove operation does not apply: doc is missing path: "${path}": ${MISSING}`);
  const [con, key] = found;
  wrap(
    () => con.remove(key),
    (c) => `error in remove for path: '${path}': ${c}`,
  );
}

function opReplace(state: State, op: JsonMap): void {
  const path = stringField(op, 'path', (c) => `replace operation failed to decode path: ${c}`);
  if (path === '') {
    const v = opValue(op);
    if (!isMap(v) && !Array.isArray(v)) throw new JsonPatchError('replace operation value must be object or array: %!w(<nil>)');
    state.root = cloneJson(v);
    return;
  }
  const found = findObject(state, path);
  if (!found) throw new JsonPatchError(`replace operation does not apply: doc is missing path: ${path}: ${MISSING}`);
  const [con, key] = found;
  wrap(
    () => con.get(key),
    () => `replace operation does not apply: doc is missing key: ${path}: ${MISSING}`,
  );
  wrap(
    () => con.set(key, cloneJson(opValue(op) ?? null)),
    (c) => `error in remove for path: '${path}': ${c}`,
  );
}

function opMove(state: State, op: JsonMap): void {
  const from = stringField(op, 'from', (c) => `move operation failed to decode from: ${c}`);
  const source = findObject(state, from);
  if (!source) throw new JsonPatchError(`move operation does not apply: doc is missing from path: ${from}: ${MISSING}`);
  const [scon, skey] = source;
  let val: unknown;
  wrap(
    () => (val = scon.get(skey)),
    (c) => `error in move for path: '${skey}': ${c}`,
  );
  wrap(
    () => scon.remove(skey),
    (c) => `error in move for path: '${skey}': ${c}`,
  );
  const path = stringField(op, 'path', (c) => `move operation failed to decode path: ${c}`);
  const target = findObject(state, path);
  if (!target) throw new JsonPatchError(`move operation does not apply: doc is missing destination path: ${path}: ${MISSING}`);
  const [tcon, tkey] = target;
  wrap(
    () => tcon.add(tkey, val ?? null),
    (c) => `error in move for path: '${path}': ${c}`,
  );
}

function opCopy(state: State, op: JsonMap, limit: number): void {
  const from = stringField(op, 'from', (c) => `copy operation failed to decode from: ${c}`);
  const source = findObject(state, from);
  if (!source) throw new JsonPatchError(`copy operation does not apply: doc is missing from path: ${from}: ${MISSING}`);
  const [scon, skey] = source;
  let val: unknown;
  wrap(
    () => (val = scon.get(skey)),
    (c) => `error in copy for from: '${from}': ${c}`,
  );
  const path = stringField(op, 'path', () => `copy operation failed to decode path: ${MISSING}`);
  const target = findObject(state, path);
  if (!target) throw new JsonPatchError(`copy operation does not apply: doc is missing destination path: ${path}: ${MISSING}`);
  const [tcon, tkey] = target;
  if (val !== undefined) state.copied += Buffer.byteLength(JSON.stringify(val));
  if (limit > 0 && state.copied > limit) {
    throw new JsonPatchError(
      `Unable to complete the copy, the accumulated size increase of copy is ${state.copied}, exceeding the limit ${limit}`,
    );
  }
  wrap(
    () => tcon.add(tkey, cloneJson(val ?? null)),
    (c) => `error while adding value during copy: ${c}`,
  );
}

function opTest(state: State, op: JsonMap): void {
  const path = stringField(op, 'path', (c) => `test operation failed to decode path: ${c}`);
  const expected = opValue(op);
  const failed = (): JsonPatchError => new JsonPatchError(`testing value ${path} failed: test failed`);
  if (path === '') {
    if (!jsonEqual(state.root, expected)) throw failed();
    return;
  }
  const found = findObject(state, path);
  if (!found) throw new JsonPatchError(`test operation does not apply: is missing path: ${path}: ${MISSING}`);
  const [con, key] = found;
  let actual: unknown;
  wrap(
    () => (actual = con.get(key)),
    (c) => `error in test for path: '${path}': ${c}`,
  );
  if (actual === undefined || actual === null) {
    if (expected === undefined || expected === null) return;
    throw failed();
  }
  if (expected === undefined || !jsonEqual(actual, expected)) throw failed();
}
