/**
 * The kubelet of one node: syncs each pod bound to it through the runtime and reports the pod's
 * status (pod_workers.go + status_manager.go, reduced to what simulated and real nodes share).
 * It holds no informers, timers or queues of its own: the node engine (nodes.ts) feeds it pod keys
 * from one shared pod informer and one work queue for all its nodes, which is what lets one
 * process run thousands of nodes.
 */
import { rm } from 'node:fs/promises';
import { asObj, str, type Obj } from '../api/core/access.js';
import type { EventRecorder, ResourceClient } from '../client/interface.js';
import { isStatusError } from '../machinery/errors.js';
import type { KubeObject } from '../machinery/object.js';
import type { Clock } from './clock.js';
import { podLogDirectory } from './container-config.js';
import { generatePodStatus } from './pod-status.js';
import type { PodObjects } from './pod-objects.js';
import { podContainerFieldPath, syncPodContainers } from './pod-sync.js';
import { podRuntimeView, removePodFromRuntime } from './runtime-view.js';
import type { Runtime } from './runtime/interface.js';

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
}

const TERMINAL = new Set(['Succeeded', 'Failed']);

function ignoreGone(err: unknown): void {
  if (isStatusError(err, 'NotFound') || isStatusError(err, 'Conflict')) return;
  throw err;
}

export class Kubelet {
  readonly nodeName: string;
  readonly nodeIP: string;
  readonly runtime: Runtime;
  /** The scheme of its container IDs, e.g. "fake" or "containerd". */
  readonly runtimeName: string;
  readonly #o: KubeletOptions;
  /** The status last written per pod uid (JSON), so unchanged statuses are not written again. */
  readonly #written = new Map<string, string>();
  /** The uid of each pod key this kubelet has synced. */
  readonly #uids = new Map<string, string>();

  constructor(options: KubeletOptions) {
    this.#o = options;
    this.nodeName = options.nodeName;
    this.nodeIP = options.nodeIP;
    this.runtime = options.runtime;
    this.runtimeName = options.runtimeName;
  }

  /** Pods this kubelet currently knows (synced and not yet forgotten). */
  get podCount(): number {
    return this.#uids.size;
  }

  /** Whether this kubelet has synced the pod key (and not forgotten it). */
  hasPod(key: string): boolean {
    return this.#uids.has(key);
  }

  /** Syncs one pod key; `pod` is the informer's current object, undefined once deleted. */
  async syncPod(key: string, pod: KubeObject | undefined): Promise<void> {
    const known = this.#uids.get(key);
    const uid = pod?.metadata.uid ?? '';
    if (known !== undefined && known !== uid) await this.#forget(key, known);
    if (!pod) return;
    this.#uids.set(key, uid);
    if (pod.metadata.deletionTimestamp) return this.#terminate(key, pod);
    const phase = str(asObj(pod['status'])?.['phase']);
    if (TERMINAL.has(phase)) {
      // finished: nothing restarts; make sure the sandbox no longer holds its IP
      const view = await podRuntimeView(this.runtime, uid);
      if (view.sandbox?.state === 'SANDBOX_READY') await this.runtime.stopPodSandbox(view.sandbox.id);
      return;
    }
    const ctx = {
      runtime: this.runtime,
      recorder: this.#o.recorder,
      clock: this.#o.clock,
      objects: this.#o.objects,
      ...(this.#o.podLogsDir ? { podLogsDir: this.#o.podLogsDir } : {}),
    };
    let view = await podRuntimeView(this.runtime, uid);
    const outcome = await syncPodContainers(ctx, pod, view);
    if (outcome.changed) view = await podRuntimeView(this.runtime, uid);
    const now = this.#o.clock.now();
    const { status, changesAt } = generatePodStatus({
      pod,
      view,
      hostIP: this.nodeIP,
      now,
      runtimeName: this.#o.runtimeName,
      failures: outcome.failures,
    });
    await this.#writeStatus(pod, status);
    if (TERMINAL.has(str(status['phase'])) && view.sandbox) await this.runtime.stopPodSandbox(view.sandbox.id);
    let next = changesAt;
    if (outcome.restartAt !== undefined && (next === undefined || outcome.restartAt < next)) next = outcome.restartAt;
    if (next !== undefined) this.#o.requeue(key, Math.max(0, next - now));
  }

  /** Graceful deletion as the kubelet completes it: stop containers, report, then delete with grace 0. */
  async #terminate(key: string, pod: KubeObject): Promise<void> {
    const uid = pod.metadata.uid ?? '';
    const grace = pod.metadata.deletionGracePeriodSeconds ?? 30;
    let view = await podRuntimeView(this.runtime, uid);
    if (view.sandbox) {
      for (const [name, c] of view.containers) {
        if (c.current.state !== 'CONTAINER_RUNNING') continue;
        this.#o.recorder.event(pod, 'Normal', 'Killing', `Stopping container ${name}`, podContainerFieldPath(pod, name));
        await this.runtime.stopContainer(c.current.id, grace);
      }
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

  async #writeStatus(pod: KubeObject, status: Obj): Promise<void> {
    const uid = pod.metadata.uid ?? '';
    const json = JSON.stringify(status);
    if (this.#written.get(uid) === json) return;
    if (JSON.stringify(pod['status']) === json) {
      this.#written.set(uid, json);
      return;
    }
    await this.#o.pods.patch(
      pod.metadata.namespace ?? '',
      pod.metadata.name ?? '',
      'merge',
      { metadata: { uid }, status },
      { subresource: 'status' },
    );
    this.#written.set(uid, json);
  }

  async #forget(key: string, uid: string): Promise<void> {
    await removePodFromRuntime(this.runtime, uid);
    // the pod's logs go with it (kuberuntime_gc.go evictPodLogsDirectories)
    if (this.#o.podLogsDir) {
      const [namespace = '', name = ''] = key.split('/');
      await rm(podLogDirectory(this.#o.podLogsDir, namespace, name, uid), { recursive: true, force: true });
    }
    this.#written.delete(uid);
    if (this.#uids.get(key) === uid) this.#uids.delete(key);
  }
}
