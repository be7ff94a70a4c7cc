/**
 * metadata.managedFields entries ⇄ the in-memory ownership map: manager identifiers, decoding
 * and encoding (with upstream's entry order), stripping identity fields, and capping the
 * number of Update entries ("ancient-changes").
 */
import type { ManagedFieldsEntry } from '../object.js';
import { FieldSet } from './fieldsv1.js';
import { fieldElement } from './path-element.js';
import type { ManagedFieldSets } from './updater.js';

/** Field sets by manager identifier, and the time each entry was last changed. */
export interface Managed {
  readonly fields: ManagedFieldSets;
  readonly times: Map<string, string | undefined>;
  /** The FieldsV1 each decoded set came from: a set left as it was is encoded as it was. */
  readonly decoded?: ReadonlyMap<FieldSet, Record<string, unknown>>;
}

export function emptyManaged(): Managed {
  return { fields: new Map(), times: new Map() };
}

export function cloneManaged(m: Managed): Managed {
  return { fields: new Map(m.fields), times: new Map(m.times), ...(m.decoded ? { decoded: m.decoded } : {}) };
}

/** What identifies a manager: name, operation, subresource, and apiVersion for updaters. */
export interface ManagerInfo {
  readonly manager: string;
  readonly operation: 'Apply' | 'Update';
  readonly apiVersion?: string;
  readonly subresource?: string;
}

/** The identifier upstream builds (BuildManagerIdentifier): appliers are version-independent. */
export function managerIdentifier(info: ManagerInfo): string {
  const id: Record<string, string> = { manager: info.manager, operation: info.operation };
  if (info.operation === 'Update' && info.apiVersion) id['apiVersion'] = info.apiVersion;
  if (info.subresource) id['subresource'] = info.subresource;
  return JSON.stringify(id);
}

export function parseManagerIdentifier(id: string): ManagerInfo | undefined {
  try {
    const v = JSON.parse(id) as Partial<ManagerInfo>;
    if (typeof v !== 'object' || v === null || typeof v.manager !== 'string') return undefined;
    return v as ManagerInfo;
  } catch {
    return undefined;
  }
}

function seconds(t: string | undefined): number {
  if (!t) return 0;
  const ms = Date.parse(t);
  return Number.isNaN(ms) ? 0 : Math.floor(ms / 1000);
}

/**
 * Decodes entries (DecodeManagedFields); throws on an invalid entry. Entries `stored` by the
 * server are in canonical form: an unchanged set is then encoded again as the same FieldsV1.
 */
export function decodeManagedFields(entries: readonly ManagedFieldsEntry[] | undefined, stored = false): Managed {
  const decoded = stored ? new Map<FieldSet, Record<string, unknown>>() : undefined;
  const m: Managed = { fields: new Map(), times: new Map(), ...(decoded ? { decoded } : {}) };
  (entries ?? []).forEach((e, i) => {
    if (e.operation !== 'Apply' && e.operation !== 'Update') throw new Error('operation must be `Apply` or `Update`');
    if (!e.apiVersion) throw new Error('apiVersion must not be empty');
    if (!e.fieldsType) throw new Error(`missing fieldsType in managed fields entry ${i}`);
    if (e.fieldsType !== 'FieldsV1') throw new Error(`invalid fieldsType "${String(e.fieldsType)}" in managed fields entry ${i}`);
    const id = managerIdentifier({
      manager: e.manager ?? '',
      operation: e.operation,
      apiVersion: e.apiVersion,
      ...(e.subresource ? { subresource: e.subresource } : {}),
    });
    const set = stored ? FieldSet.fromStoredFieldsV1(e.fieldsV1 ?? {}) : FieldSet.fromFieldsV1(e.fieldsV1 ?? {});
    if (e.fieldsV1) decoded?.set(set, e.fieldsV1);
    m.fields.set(id, { set, apiVersion: e.apiVersion, applied: e.operation === 'Apply' });
    m.times.set(id, e.time);
  });
  return m;
}

/** Decodes stored entries, or returns an empty set of managers when they are invalid. */
export function decodeOrEmpty(entries: readonly ManagedFieldsEntry[] | undefined): Managed {
  try {
    return decodeManagedFields(entries, true);
  } catch {
    return emptyManaged();
  }
}

/** Encodes managers as entries in upstream's order; undefined when there are none. */
export function encodeManagedFields(m: Managed): ManagedFieldsEntry[] | undefined {
  if (m.fields.size === 0) return undefined;
  const out: ManagedFieldsEntry[] = [];
  for (const [id, vs] of m.fields) {
    const info = parseManagerIdentifier(id) ?? { manager: id, operation: 'Update' as const };
    const entry: ManagedFieldsEntry = {
      manager: info.manager,
      operation: vs.applied ? 'Apply' : info.operation,
      apiVersion: vs.apiVersion,
    };
    const t = m.times.get(id);
    if (t) entry.time = t;
    entry.fieldsType = 'FieldsV1';
    entry.fieldsV1 = m.decoded?.get(vs.set) ?? vs.set.toFieldsV1();
    if (info.subresource) entry.subresource = info.subresource;
    out.push(entry);
  }
  const str = (a: string | undefined, b: string | undefined): number => ((a ?? '') < (b ?? '') ? -1 : (a ?? '') > (b ?? '') ? 1 : 0);
  return out.sort(
    (p, q) =>
      str(p.operation, q.operation) ||
      seconds(p.time) - seconds(q.time) ||
      str(p.manager, q.manager) ||
      str(p.apiVersion, q.apiVersion) ||
      str(p.subresource, q.subresource),
  );
}

/** True when a request asks to clear managedFields: `[]` or `[{}]`. */
export function isResetManagedFields(entries: readonly ManagedFieldsEntry[] | undefined): boolean {
  if (entries === undefined || entries === null) return false;
  if (entries.length === 0) return true;
  return entries.length === 1 && Object.keys(entries[0] ?? {}).length === 0;
}

/** Paths that are part of an object's identity or server-owned, never owned by a manager. */
export const STRIPPED_FIELDS: FieldSet = FieldSet.of(
  [fieldElement('apiVersion')],
  [fieldElement('kind')],
  [fieldElement('metadata')],
  ...['name', 'namespace', 'creationTimestamp', 'selfLink', 'uid', 'clusterName', 'generation', 'managedFields', 'resourceVersion'].map(
    (f) => [fieldElement('metadata'), fieldElement(f)],
  ),
);

/** Removes STRIPPED_FIELDS from one manager's set (stripMetaManager). */
export function stripMeta(fields: ManagedFieldSets, manager: string): void {
  const vs = fields.get(manager);
  if (!vs) return;
  const set = vs.set.difference(STRIPPED_FIELDS);
  if (set.isEmpty()) fields.delete(manager);
  else fields.set(manager, { ...vs, set });
}

export const DEFAULT_MAX_UPDATE_MANAGERS = 10;

/** Merges the oldest Update entries into per-version "ancient-changes" entries beyond the cap. */
export function capUpdateManagers(m: Managed, max = DEFAULT_MAX_UPDATE_MANAGERS): void {
  const updaters = [...m.fields].filter(([, vs]) => !vs.applied).map(([id]) => id);
  if (updaters.length <= max) return;
  updaters.sort((a, b) => seconds(m.times.get(a)) - seconds(m.times.get(b)) || (a < b ? -1 : a > b ? 1 : 0));
  const firstByVersion = new Map<string, string>();
  let length = updaters.length;
  for (let i = 0; i < updaters.length && length > max; i++) {
    const id = updaters[i]!;
    const vs = m.fields.get(id)!;
    const bucket = managerIdentifier({ manager: 'ancient-changes', operation: 'Update', apiVersion: vs.apiVersion });
    const first = firstByVersion.get(vs.apiVersion);
    if (first === undefined) {
      firstByVersion.set(vs.apiVersion, id);
      continue;
    }
    if (!m.fields.has(bucket)) {
      const s = m.fields.get(first)!;
      m.fields.delete(first);
      m.fields.set(bucket, s);
    }
    m.fields.set(bucket, { set: vs.set.union(m.fields.get(bucket)!.set), apiVersion: vs.apiVersion, applied: vs.applied });
    m.fields.delete(id);
    length--;
    m.times.set(bucket, m.times.get(id));
  }
}
