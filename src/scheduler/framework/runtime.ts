/**
 * A profile's plugins wired to the extension points (upstream framework/runtime.frameworkImpl):
 * each plugin from the registry is enabled at every extension point it implements, in profile
 * order. The Run* methods implement the extension points' semantics (first rejection wins in
 * Filter, Skip bypasses a plugin for the pod, scores normalized then weighted).
 */
import type { Clientset, EventsV1Recorder } from '../../client/interface.js';
import { everything, type Selector } from '../../machinery/labels.js';
import type { Pod, PodDisruptionBudget } from '../types.js';
import { CycleState } from './cycle-state.js';
import type {
  BindPlugin,
  ClusterEvent,
  FilterPlugin,
  FrameworkHandle,
  NodeInfoLister,
  NodeScore,
  NodeToStatus,
  NormalizeScorePlugin,
  PermitPlugin,
  Plugin,
  PluginFactory,
  PodNominator,
  PostBindPlugin,
  PostFilterPlugin,
  PostFilterResult,
  PreBindPlugin,
  PreEnqueuePlugin,
  PreFilterPlugin,
  PreFilterResult,
  PreScorePlugin,
  QueueSortPlugin,
  VolumeListers,
  ReservePlugin,
  ScorePlugin,
} from './interface.js';
import type { NodeInfo } from './node-info.js';
import type { NamespaceLabels, PodInfo, QueuedPodInfo } from './pod-info.js';
import { asStatus, Status, success, unschedulable } from './status.js';

export interface FrameworkOptions {
  registry: Readonly<Record<string, PluginFactory>>;
  plugins: readonly { name: string; weight?: number }[];
  schedulerName: string;
  snapshot: () => NodeInfoLister;
  clientset?: Clientset;
  recorder?: EventsV1Recorder;
  nominator?: PodNominator;
  namespaceLabels?: NamespaceLabels;
  defaultSelector?: (pod: Pod) => Selector;
  podDisruptionBudgets?: () => readonly PodDisruptionBudget[];
  volumeListers?: VolumeListers;
  now?: () => number;
}

const NO_VOLUMES: VolumeListers = { claim: () => undefined, volumes: () => [], storageClass: () => undefined };

const has = <T extends Plugin>(p: Plugin, method: string): p is T =>
  typeof (p as unknown as Record<string, unknown>)[method] === 'function';
const NO_NOMINATIONS: PodNominator = { nominatedPodsForNode: () => [] };

export class Framework implements FrameworkHandle {
  readonly schedulerName: string;
  readonly clientset: Clientset | undefined;
  readonly recorder: EventsV1Recorder | undefined;
  nominator: PodNominator;
  readonly namespaceLabels: NamespaceLabels;
  readonly volumeListers: VolumeListers;
  readonly plugins: Plugin[] = [];
  readonly preEnqueuePlugins: PreEnqueuePlugin[] = [];
  queueSortPlugin: QueueSortPlugin | undefined;
  readonly preFilterPlugins: PreFilterPlugin[] = [];
  readonly filterPlugins: FilterPlugin[] = [];
  readonly postFilterPlugins: PostFilterPlugin[] = [];
  readonly preScorePlugins: PreScorePlugin[] = [];
  readonly scorePlugins: { plugin: ScorePlugin; weight: number; normalize: NormalizeScorePlugin | undefined }[] = [];
  readonly reservePlugins: ReservePlugin[] = [];
  readonly permitPlugins: PermitPlugin[] = [];
  readonly preBindPlugins: PreBindPlugin[] = [];
  readonly bindPlugins: BindPlugin[] = [];
  readonly postBindPlugins: PostBindPlugin[] = [];
  readonly #events = new Map<string, ClusterEvent[]>();
  readonly #snapshot: () => NodeInfoLister;
  readonly #defaultSelector: (pod: Pod) => Selector;
  readonly #podDisruptionBudgets: () => readonly PodDisruptionBudget[];
  readonly #now: () => number;

  constructor(opts: FrameworkOptions) {
    this.schedulerName = opts.schedulerName;
    this.clientset = opts.clientset;
    this.recorder = opts.recorder;
    this.nominator = opts.nominator ?? NO_NOMINATIONS;
    this.namespaceLabels = opts.namespaceLabels ?? (() => undefined);
    this.volumeListers = opts.volumeListers ?? NO_VOLUMES;
    this.#snapshot = opts.snapshot;
    this.#defaultSelector = opts.defaultSelector ?? (() => everything());
    this.#podDisruptionBudgets = opts.podDisruptionBudgets ?? (() => []);
    this.#now = opts.now ?? Date.now;
    for (const cfg of opts.plugins) {
      const factory = opts.registry[cfg.name];
      if (!factory) throw new Error(`plugin "${cfg.name}" does not exist`);
      const p = factory(this);
      this.plugins.push(p);
      if (has<PreEnqueuePlugin>(p, 'preEnqueue')) this.preEnqueuePlugins.push(p);
      if (has<QueueSortPlugin>(p, 'less')) this.queueSortPlugin = p;
      if (has<PreFilterPlugin>(p, 'preFilter')) this.preFilterPlugins.push(p);
      if (has<FilterPlugin>(p, 'filter')) this.filterPlugins.push(p);
      if (has<PostFilterPlugin>(p, 'postFilter')) this.postFilterPlugins.push(p);
      if (has<PreScorePlugin>(p, 'preScore')) this.preScorePlugins.push(p);
      if (has<ScorePlugin>(p, 'score')) {
        const normalize = has<NormalizeScorePlugin>(p, 'normalizeScore') ? p : undefined;
        this.scorePlugins.push({ plugin: p, weight: cfg.weight ?? 1, normalize });
      }
      if (has<ReservePlugin>(p, 'reserve')) this.reservePlugins.push(p);
      if (has<PermitPlugin>(p, 'permit')) this.permitPlugins.push(p);
      if (has<PreBindPlugin>(p, 'preBind')) this.preBindPlugins.push(p);
      if (has<BindPlugin>(p, 'bind')) this.bindPlugins.push(p);
      if (has<PostBindPlugin>(p, 'postBind')) this.postBindPlugins.push(p);
      const ext = p as Partial<{ eventsToRegister(): ClusterEvent[] }>;
      if (typeof ext.eventsToRegister === 'function') this.#events.set(p.name, ext.eventsToRegister());
    }
  }

  snapshot(): NodeInfoLister {
    return this.#snapshot();
  }

  defaultSelector(pod: Pod): Selector {
    return this.#defaultSelector(pod);
  }

  podDisruptionBudgets(): readonly PodDisruptionBudget[] {
    return this.#podDisruptionBudgets();
  }

  now(): number {
    return this.#now();
  }

  /** The cluster events a plugin registered; none for unknown plugins. */
  eventsOf(plugin: string): readonly ClusterEvent[] {
    return this.#events.get(plugin) ?? [];
  }

  queueSortLess(a: QueuedPodInfo, b: QueuedPodInfo): boolean {
    if (!this.queueSortPlugin) return a.timestamp < b.timestamp;
    return this.queueSortPlugin.less(a, b);
  }

  runPreEnqueuePlugins(pod: Pod): Status {
    for (const p of this.preEnqueuePlugins) {
      const s = p.preEnqueue(pod);
      if (!s.isSuccess()) return s.withPlugin(p.name);
    }
    return success();
  }

  runPreFilterPlugins(state: CycleState, pod: PodInfo, nodes: readonly NodeInfo[]): { status: Status; result?: PreFilterResult } {
    let result: PreFilterResult | undefined;
    for (const p of this.preFilterPlugins) {
      let r: { status: Status; result?: PreFilterResult };
      try {
        r = p.preFilter(state, pod, nodes);
      } catch (err) {
        return { status: asStatus(err).withPlugin(p.name) };
      }
      if (r.status.isSkip()) {
        state.skipFilterPlugins.add(p.name);
        continue;
      }
      if (!r.status.isSuccess()) {
        const s = r.status.code === 'Error' ? r.status : new Status(r.status.code, r.status.reasons);
        return { status: s.withPlugin(p.name) };
      }
      if (r.result?.nodeNames) {
        const names = r.result.nodeNames;
        result = { nodeNames: result?.nodeNames ? new Set([...result.nodeNames].filter((n) => names.has(n))) : new Set(names) };
      }
    }
    return { status: success(), result };
  }

  runFilterPlugins(state: CycleState, pod: PodInfo, nodeInfo: NodeInfo): Status {
    for (const p of state.filterPluginsToRun(this.filterPlugins)) {
      let s: Status;
      try {
        s = p.filter(state, pod, nodeInfo);
      } catch (err) {
        return asStatus(err).withPlugin(p.name);
      }
      if (!s.isSuccess()) {
        if (s.plugin !== p.name) s.plugin = p.name;
        return s;
      }
    }
    return success();
  }

  runFilterPluginsWithNominatedPods(state: CycleState, pod: PodInfo, nodeInfo: NodeInfo): Status {
    const all = this.nominator.nominatedPodsForNode(nodeInfo.name);
    if (all.length === 0) return this.runFilterPlugins(state, pod, nodeInfo);
    const nominated = all.filter((p) => p.priority >= pod.priority && p.key !== pod.key);
    if (nominated.length === 0) return this.runFilterPlugins(state, pod, nodeInfo);
    const stateWith = state.clone();
    const infoWith = nodeInfo.clone();
    for (const p of nominated) {
      infoWith.addPod(p);
      const s = this.runPreFilterExtensionAddPod(stateWith, pod, p, infoWith);
      if (!s.isSuccess()) return s;
    }
    const s = this.runFilterPlugins(stateWith, pod, infoWith);
    if (!s.isSuccess()) return s;
    return this.runFilterPlugins(state, pod, nodeInfo);
  }

  runPreFilterExtensionAddPod(state: CycleState, pod: PodInfo, podToAdd: PodInfo, nodeInfo: NodeInfo): Status {
    for (const p of this.preFilterPlugins) {
      if (state.skipFilterPlugins.has(p.name)) continue;
      const ext = p.preFilterExtensions?.();
      if (!ext) continue;
      const s = ext.addPod(state, pod, podToAdd, nodeInfo);
      if (!s.isSuccess()) return s.withPlugin(p.name);
    }
    return success();
  }

  runPreFilterExtensionRemovePod(state: CycleState, pod: PodInfo, podToRemove: PodInfo, nodeInfo: NodeInfo): Status {
    for (const p of this.preFilterPlugins) {
      if (state.skipFilterPlugins.has(p.name)) continue;
      const ext = p.preFilterExtensions?.();
      if (!ext) continue;
      const s = ext.removePod(state, pod, podToRemove, nodeInfo);
      if (!s.isSuccess()) return s.withPlugin(p.name);
    }
    return success();
  }

  /** Success from the first plugin that makes the pod schedulable; else the rejections joined. */
  async runPostFilterPlugins(state: CycleState, pod: PodInfo, m: NodeToStatus): Promise<{ result?: PostFilterResult; status: Status }> {
    const reasons: string[] = [];
    let result: PostFilterResult | undefined;
    for (const p of this.postFilterPlugins) {
      const r = await p.postFilter(state, pod, m);
      if (r.status.isSuccess()) return { result: r.result, status: r.status };
      if (r.status.code === 'Error') return { result: r.result, status: r.status.withPlugin(p.name) };
      reasons.push(...r.status.reasons);
      result ??= r.result;
    }
    if (this.postFilterPlugins.length === 0) return { status: unschedulable() };
    return { result, status: unschedulable(...reasons) };
  }

  runPreScorePlugins(state: CycleState, pod: PodInfo, nodes: readonly NodeInfo[]): Status {
    for (const p of this.preScorePlugins) {
      const s = p.preScore(state, pod, nodes);
      if (s.isSkip()) state.skipScorePlugins.add(p.name);
      else if (!s.isSuccess()) return s.withPlugin(p.name);
    }
    return success();
  }

  /** Weighted sums of normalized scores, one per node in `nodes` order. */
  runScorePlugins(state: CycleState, pod: PodInfo, nodes: readonly NodeInfo[]): number[] {
    const totals = new Array<number>(nodes.length).fill(0);
    for (const { plugin, weight, normalize } of this.scorePlugins) {
      if (state.skipScorePlugins.has(plugin.name)) continue;
      if (!normalize) {
        for (let i = 0; i < nodes.length; i++) totals[i]! += plugin.score(state, pod, nodes[i]!) * weight;
        continue;
      }
      const scores: NodeScore[] = nodes.map((n) => ({ name: n.name, score: plugin.score(state, pod, n) }));
      const s = normalize.normalizeScore(state, pod, scores);
      if (!s.isSuccess()) throw new Error(`running Normalize on Score plugins: ${s.message()}`);
      for (let i = 0; i < nodes.length; i++) totals[i]! += scores[i]!.score * weight;
    }
    return totals;
  }

  runReservePluginsReserve(state: CycleState, pod: PodInfo, nodeName: string): Status {
    for (const p of this.reservePlugins) {
      const s = p.reserve(state, pod, nodeName);
      if (!s.isSuccess()) return s.withPlugin(p.name);
    }
    return success();
  }

  runReservePluginsUnreserve(state: CycleState, pod: PodInfo, nodeName: string): void {
    for (const p of [...this.reservePlugins].reverse()) p.unreserve(state, pod, nodeName);
  }

  /** Permit; Wait is not supported by any in-tree plugin and is treated as a timeout-less success. */
  runPermitPlugins(state: CycleState, pod: PodInfo, nodeName: string): Status {
    for (const p of this.permitPlugins) {
      const { status } = p.permit(state, pod, nodeName);
      if (!status.isSuccess() && status.code !== 'Wait') return status.withPlugin(p.name);
    }
    return success();
  }

  async runPreBindPlugins(state: CycleState, pod: PodInfo, nodeName: string): Promise<Status> {
    for (const p of this.preBindPlugins) {
      const s = await p.preBind(state, pod, nodeName);
      if (!s.isSuccess()) return new Status(s.code, [`running PreBind plugin "${p.name}": ${s.message()}`], s.error).withPlugin(p.name);
    }
    return success();
  }

  async runBindPlugins(state: CycleState, pod: PodInfo, nodeName: string): Promise<Status> {
    for (const p of this.bindPlugins) {
      const s = await p.bind(state, pod, nodeName);
      if (s.isSkip()) continue;
      if (!s.isSuccess()) return new Status(s.code, [`running Bind plugin "${p.name}": ${s.message()}`], s.error).withPlugin(p.name);
      return s;
    }
    return new Status('Skip');
  }

  runPostBindPlugins(state: CycleState, pod: PodInfo, nodeName: string): void {
    for (const p of this.postBindPlugins) p.postBind(state, pod, nodeName);
  }

  hasFilterPlugins(): boolean {
    return this.filterPlugins.length > 0;
  }
}

export { CycleState };
