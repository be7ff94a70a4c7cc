/**
 * Field ownership bookkeeping (structured-merge-diff's merge.Updater): who owns which fields
 * after an update or an apply, which applied fields get pruned, and which changes conflict.
 * Managers are keyed by an opaque identifier (see managed-fields.ts).
 */
import { FieldSet } from './fieldsv1.js';
import type { FieldPath } from './path-element.js';
import { dropNulls, merge, removeItems } from './merge.js';
import type { Schema } from './schema.js';
import { compare, ensureNamedFieldsAreMembers, toFieldSet, type Comparison } from './typed.js';
import { jsonEqual } from '../json-equal.js';

/** The fields one manager owns, at the apiVersion it used, and whether it applied them. */
export interface VersionedSet {
  readonly set: FieldSet;
  readonly apiVersion: string;
  readonly applied: boolean;
}

export type ManagedFieldSets = Map<string, VersionedSet>;

/** One conflicting field: the manager identifier that owns it and its path. */
export interface FieldConflict {
  readonly manager: string;
  readonly path: FieldPath;
}

/** Thrown when an apply changes fields other managers own and force is not set. */
export class ApplyConflicts extends Error {
  readonly conflicts: readonly FieldConflict[];

  constructor(conflicts: readonly FieldConflict[]) {
    super(`${conflicts.length} conflict(s)`);
    this.name = 'ApplyConflicts';
    this.conflicts = conflicts;
  }
}

export interface UpdaterContext {
  readonly schema: Schema;
  /** Fields reset by the strategy for this (sub)resource; never owned, never conflicting. */
  readonly ignored?: FieldSet;
}

function conflictsFrom(sets: Map<string, FieldSet>): FieldConflict[] {
  const out: FieldConflict[] = [];
  for (const manager of [...sets.keys()].sort()) {
    for (const path of sets.get(manager)!.paths()) out.push({ manager, path });
  }
  return out;
}

/** Takes changed fields away from other managers; with force false, conflicts throw instead. */
function update(
  ctx: UpdaterContext,
  oldObject: unknown,
  newObject: unknown,
  managers: ManagedFieldSets,
  workflow: string,
  force: boolean,
): Comparison {
  const cmp = compare(oldObject, newObject, ctx.schema, ctx.ignored);
  const changed = cmp.modified.union(cmp.added);
  const conflicts = new Map<string, FieldSet>();
  for (const [manager, vs] of managers) {
    if (manager === workflow) continue;
    const c = vs.set.intersection(changed);
    if (!c.isEmpty()) conflicts.set(manager, c);
  }
  if (!force && conflicts.size > 0) throw new ApplyConflicts(conflictsFrom(conflicts));
  for (const [manager, vs] of [...managers]) {
    if (manager === workflow) continue;
    let set = vs.set;
    const c = conflicts.get(manager);
    if (c) set = set.difference(c);
    if (!cmp.removed.isEmpty()) set = set.difference(cmp.removed);
    managers.set(manager, { ...vs, set });
  }
  for (const [manager, vs] of [...managers]) if (vs.set.isEmpty()) managers.delete(manager);
  return cmp;
}

/** Records a create/update/patch: the changed fields now belong to `manager` (Updater.Update). */
export function updaterUpdate(
  ctx: UpdaterContext,
  liveObject: unknown,
  newObject: unknown,
  apiVersion: string,
  managers: ManagedFieldSets,
  manager: string,
): void {
  const cmp = update(ctx, liveObject, newObject, managers, manager, true);
  const prev = managers.get(manager)?.set ?? new FieldSet();
  let set = prev.difference(cmp.removed).union(cmp.modified).union(cmp.added);
  if (ctx.ignored) set = set.recursiveDifference(ctx.ignored);
  if (set.isEmpty()) managers.delete(manager);
  else managers.set(manager, { set, apiVersion, applied: false });
}

/**
 * Merges an applied configuration (Updater.Apply). Returns the new object, or undefined when
 * the apply changes nothing; `managers` is updated in place. Throws ApplyConflicts.
 */
export function updaterApply(
  ctx: UpdaterContext,
  liveObject: unknown,
  configObject: unknown,
  apiVersion: string,
  managers: ManagedFieldSets,
  manager: string,
  force: boolean,
): unknown {
  let newObject = merge(liveObject, configObject, ctx.schema);
  const lastSet = managers.get(manager);
  let set = toFieldSet(configObject, ctx.schema);
  if (ctx.ignored) set = set.recursiveDifference(ctx.ignored);
  managers.set(manager, { set, apiVersion, applied: true });
  newObject = dropNulls(prune(ctx, newObject, managers, lastSet));
  update(ctx, liveObject, newObject, managers, manager, force);
  return jsonEqual(liveObject, newObject) ? undefined : newObject;
}

/**
 * Removes what the applier applied last time but not now, unless another manager (or the new
 * configuration) still owns it; fields nobody owned are left alone.
 */
function prune(ctx: UpdaterContext, merged: unknown, managers: ManagedFieldSets, lastSet: VersionedSet | undefined): unknown {
  if (!lastSet || lastSet.set.isEmpty()) return merged;
  const named = (s: FieldSet): FieldSet => ensureNamedFieldsAreMembers(s, ctx.schema);
  const last = named(lastSet.set);
  let pruned = removeItems(merged, last, ctx.schema);
  // Add back what any manager still owns.
  let managed = new FieldSet();
  for (const vs of managers.values()) managed = managed.union(vs.set);
  const mergedSet = named(toFieldSet(merged, ctx.schema));
  let prunedSet = named(toFieldSet(pruned, ctx.schema));
  pruned = removeItems(merged, mergedSet.difference(prunedSet.union(named(managed))), ctx.schema);
  // Add back dangling items the applier never owned.
  prunedSet = named(toFieldSet(pruned, ctx.schema));
  return removeItems(merged, mergedSet.difference(prunedSet).intersection(last), ctx.schema);
}
