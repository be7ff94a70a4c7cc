/**
 * The slices of core/v1 and apps/v1 objects the workload controllers read and write. Objects
 * come from listers as KubeObject; these interfaces name the fields the controllers use.
 */
import type { GroupVersionResource } from '../../client/interface.js';
import type { LabelSelector } from '../../machinery/labels.js';
import type { KubeObject, ObjectMeta } from '../../machinery/object.js';
import type { IntOrString } from '../../machinery/intstr.js';

export type ConditionStatus = 'True' | 'False' | 'Unknown';

/** A status condition (DeploymentCondition, ReplicaSetCondition, PodCondition share this shape). */
export interface Condition {
  type: string;
  status: ConditionStatus;
  reason?: string;
  message?: string;
  lastUpdateTime?: string;
  lastTransitionTime?: string;
  lastProbeTime?: string | null;
}

export interface PodTemplateSpec {
  metadata?: ObjectMeta;
  spec?: Record<string, unknown>;
}

export interface ContainerStatus {
  name?: string;
  restartCount?: number;
}

export interface Pod extends KubeObject {
  spec?: { nodeName?: string; [field: string]: unknown };
  status?: {
    phase?: string;
    conditions?: Condition[];
    containerStatuses?: ContainerStatus[];
    [field: string]: unknown;
  };
}

export interface ReplicaSetStatus {
  replicas?: number;
  fullyLabeledReplicas?: number;
  readyReplicas?: number;
  availableReplicas?: number;
  observedGeneration?: number;
  conditions?: Condition[];
}

/** A ReplicaSet; a ReplicationController has the same shape except for its map selector. */
export interface ReplicaSet extends KubeObject {
  spec?: {
    replicas?: number;
    minReadySeconds?: number;
    selector?: LabelSelector | Record<string, string>;
    template?: PodTemplateSpec;
  };
  status?: ReplicaSetStatus;
}

export interface DeploymentStrategy {
  type?: 'RollingUpdate' | 'Recreate';
  rollingUpdate?: { maxSurge?: IntOrString; maxUnavailable?: IntOrString };
}

export interface DeploymentStatus {
  observedGeneration?: number;
  replicas?: number;
  updatedReplicas?: number;
  readyReplicas?: number;
  availableReplicas?: number;
  unavailableReplicas?: number;
  conditions?: Condition[];
  collisionCount?: number;
}

export interface Deployment extends KubeObject {
  spec?: {
    replicas?: number;
    selector?: LabelSelector;
    template?: PodTemplateSpec;
    strategy?: DeploymentStrategy;
    minReadySeconds?: number;
    revisionHistoryLimit?: number;
    paused?: boolean;
    progressDeadlineSeconds?: number;
  };
  status?: DeploymentStatus;
}

export const PODS: GroupVersionResource = { group: '', version: 'v1', resource: 'pods' };
export const REPLICATION_CONTROLLERS: GroupVersionResource = { group: '', version: 'v1', resource: 'replicationcontrollers' };
export const REPLICA_SETS: GroupVersionResource = { group: 'apps', version: 'v1', resource: 'replicasets' };
export const DEPLOYMENTS: GroupVersionResource = { group: 'apps', version: 'v1', resource: 'deployments' };

/** `spec.replicas` with the API default of 1 when unset. */
export function specReplicas(obj: ReplicaSet | Deployment): number {
  return obj.spec?.replicas ?? 1;
}
