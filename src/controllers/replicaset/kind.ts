/**
 * What differs between a ReplicaSet and a ReplicationController for the shared controller:
 * the resource, the kind written into controllerRefs, and how the selector is read.
 */
import type { GroupVersionResource } from '../../client/interface.js';
import { labelSelectorFromMeta, selectorFromSet, type LabelSelector, type Selector } from '../../machinery/labels.js';
import { REPLICA_SETS, REPLICATION_CONTROLLERS, type ReplicaSet } from '../controller-utils/types.js';

export interface ReplicaSetKind {
  gvr: GroupVersionResource;
  apiVersion: string;
  kind: 'ReplicaSet' | 'ReplicationController';
  /** The controller's name in events and logs. */
  component: string;
  /** The pod selector; throws LabelSelectorError for an invalid one. */
  selector(rs: ReplicaSet): Selector;
}

export const REPLICA_SET_KIND: ReplicaSetKind = {
  gvr: REPLICA_SETS,
  apiVersion: 'apps/v1',
  kind: 'ReplicaSet',
  component: 'replicaset-controller',
  selector: (rs) => labelSelectorFromMeta(rs.spec?.selector as LabelSelector | undefined),
};

/** An RC's selector is a plain map; an empty one selects everything, as upstream's conversion does. */
export const REPLICATION_CONTROLLER_KIND: ReplicaSetKind = {
  gvr: REPLICATION_CONTROLLERS,
  apiVersion: 'v1',
  kind: 'ReplicationController',
  component: 'replication-controller',
  selector: (rc) => selectorFromSet(rc.spec?.selector as Record<string, string> | undefined),
};
