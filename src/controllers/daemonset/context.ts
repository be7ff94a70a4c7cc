/** What the DaemonSet controller's verbs (history, manage, rolling update, status) share. */
import type { EventRecorder, Lister, ResourceClient } from '../../client/interface.js';
import type { ControllerExpectations } from '../controller-utils/expectations.js';
import type { Pod } from '../controller-utils/types.js';
import type { ControllerHistory } from '../history/controller-history.js';
import type { FailedPodsBackoff } from './failed-pods-backoff.js';
import type { DaemonSet } from './types.js';

export interface DaemonSetContext {
  daemonSets: ResourceClient;
  pods: ResourceClient;
  revisions: ResourceClient;
  history: ControllerHistory;
  nodes: Lister;
  recorder: EventRecorder;
  expectations: ControllerExpectations;
  failedPodsBackoff: FailedPodsBackoff;
  /** At most this many creates or deletes per sync (BurstReplicas). */
  burstReplicas: number;
  now(): number;
  enqueueAfter(ds: DaemonSet, delayMs: number): void;
}

/** The DaemonSet's pods by the node each is meant for (getNodesToDaemonPods after the claim). */
export type NodeToDaemonPods = Map<string, Pod[]>;
