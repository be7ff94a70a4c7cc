/**
 * Server-side apply (upstream's FieldManager.Apply and the managers it wraps): merges an
 * applied configuration into the live object, records the applier's fields with operation
 * Apply, prunes what it stopped applying, and reports conflicts as 409 Conflict.
 */
import { newBadRequest, StatusError, type StatusCause } from '../errors.js';
import type { KubeObject } from '../object.js';
import {
  decodeManagedFields,
  encodeManagedFields,
  managerIdentifier,
  parseManagerIdentifier,
  stripMeta,
  type Managed,
  cloneManaged,
} from './entries.js';
import type { FieldSet } from './fieldsv1.js';
import { pathString } from './path-element.js';
import { emptyObjectFor, recordUpdate, resetFieldSet, withoutManagedFields, type RequestContext } from './managed-fields.js';
import { rootSchema, isObject } from './schema.js';
import { compare, toFieldSet, TypedValueError } from './typed.js';
import { ApplyConflicts, updaterApply, type FieldConflict } from './updater.js';
import { cloneJson } from '../clone.js';
import { rfc3339 } from '../time.js';

export const LAST_APPLIED_CONFIG_ANNOTATION = 'kubectl.kubernetes.io/last-applied-configuration';

export interface ApplyOptions {
  /** The stored object; undefined when the apply creates it. */
  live: KubeObject | undefined;
  /** The applied configuration (the body of an application/apply-patch+yaml request). */
  config: KubeObject;
  /** The fieldManager parameter (required for apply). */
  manager: string;
  force: boolean;
  /** Type definition name; else looked up by apiVersion/kind; else treated as unknown. */
  typeName?: string;
  /** The request's group/version, e.g. `v1` or `apps/v1`. */
  apiVersion: string;
  /** The request's kind; when given, the configuration must have this kind. */
  kind?: string;
  now: Date;
  subresource?: string;
  /** Field paths the strategy resets for this (sub)resource, e.g. [['status']]. */
  resetFields?: readonly (readonly string[])[];
}

function printManager(id: string): string {
  const info = parseManagerIdentifier(id);
  if (!info) return JSON.stringify(id);
  let s = JSON.stringify(info.manager);
  if (info.subresource) s += ` with subresource ${JSON.stringify(info.subresource)}`;
  if (info.operation === 'Update') s += ` using ${info.apiVersion ?? ''}`;
  return s;
}

/** The 409 upstream returns for apply conflicts (NewConflictError). */
export function newApplyConflict(conflicts: readonly FieldConflict[]): StatusError {
  const causes: StatusCause[] = conflicts.map((c) => ({
    reason: 'FieldManagerConflict',
    message: `conflict with ${printManager(c.manager)}`,
    field: pathString(c.path),
  }));
  let message: string;
  if (conflicts.length === 1) {
    const c = conflicts[0]!;
    message = `Apply failed with 1 conflict: conflict with ${printManager(c.manager)}: ${pathString(c.path)}`;
  } else {
    const byManager = new Map<string, string[]>();
    for (const c of conflicts) byManager.set(c.manager, [...(byManager.get(c.manager) ?? []), pathString(c.path)]);
    const lines: string[] = [];
    for (const m of [...byManager.keys()].sort()) {
      lines.push(`conflicts with ${printManager(m)}:`);
      for (const p of byManager.get(m)!) lines.push(`- ${p}`);
    }
    message = `Apply failed with ${conflicts.length} conflicts: ${lines.join('\n')}`;
  }
  return new StatusError({
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason: 'Conflict',
    details: { causes },
    code: 409,
  });
}

function internalError(message: string): StatusError {
  return new StatusError({
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: `Internal error occurred: ${message}`,
    reason: 'InternalError',
    details: { causes: [{ message }] },
    code: 500,
  });
}

function gvkString(apiVersion: string | undefined, kind: string | undefined): string {
  const av = apiVersion ?? '';
  const gv = av.includes('/') ? av : `/${av}`;
  return `${gv}, Kind=${kind ?? ''}`;
}

/** Fields kubectl's last-applied annotation set that still hold the same value live. */
function allowedConflictsFromLastApplied(ctx: RequestContext, live: KubeObject): FieldSet | undefined {
  const raw = live.metadata.annotations?.[LAST_APPLIED_CONFIG_ANNOTATION];
  if (!raw) return undefined;
  let last: unknown;
  try {
    last = JSON.parse(raw);
  } catch {
    return undefined;
  }
  if (!isObject(last) || last['apiVersion'] !== ctx.apiVersion) return undefined;
  const set = toFieldSet(last, ctx.schema);
  const cmp = compare(last, withoutManagedFields(live), ctx.schema);
  return set.difference(cmp.modified).difference(cmp.added).difference(cmp.removed);
}

/** The annotation value kubectl would write for this configuration: sorted-key JSON and a newline. */
function buildLastApplied(config: KubeObject): string {
  const copy = cloneJson(config);
  if (copy.metadata?.annotations) {
    delete copy.metadata.annotations[LAST_APPLIED_CONFIG_ANNOTATION];
  }
  return `${sortedJson(copy)}\n`;
}

function sortedJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(sortedJson).join(',')}]`;
  if (isObject(v)) {
    const keys = Object.keys(v)
      .filter((k) => v[k] !== undefined)
      .sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${sortedJson(v[k])}`).join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}

interface ApplyResult {
  object: KubeObject;
  managed: Managed;
}

/** buildManagerInfo → managedFieldsUpdater → stripMeta → structured merge. */
function applyCore(
  ctx: RequestContext,
  live: KubeObject,
  config: KubeObject,
  managed: Managed,
  manager: string,
  force: boolean,
): ApplyResult {
  const out = cloneManaged(managed);
  const id = managerIdentifier({ manager, operation: 'Apply', ...(ctx.subresource ? { subresource: ctx.subresource } : {}) });
  const merged = updaterApply({ schema: ctx.schema, ignored: ctx.ignored }, live, config, ctx.apiVersion, out.fields, id, force);
  stripMeta(out.fields, id);
  if (merged !== undefined) {
    out.times.set(id, rfc3339(ctx.now));
    return { object: merged as KubeObject, managed: out };
  }
  return { object: cloneJson(live), managed: out };
}

/**
 * Applies `config` as `manager` and returns the object to store, with managedFields set.
 * Throws StatusError: 409 Conflict (FieldManagerConflict causes) unless force; 400 for a
 * configuration of the wrong kind/version or one carrying managedFields.
 */
export function applyConfiguration(opts: ApplyOptions): KubeObject {
  const { config } = opts;
  if (opts.kind !== undefined && (config.kind !== opts.kind || config.apiVersion !== opts.apiVersion)) {
    throw newBadRequest(`invalid object type: ${gvkString(config.apiVersion, config.kind)}`);
  }
  if (config.apiVersion !== opts.apiVersion) {
    throw newBadRequest(
      `Incorrect version specified in apply patch. Specified patch version: ${config.apiVersion ?? ''}, expected: ${opts.apiVersion}`,
    );
  }
  if (config.metadata?.managedFields !== undefined) throw newBadRequest('metadata.managedFields must be nil');
  const schema = rootSchema(opts.typeName, config.apiVersion, config.kind ?? opts.live?.kind);
  const ctx: RequestContext = {
    schema,
    ignored: resetFieldSet(opts.resetFields),
    apiVersion: opts.apiVersion,
    subresource: opts.subresource,
    now: opts.now,
  };
  let managed: Managed;
  try {
    managed = decodeManagedFields(opts.live?.metadata.managedFields);
  } catch (err) {
    throw internalError(`failed to decode managed fields: ${(err as Error).message}`);
  }
  const empty = emptyObjectFor(schema, config.apiVersion, config.kind) as KubeObject;
  // An apply that creates starts from nothing but the type: Go's empty structs add no fields.
  let live: KubeObject = opts.live
    ? withoutManagedFields(opts.live)
    : ({ apiVersion: config.apiVersion, kind: config.kind, metadata: {} } as KubeObject);
  const applied = cloneJson(config);
  try {
    // skipNonApplied: fields set before tracking began belong to "before-first-apply".
    if (managed.fields.size === 0) managed = recordUpdate(ctx, empty, live, managed, 'before-first-apply');
    let result: ApplyResult;
    try {
      result = applyCore(ctx, live, applied, managed, opts.manager, opts.force);
    } catch (err) {
      // lastAppliedManager: kubectl upgrading from client-side apply may take over fields
      // whose live value still matches its last-applied annotation.
      if (!(err instanceof ApplyConflicts) || opts.manager !== 'kubectl') throw err;
      const allowed = allowedConflictsFromLastApplied(ctx, live);
      if (!allowed) throw err;
      const remaining = err.conflicts.filter((c) => !allowed.has(c.path));
      if (remaining.length > 0) throw new ApplyConflicts(remaining);
      result = applyCore(ctx, live, applied, managed, opts.manager, true);
    }
    // lastAppliedUpdater: keep kubectl's annotation in step with what it applied.
    const annotations = result.object.metadata?.annotations;
    if (opts.manager === 'kubectl' && annotations?.[LAST_APPLIED_CONFIG_ANNOTATION]) {
      annotations[LAST_APPLIED_CONFIG_ANNOTATION] = buildLastApplied(applied);
    }
    live = result.object;
    const entries = encodeManagedFields(result.managed);
    if (!live.metadata) live.metadata = {};
    if (entries) live.metadata.managedFields = entries;
    else delete live.metadata.managedFields;
    return live;
  } catch (err) {
    if (err instanceof ApplyConflicts) throw newApplyConflict(err.conflicts);
    if (err instanceof TypedValueError) throw internalError(`failed to create typed patch object: ${err.message}`);
    throw err;
  }
}
