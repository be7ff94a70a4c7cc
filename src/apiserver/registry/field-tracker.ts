/** The registry's view of managedFields bookkeeping (implemented by machinery/apply). */
import type { KubeObject } from '../../machinery/object.js';

export interface TrackRequest {
  /** The stored object; undefined on create. */
  old: KubeObject | undefined;
  /** The object about to be stored. */
  updated: KubeObject;
  manager: string;
  apiVersion: string;
  /** '' for the main resource. */
  subresource: string;
  /** Whether the kind has a status subresource (status then belongs to it, not the main resource). */
  hasStatus: boolean;
}

export interface FieldTracker {
  /** Records that `manager` wrote `updated` (operation Update); returns it with managedFields set. */
  update(req: TrackRequest): KubeObject;
}
