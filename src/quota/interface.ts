/**
 * The quota evaluator contract (k8s.io/apiserver/pkg/quota/v1 Evaluator): what one kind of object
 * costs against a ResourceQuota, shared by the ResourceQuota admission plugin and the resource
 * quota controller.
 */
import type { KubeObject } from '../machinery/object.js';
import type { ResourceList } from './resources.js';

/** One scope a quota selects on (spec.scopes become `Exists` requirements). */
export interface ScopeSelectorRequirement {
  scopeName: string;
  operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
  values?: string[];
}

export interface Evaluator {
  /** The group and resource (plural) whose objects it evaluates. */
  readonly group: string;
  readonly resource: string;
  /** Handles: whether admission charges this operation (every evaluator charges CREATE). */
  handles(operation: 'CREATE' | 'UPDATE' | 'DELETE'): boolean;
  /** MatchingResources: the names among a quota's that this evaluator tracks. */
  matchingResources(names: readonly string[]): string[];
  /** Usage: what one object costs (every name it could be charged under). */
  usage(obj: KubeObject, now: Date): ResourceList;
  /** Constraints: why the object may not be charged to a quota tracking `required` ("must specify …"), or undefined. */
  constraints(required: readonly string[], obj: KubeObject): string | undefined;
  /** Whether the object falls in one scope (objects that have no scopes match none). */
  matchesScope(selector: ScopeSelectorRequirement, obj: KubeObject): boolean;
}
