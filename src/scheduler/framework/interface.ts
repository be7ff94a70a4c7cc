/**
 * The scheduling framework's contracts (upstream pkg/scheduler/framework/interface.go): one
 * interface per extension point, the handle plugins receive, and the cluster events plugins
 * register so the queue knows when a rejected pod may have become schedulable.
 *
 * Plugins receive the pod as a PodInfo (requests and affinity terms parsed once) and nodes as
 * NodeInfo. Filter and Score are synchronous: the scheduling cycle runs from snapshot to assume
 * without yielding, so the NodeInfos a plugin sees cannot change under it.
 */
import type { Clientset, EventsV1Recorder } from '../../client/interface.js';
import type { PersistentVolume, PersistentVolumeClaim, StorageClass } from '../../api/storage/volume-helpers.js';
import type { Selector } from '../../machinery/labels.js';
import type { Pod, PodDisruptionBudget } from '../types.js';
import type { CycleState } from './cycle-state.js';
import type { NodeInfo, PodMatcher } from './node-info.js';
import type { NamespaceLabels, PodInfo, QueuedPodInfo } from './pod-info.js';
import type { Status } from './status.js';

/** The highest score a Score plugin may give after normalization. */
export const MAX_NODE_SCORE = 100;
export const MIN_NODE_SCORE = 0;

export interface Plugin {
  readonly name: string;
}

/** Decides whether a pod may enter activeQ at all (e.g. scheduling gates). */
export interface PreEnqueuePlugin extends Plugin {
  preEnqueue(pod: Pod): Status;
}

/** Orders activeQ; exactly one per profile. */
export interface QueueSortPlugin extends Plugin {
  less(a: QueuedPodInfo, b: QueuedPodInfo): boolean;
}

/** PreFilter may narrow the nodes to evaluate (undefined = all nodes). */
export interface PreFilterResult {
  nodeNames?: Set<string>;
}

/** Lets preemption's dry run update a PreFilter plugin's cycle state when pods are added or removed. */
export interface PreFilterExtensions {
  addPod(state: CycleState, podToSchedule: PodInfo, podToAdd: PodInfo, nodeInfo: NodeInfo): Status;
  removePod(state: CycleState, podToSchedule: PodInfo, podToRemove: PodInfo, nodeInfo: NodeInfo): Status;
}

export interface PreFilterPlugin extends Plugin {
  /** Computes cycle state once per pod; Skip means this plugin's Filter need not run. */
  preFilter(state: CycleState, pod: PodInfo, nodes: readonly NodeInfo[]): { status: Status; result?: PreFilterResult };
  preFilterExtensions?(): PreFilterExtensions | undefined;
}

/** Whether the pod can run on one node. */
export interface FilterPlugin extends Plugin {
  filter(state: CycleState, pod: PodInfo, nodeInfo: NodeInfo): Status;
}

/** Node name → the status that rejected the pod there. */
export type NodeToStatus = Map<string, Status>;

export interface PostFilterResult {
  /** The node the pod is nominated to ('' clears a nomination). */
  nominatedNodeName?: string;
}

/** Runs when no node passed Filter (e.g. preemption). */
export interface PostFilterPlugin extends Plugin {
  postFilter(state: CycleState, pod: PodInfo, filteredNodeStatus: NodeToStatus): Promise<{ result?: PostFilterResult; status: Status }>;
}

export interface PreScorePlugin extends Plugin {
  /** Skip means this plugin's Score need not run for this pod. */
  preScore(state: CycleState, pod: PodInfo, nodes: readonly NodeInfo[]): Status;
}

export interface NodeScore {
  name: string;
  score: number;
}

/** Ranks a feasible node; may throw (the runtime turns it into an Error status). */
export interface ScorePlugin extends Plugin {
  score(state: CycleState, pod: PodInfo, nodeInfo: NodeInfo): number;
}

/** Rescales a Score plugin's scores to [0, MAX_NODE_SCORE] in place. */
export interface NormalizeScorePlugin extends Plugin {
  normalizeScore(state: CycleState, pod: PodInfo, scores: NodeScore[]): Status;
}

export interface ReservePlugin extends Plugin {
  reserve(state: CycleState, pod: PodInfo, nodeName: string): Status;
  /** Undoes reserve; must be idempotent. */
  unreserve(state: CycleState, pod: PodInfo, nodeName: string): void;
}

export interface PermitPlugin extends Plugin {
  /** Success, Unschedulable or Wait (with a timeout, after which the pod is rejected). */
  permit(state: CycleState, pod: PodInfo, nodeName: string): { status: Status; timeoutMs?: number };
}

export interface PreBindPlugin extends Plugin {
  preBind(state: CycleState, pod: PodInfo, nodeName: string): Promise<Status>;
}

/** Binds the pod; Skip hands over to the next Bind plugin. */
export interface BindPlugin extends Plugin {
  bind(state: CycleState, pod: PodInfo, nodeName: string): Promise<Status>;
}

export interface PostBindPlugin extends Plugin {
  postBind(state: CycleState, pod: PodInfo, nodeName: string): void;
}

/** A change in the cluster that may make rejected pods schedulable. */
export type EventResource =
  | 'Node'
  | 'AssignedPod'
  | 'UnscheduledPod'
  | 'Namespace'
  | 'PriorityClass'
  | 'Service'
  | 'PersistentVolumeClaim'
  | 'PersistentVolume'
  | 'StorageClass';
export type ActionType = 'Add' | 'Update' | 'Delete';
export interface ClusterEvent {
  resource: EventResource;
  actions: readonly ActionType[];
}

/** Plugins that reject pods say which events may change their verdict. */
export interface EnqueueExtensions {
  eventsToRegister(): ClusterEvent[];
}

/** The nodes as the current cycle sees them. */
export interface NodeInfoLister {
  list(): readonly NodeInfo[];
  get(name: string): NodeInfo | undefined;
  /** Nodes with at least one pod that has any (anti-)affinity term. */
  havePodsWithAffinityList(): readonly NodeInfo[];
  /** Nodes with at least one pod that has a required anti-affinity term. */
  havePodsWithRequiredAntiAffinityList(): readonly NodeInfo[];
  /**
   * Pods `matcher` selects, summed per value of the node label `topologyKey` over every node
   * (nodes without the label left out): what spreading counts when every node is eligible.
   */
  topologyCounts(matcher: PodMatcher, topologyKey: string): ReadonlyMap<string, number>;
}

/** Pods nominated to nodes by preemption, which lower-priority pods must leave room for. */
export interface PodNominator {
  nominatedPodsForNode(nodeName: string): readonly PodInfo[];
}

/** Claims, volumes and classes as the scheduler's informers have them (for VolumeBinding). */
export interface VolumeListers {
  claim(namespace: string, name: string): PersistentVolumeClaim | undefined;
  volumes(): readonly PersistentVolume[];
  storageClass(name: string): StorageClass | undefined;
}

/** What plugins may use besides their arguments (upstream framework.Handle). */
export interface FrameworkHandle {
  readonly schedulerName: string;
  snapshot(): NodeInfoLister;
  readonly clientset: Clientset | undefined;
  readonly recorder: EventsV1Recorder | undefined;
  readonly nominator: PodNominator;
  /** Labels of a namespace, for namespaceSelector in affinity terms. */
  readonly namespaceLabels: NamespaceLabels;
  /** The selector of the Services, ReplicationController, ReplicaSet or StatefulSet a pod belongs to (for default spreading). */
  defaultSelector(pod: Pod): Selector;
  readonly volumeListers: VolumeListers;
  /** Every PodDisruptionBudget (preemption prefers victims whose eviction violates none). */
  podDisruptionBudgets(): readonly PodDisruptionBudget[];
  /** Every Filter plugin, also counting higher-priority pods nominated to the node. */
  runFilterPluginsWithNominatedPods(state: CycleState, pod: PodInfo, nodeInfo: NodeInfo): Status;
  runPreFilterExtensionAddPod(state: CycleState, pod: PodInfo, podToAdd: PodInfo, nodeInfo: NodeInfo): Status;
  runPreFilterExtensionRemovePod(state: CycleState, pod: PodInfo, podToRemove: PodInfo, nodeInfo: NodeInfo): Status;
  now(): number;
}

export type PluginFactory = (handle: FrameworkHandle) => Plugin;
