/**
 * Per-resource steps around a write that need server state, not just the object (upstream's
 * REST storage wrappers, e.g. ClusterIP and NodePort allocation for Services).
 */
import type { KubeObject } from '../../machinery/object.js';

/** Undoes what a before-hook reserved when the write does not happen. */
export type Rollback = () => void;

export interface StoreHooks {
  /** After validation, before a create is stored. May change `obj`; throws StatusError to refuse. */
  beforeCreate?(obj: KubeObject, dryRun: boolean): Rollback | undefined;
  /** After validation, before an update is stored. */
  beforeUpdate?(obj: KubeObject, old: KubeObject, dryRun: boolean): Rollback | undefined;
}
