/**
 * The kubelet of one node: syncs each pod bound to it through the runtime and reports the pod's
 * status (pod_workers.go + status_manager.go, reduced to what simulated and real nodes share).
 * It holds no informers, timers or queues of its own: the node engine (nodes.ts) feeds it pod keys
 * from one shared pod informer and one work queue for all its nodes, which is what lets one
 * process run thousands of nodes.
 */
import { isDeepStrictEqual } from 'node:util';
import { rm } from 'node:fs/promises';
import { asObj, str, type Obj } from '../api/core/access.js';
import type { EventRecorder, ResourceClient } from '../client/interface.js';
import { objectKey } from '../client/interface.js';
import { isStatusError } from '../machinery/errors.js';
import type { KubeObject } from '../machinery/object.js';
import { type AdmitResult, canAdmitPod } from './admission.js';
import type { Clock } from './clock.js';
import { ImagePullBackOff } from './image-pull-backoff.js';
import { podLogDirectory } from './container-config.js';
import { generatePodStatus } from './pod-status.js';
import type { PodObjects } from './pod-objects.js';
import { type PodConfigOptions, removePodResources } from './pod-config.js';
import type { ProbeNetwork } from './prober/interface.js';
import { ProbeManager } from './prober/manager.js';
import { realProbeNetwork } from './prober/network.js';
import { killPodContainers } from './termination.js';
import { RestartBackOff } from './restart.js';
import { type PodSyncOutcome, syncPodContainers } from './pod-sync.js';
import { podRuntimeView, removePodFromRuntime } from './runtime-view.js';
import type { Runtime } from './runtime/interface.js';
import { isStaticPod } from './static-pods/static-pods.js';
import { SimulatedVolumeFilesystem } from './volumes/simulated-filesystem.js';
import { type PodVolumes, VolumeManager } from './volumes/volume-manager.js';

export interface KubeletOptions {
  nodeName: string;
  /** The node's InternalIP: every pod's hostIP. */
  nodeIP: string;
  runtime: Runtime;
  /** The scheme of container IDs, e.g. "fake" or "containerd". */
  runtimeName: string;
  /** The core/v1 pods client. */
  pods: ResourceClient;
  recorder: EventRecorder;
  clock: Clock;
  /** The ConfigMaps, Secrets, Services and tokens pods refer to. */
  objects: PodObjects;
  /** Pods' log directory root (real nodes: DATA/log/pods); default the virtual /var/log/pods. */
  podLogsDir?: string;
  /** Asks the pod workers for another sync of a pod key after a delay. */
  requeue(key: string, afterMs: number): void;
  /** DNS, the pods' directory and the node's size, for pod configs. */
  podConfig?: PodConfigOptions;
  /** The pods bound to this node (the informer's), for admission; without it every pod is admitted. */
  activePods?: () => KubeObject[];
  /** Where httpGet, tcpSocket and grpc probes and hooks go: real sockets (default) or a simulation. */
  probeNetwork?: ProbeNetwork;
  /** The pods' volumes; default: a volume manager that touches no disk (simulated nodes). */
  volumes?: VolumeManager;
}

const TERMINAL = new Set(['Succeeded', 'Failed']);
/** upstream's pod worker back-off after a failed sync (kubelet.go backOffPeriod). */
const FAILED_SYNC_BACKOFF_MS = 10_000;

function ignoreGone(err: unknown): void {
  if (isStatusError(err, 'NotFound') || isStatusError(err, 'Conflict')) return;
  throw err;
}

/** Whether two statuses say the same: stored, a status may hold its fields in another order, and nulls the apiserver filled in (lastProbeTime). */
function sameStatus(a: unknown, b: unknown): boolean {
  return isDeepStrictEqual(withoutNulls(a), withoutNulls(b));
}

/** A JSON value without the object fields that are null. */
function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([, v]) => v !== null)
      .map(([k, v]) => [k, withoutNulls(v)]),
  );
}

export class Kubelet {
  readonly nodeName: string;
  readonly nodeIP: string;
  readonly runtime: Runtime;
  readonly volumes: VolumeManager;
  /** The scheme of its container IDs, e.g. "fake" or "containerd". */
  readonly runtimeName: string;
  readonly #o: KubeletOptions;
  /** The status last written per pod uid (JSON), so unchanged statuses are not written again. */
  readonly #written = new Map<string, string>();
  /** The uid of each pod key this kubelet has synced. */
  readonly #uids = new Map<string, string>();
  readonly #network: ProbeNetwork;
  /** Probe workers of the pods that have probes. */
  readonly probes: ProbeManager;
  readonly #backOff = new RestartBackOff();
  /** The pods the eviction manager evicted, by uid: the message of their Failed status. */
  readonly #evicted = new Map<string, string>();
  readonly #imagePullBackOff = new ImagePullBackOff();

  constructor(options: KubeletOptions) {
    this.#o = options;
    this.#network = options.probeNetwork ?? realProbeNetwork;
    this.probes = new ProbeManager({
      runtime: options.runtime,
      network: this.#network,
      clock: options.clock,
      recorder: options.recorder,
      nodeIP: options.nodeIP,
      onChange: (key) => options.requeue(key, 0),
    });
    this.nodeName = options.nodeName;
    this.nodeIP = options.nodeIP;
    this.runtime = options.runtime;
    this.volumes =
      options.volumes ??
      new VolumeManager({ rootDir: '/', fs: new SimulatedVolumeFilesystem(), objects: options.objects, clock: options.clock });
    this.runtimeName = options.runtimeName;
  }

  /** Pods this kubelet currently knows (synced and not yet forgotten). */
  get podCount(): number {
    return this.#uids.size;
  }

  /** Whether the pod's status is the one this kubelet wrote last (an update that only echoes it needs no sync). */
  wroteStatus(pod: KubeObject): boolean {
    const written = this.#written.get(pod.metadata.uid ?? '');
    return written !== undefined && sameStatus(JSON.parse(written), pod['status']);
  }

  /**
   * Evicts a pod (eviction_manager.go evictPod, grace period 0): a Warning Evicted event now; its
   * next sync kills its containers and reports phase Failed with reason Evicted and `message`.
   */
  evictPod(key: string, pod: KubeObject, message: string): void {
    const uid = pod.metadata.uid ?? '';
    if (this.#evicted.has(uid)) return;
    this.#evicted.set(uid, message);
    this.#o.recorder.event(pod, 'Warning', 'Evicted', message);
    this.#o.requeue(key, 0);
  }

  /** Whether this kubelet syncs a pod of this uid (the API's or its own, e.g. a static pod). */
  knowsPodUID(uid: string): boolean {
    for (const known of this.#uids.values()) if (known === uid) return true;
    return false;
  }

  /** Whether this kubelet has synced the pod key (and not forgotten it). */
  hasPod(key: string): boolean {
    return this.#uids.has(key);
  }

  /**
   * Syncs one pod key; `pod` is the informer's current object, undefined once deleted. A static
   * pod (from a manifest) reports its status to its mirror pod, and not at all until one exists.
   */
  async syncPod(key: string, pod: KubeObject | undefined, mirror?: KubeObject): Promise<void> {
    const known = this.#uids.get(key);
    const uid = pod?.metadata.uid ?? '';
    if (known !== undefined && known !== uid) await this.#forget(key, known);
    if (!pod) return;
    this.#uids.set(key, uid);
    if (pod.metadata.deletionTimestamp) return this.#terminate(key, pod);
    const phase = str(asObj(pod['status'])?.['phase']);
    if (TERMINAL.has(phase)) {
      // finished: nothing restarts; make sure the sandbox no longer holds its IP
      this.probes.removePod(uid);
      const view = await podRuntimeView(this.runtime, uid);
      if (view.sandbox?.state === 'SANDBOX_READY') await this.runtime.stopPodSandbox(view.sandbox.id);
      // SyncTerminatedPod: a finished pod's volumes are unmounted (its tmpfs freed) before it is deleted
      await this.volumes.tearDownPod(uid);
      return;
    }
    const evicted = this.#evicted.get(uid);
    if (evicted !== undefined) return this.#killEvicted(pod, evicted);
    const volumes = await this.volumes.setUpPodVolumes(pod);
    const ctx = {
      runtime: this.runtime,
      recorder: this.#o.recorder,
      clock: this.#o.clock,
      objects: this.#o.objects,
      nodeIP: this.nodeIP,
      podConfig: this.#o.podLogsDir ? { ...this.#o.podConfig, podLogsDir: this.#o.podLogsDir } : (this.#o.podConfig ?? {}),
      probes: this.probes,
      network: this.#network,
      backOff: this.#backOff,
      containerMounts: (c: Obj) => this.volumes.containerMounts(pod, c, volumes.volumes),
      imagePullBackOff: this.#imagePullBackOff,
    };
    let view = await podRuntimeView(this.runtime, uid);
    if (!view.sandbox && this.#o.activePods) {
      const admission = canAdmitPod(pod, () => this.#admittedPods(key));
      if (!admission.admit) return this.#rejectPod(pod, admission);
    }
    this.probes.update(key, pod, view);
    const outcome = volumes.ready ? await syncPodContainers(ctx, pod, view) : this.#waitForVolumes(pod, volumes);
    if (outcome.changed) view = await podRuntimeView(this.runtime, uid);
    this.probes.update(key, pod, view);
    const now = this.#o.clock.now();
    const { status, changesAt } = generatePodStatus({
      pod,
      view,
      hostIP: this.nodeIP,
      now,
      runtimeName: this.#o.runtimeName,
      failures: outcome.failures,
      probes: (name, containerId) => this.probes.containerState(uid, name, containerId),
      backOff: (name, finishedAt) => this.#backOff.of(uid, name, finishedAt),
    });
    if (TERMINAL.has(str(status['phase']))) this.probes.removePod(uid);
    const statusTarget = isStaticPod(pod) ? mirror : pod;
    if (statusTarget) await this.#writeStatus(statusTarget, status);
    if (TERMINAL.has(str(status['phase'])) && view.sandbox) await this.runtime.stopPodSandbox(view.sandbox.id);
    let next = changesAt;
    // a container that could not start is tried again after the pod worker's back-off (10 s),
    // unless a back-off of its own (image pulls, restarts) says when
    if (outcome.failures.size > 0 && outcome.restartAt === undefined)
      next = next === undefined ? now + FAILED_SYNC_BACKOFF_MS : Math.min(next, now + FAILED_SYNC_BACKOFF_MS);
    if (outcome.restartAt !== undefined && (next === undefined || outcome.restartAt < next)) next = outcome.restartAt;
    if (volumes.resyncAt !== undefined && (next === undefined || volumes.resyncAt < next)) next = volumes.resyncAt;
    if (next !== undefined) this.#o.requeue(key, Math.max(0, next - now));
  }

  /** WaitForAttachAndMount failed: FailedMount events, no sandbox or container until the volumes are set up. */
  #waitForVolumes(pod: KubeObject, volumes: PodVolumes): PodSyncOutcome & { restartAt: undefined } {
    for (const message of volumes.failures) this.#o.recorder.event(pod, 'Warning', 'FailedMount', message);
    return { changed: false, failures: new Map(), restartAt: undefined };
  }

  #killContext() {
    return { runtime: this.runtime, recorder: this.#o.recorder, clock: this.#o.clock, network: this.#network };
  }

  /** killPodNow for an evicted pod: its containers stopped (at the 2 s minimum grace), then Failed, Evicted. */
  async #killEvicted(pod: KubeObject, message: string): Promise<void> {
    const uid = pod.metadata.uid ?? '';
    this.probes.removePod(uid);
    let view = await podRuntimeView(this.runtime, uid);
    if (view.sandbox) {
      await killPodContainers(this.#killContext(), pod, view, 0);
      await this.runtime.stopPodSandbox(view.sandbox.id);
      view = await podRuntimeView(this.runtime, uid);
    }
    const { status } = generatePodStatus({
      pod,
      view,
      hostIP: this.nodeIP,
      now: this.#o.clock.now(),
      runtimeName: this.#o.runtimeName,
      terminating: true,
    });
    await this.#writeStatus(pod, { ...status, phase: 'Failed', reason: 'Evicted', message });
  }

  /** Graceful deletion as the kubelet completes it: stop containers, report, then delete with grace 0. */
  async #terminate(key: string, pod: KubeObject): Promise<void> {
    const uid = pod.metadata.uid ?? '';
    const grace = pod.metadata.deletionGracePeriodSeconds ?? 30;
    this.probes.removePod(uid);
    let view = await podRuntimeView(this.runtime, uid);
    if (view.sandbox) {
      await killPodContainers(this.#killContext(), pod, view, grace);
      await this.runtime.stopPodSandbox(view.sandbox.id);
      view = await podRuntimeView(this.runtime, uid);
      const phase = str(asObj(pod['status'])?.['phase']);
      if (!TERMINAL.has(phase)) {
        const { status } = generatePodStatus({
          pod,
          view,
          hostIP: this.nodeIP,
          now: this.#o.clock.now(),
          runtimeName: this.#o.runtimeName,
          terminating: true,
        });
        await this.#writeStatus(pod, status).catch(ignoreGone);
      }
    }
    await this.#o.pods
      .delete(pod.metadata.namespace ?? '', pod.metadata.name ?? '', { gracePeriodSeconds: 0, preconditions: { uid } })
      .catch(ignoreGone);
    await this.#forget(key, uid);
  }

  /** The other pods of this node the kubelet has synced and that are not finished. */
  #admittedPods(key: string): KubeObject[] {
    return (this.#o.activePods?.() ?? []).filter((p) => {
      const k = objectKey(p);
      return k !== key && this.#uids.has(k) && !TERMINAL.has(str(asObj(p['status'])?.['phase']));
    });
  }

  /** rejectPod: a Warning event and phase Failed with the reason, as upstream's kubelet rejects a pod it cannot admit. */
  async #rejectPod(pod: KubeObject, result: Exclude<AdmitResult, { admit: true }>): Promise<void> {
    this.#o.recorder.event(pod, 'Warning', result.reason, result.message);
    const old = asObj(pod['status']) ?? {};
    const status: Obj = { ...old, phase: 'Failed', reason: result.reason, message: `Pod was rejected: ${result.message}` };
    await this.#writeStatus(pod, status);
  }

  async #writeStatus(pod: KubeObject, status: Obj): Promise<void> {
    const uid = pod.metadata.uid ?? '';
    const json = JSON.stringify(status);
    if (this.#written.get(uid) === json) return;
    // the API has it already (a restarted kubelet's first sync of an unchanged pod)
    if (sameStatus(pod['status'], status)) {
      this.#written.set(uid, json);
      return;
    }
    // noted before the write, so that its echo, which may arrive before the response, is known as ours
    this.#written.set(uid, json);
    try {
      await this.#o.pods.patch(
        pod.metadata.namespace ?? '',
        pod.metadata.name ?? '',
        'merge',
        { metadata: { uid }, status },
        { subresource: 'status' },
      );
    } catch (err) {
      this.#written.delete(uid);
      throw err;
    }
  }

  async #forget(key: string, uid: string): Promise<void> {
    this.probes.removePod(uid);
    this.#backOff.forget(uid);
    this.#evicted.delete(uid);
    await removePodFromRuntime(this.runtime, uid);
    await removePodResources(this.#o.podConfig ?? {}, uid);
    await this.volumes.tearDownPod(uid);
    // the pod's logs go with it (kuberuntime_gc.go evictPodLogsDirectories)
    if (this.#o.podLogsDir) {
      const [namespace = '', name = ''] = key.split('/');
      await rm(podLogDirectory(this.#o.podLogsDir, namespace, name, uid), { recursive: true, force: true });
    }
    this.#written.delete(uid);
    if (this.#uids.get(key) === uid) this.#uids.delete(key);
  }
}
