/**
 * managedFields tracking for create, update and patch requests (upstream's FieldManager.Update
 * and the managers it wraps): the fields a request changes become owned by its manager with
 * operation Update and are taken from everyone else.
 */
import { lookupType } from '../schema/dsl.js';
import { jsonEqual } from '../json-equal.js';
import type { KubeObject, ManagedFieldsEntry } from '../object.js';
import {
  capUpdateManagers,
  cloneManaged,
  decodeManagedFields,
  decodeOrEmpty,
  emptyManaged,
  encodeManagedFields,
  isResetManagedFields,
  managerIdentifier,
  stripMeta,
  type Managed,
} from './entries.js';
import { FieldSet } from './fieldsv1.js';
import { fieldElement } from './path-element.js';
import { rootSchema, type Schema } from './schema.js';
import { updaterUpdate } from './updater.js';
import { cloneJson } from '../clone.js';
import { rfc3339 } from '../time.js';

export interface UpdateManagedFieldsOptions {
  /** The stored object; undefined on create. */
  old: KubeObject | undefined;
  /** The object about to be stored (after patching, defaulting and the strategy); updated in place. */
  updated: KubeObject;
  /** The fieldManager parameter, or the name derived from the User-Agent. */
  manager: string;
  operation: 'Update';
  /** The request's group/version, e.g. `v1` or `apps/v1`. */
  apiVersion: string;
  now: Date;
  /** `status`, `scale`, …; absent for the main resource. */
  subresource?: string;
  /** Type definition name; else looked up by apiVersion/kind; else treated as unknown. */
  typeName?: string;
  /** Field paths the strategy resets for this (sub)resource, e.g. [['status']]. */
  resetFields?: readonly (readonly string[])[];
}

/** Shared context of one request. */
export interface RequestContext {
  readonly schema: Schema;
  readonly ignored: FieldSet | undefined;
  readonly apiVersion: string;
  readonly subresource: string | undefined;
  readonly now: Date;
}

export function resetFieldSet(paths: readonly (readonly string[])[] | undefined): FieldSet | undefined {
  if (!paths || paths.length === 0) return undefined;
  return FieldSet.of(...paths.map((p) => p.map(fieldElement)));
}

/**
 * The reset fields upstream strategies use by default: the main resource of a kind with a
 * status subresource resets `status`; the status subresource resets `spec` (and labels for
 * workloads; pass those explicitly).
 */
export function defaultResetFields(subresource: string | undefined, hasStatusSubresource: boolean): string[][] {
  if (!hasStatusSubresource) return [];
  if (!subresource) return [['status']];
  if (subresource === 'status') return [['spec']];
  return [];
}

/**
 * The object a create starts from: what Go's zero value of the kind serializes to, as far as our
 * type registry tells. Go writes value structs (spec, status) as `{}` and fields without
 * omitempty (OpenAPI `required`) as empty values, so fields created under them add no `.`
 * entry. (Optional value structs such as a Deployment's strategy cannot be told apart from
 * pointers here and do get a `.`.)
 */
export function emptyObjectFor(schema: Schema, apiVersion: string | undefined, kind: string | undefined): Record<string, unknown> {
  const obj: Record<string, unknown> = {};
  if (apiVersion) obj['apiVersion'] = apiVersion;
  if (kind) obj['kind'] = kind;
  obj['metadata'] = {};
  if (schema.kind !== 'struct' || schema.def.name === '') return obj;
  for (const f of ['spec', 'status']) {
    const def = schema.def.fields[f];
    if (def && 'ref' in def.type) obj[f] = zeroStruct(def.type.ref, 0);
  }
  return obj;
}

function zeroStruct(typeName: string, depth: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const def = lookupType(typeName);
  if (!def || depth > 8) return out;
  for (const name of def.required ?? []) {
    const f = def.fields[name];
    if (!f) continue;
    out[name] = 'ref' in f.type && lookupType(f.type.ref) ? zeroStruct(f.type.ref, depth + 1) : null;
  }
  return out;
}

/** Strips managedFields off an object copy; the rest is compared and merged as JSON. */
export function withoutManagedFields(obj: KubeObject): KubeObject {
  const { managedFields: _, ...metadata } = obj.metadata;
  return { ...obj, metadata };
}

/**
 * The Update pipeline below upstream's skip-non-applied layer: builds the manager identifier,
 * records changed fields under a placeholder, strips identity fields, folds the result into
 * the manager's entry with a fresh time, then caps Update entries.
 */
export function recordUpdate(ctx: RequestContext, live: unknown, updated: unknown, managed: Managed, manager: string): Managed {
  const out = cloneManaged(managed);
  const id = managerIdentifier({
    manager: manager || 'unknown',
    operation: 'Update',
    apiVersion: ctx.apiVersion,
    ...(ctx.subresource ? { subresource: ctx.subresource } : {}),
  });
  const self = 'current-operation';
  const before = out.fields.get(id)?.set;
  updaterUpdate({ schema: ctx.schema, ignored: ctx.ignored }, live, updated, ctx.apiVersion, out.fields, self);
  stripMeta(out.fields, self);
  const vs = out.fields.get(self);
  if (vs) {
    out.fields.delete(self);
    const previous = out.fields.get(id);
    const set = previous ? previous.set.union(vs.set) : vs.set;
    // a manager changing only fields it owns keeps its set, and its stored FieldsV1 (Managed.decoded)
    out.fields.set(id, { ...vs, set: before?.equals(set) ? before : set });
    out.times.set(id, rfc3339(ctx.now));
  }
  capUpdateManagers(out);
  return out;
}

/**
 * Brings metadata.managedFields of `updated` up to date, in place, for a create, update or patch
 * by `manager`, and returns it. Never fails: when the fields cannot be tracked, the stored
 * entries are kept.
 */
export function updateManagedFields(opts: UpdateManagedFieldsOptions): KubeObject {
  const updated = opts.updated;
  const sent: ManagedFieldsEntry[] | undefined = updated.metadata.managedFields;
  const liveEntries = opts.old?.metadata.managedFields;
  let managed: Managed;
  // a client that sends back the stored entries (most updates do) gets them treated as stored
  if (opts.subresource || (sent !== undefined && liveEntries !== undefined && jsonEqual(sent, liveEntries))) {
    managed = decodeOrEmpty(liveEntries);
  } else if (isResetManagedFields(sent)) {
    managed = emptyManaged();
  } else {
    try {
      managed = decodeManagedFields(sent);
      if (managed.fields.size === 0) managed = decodeOrEmpty(liveEntries);
    } catch {
      managed = decodeOrEmpty(liveEntries);
    }
  }
  delete updated.metadata.managedFields;
  const schema = rootSchema(opts.typeName, updated.apiVersion ?? opts.old?.apiVersion, updated.kind ?? opts.old?.kind);
  const ctx: RequestContext = {
    schema,
    ignored: resetFieldSet(opts.resetFields),
    apiVersion: opts.apiVersion,
    subresource: opts.subresource,
    now: opts.now,
  };
  // Objects that exist without managedFields stay untracked until their first apply.
  if (managed.fields.size === 0 && opts.old?.metadata.uid) return updated;
  const live = opts.old ? withoutManagedFields(opts.old) : emptyObjectFor(schema, updated.apiVersion, updated.kind);
  try {
    managed = recordUpdate(ctx, live, updated, managed, opts.manager);
  } catch {
    if (liveEntries) updated.metadata.managedFields = cloneJson(liveEntries);
    return updated;
  }
  const entries = encodeManagedFields(managed);
  if (entries) updated.metadata.managedFields = entries;
  return updated;
}
