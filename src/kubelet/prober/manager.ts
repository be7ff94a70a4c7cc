/**
 * The probe manager (pkg/kubelet/prober/prober_manager.go): one ProbeWorker per probe of each
 * container of the pods a kubelet runs (app containers and sidecar init containers), fed with
 * the containers' runtime state on every pod sync. Pods without probes get no entry at all. The
 * kubelet asks it whether a container has started and is ready (pod status) and whether it failed
 * its liveness or startup probe (then it is killed and restarted); a result that changes asks for
 * a sync of the pod.
 *
 * Probes go to the pod IP: the sandbox's, or the node's IP for hostNetwork pods (as their status.podIP).
 *
 *   const probes = new ProbeManager({ runtime, network, clock, recorder, nodeIP, onChange: (key) => requeue(key, 0) });
 */
import { asObj, objs, str, type Obj } from '../../api/core/access.js';
import type { EventRecorder } from '../../client/interface.js';
import type { KubeObject } from '../../machinery/object.js';
import type { Clock } from '../clock.js';
import { podContainerFieldPath } from '../pod-sync.js';
import type { PodRuntimeView } from '../runtime-view.js';
import type { Runtime } from '../runtime/interface.js';
import { runHandler } from './handler.js';
import type { ActionOutcome, ProbeNetwork, ProbeType } from './interface.js';
import { ProbeWorker, type ProbeWorkerHost } from './worker.js';

export interface ProbeManagerOptions {
  runtime: Runtime;
  network: ProbeNetwork;
  clock: Clock;
  recorder: EventRecorder;
  /** The node's IP: the pod IP of hostNetwork pods. */
  nodeIP: string;
  /** A probe result of the pod `key` changed: it needs a sync. */
  onChange(key: string): void;
}

/** What the probes say about one container. */
export interface ContainerProbeState {
  /** Its startup probe succeeded (or it has none). */
  started: boolean;
  /** Started, and its readiness probe succeeds (or it has none). */
  ready: boolean;
}

interface PodProbes {
  key: string;
  pod: KubeObject;
  podIP: string;
  /** Workers by container name. */
  workers: Map<string, ProbeWorker[]>;
}

const PROBES: [string, ProbeType][] = [
  ['startupProbe', 'Startup'],
  ['livenessProbe', 'Liveness'],
  ['readinessProbe', 'Readiness'],
];

/** The containers that are probed: app containers and sidecars (restartable init containers). */
function probedContainers(pod: KubeObject): Obj[] {
  const spec = asObj(pod['spec']) ?? {};
  return [...objs(spec['initContainers']).filter((c) => c['restartPolicy'] === 'Always'), ...objs(spec['containers'])];
}

/** Whether a pod has any probe (cheap: most pods have none). */
function hasProbes(pod: KubeObject): boolean {
  return probedContainers(pod).some((c) => c['startupProbe'] || c['livenessProbe'] || c['readinessProbe']);
}

export class ProbeManager {
  readonly #o: ProbeManagerOptions;
  readonly #pods = new Map<string, PodProbes>();
  readonly #owners = new WeakMap<ProbeWorker, PodProbes>();
  readonly #host: ProbeWorkerHost;

  constructor(options: ProbeManagerOptions) {
    this.#o = options;
    this.#host = {
      clock: options.clock,
      get steady() {
        return options.network.steady === true;
      },
      run: (w) => this.#run(w),
      started: (w) => this.#started(w),
      event: (w, type, reason, message) => {
        const p = this.#owners.get(w);
        if (p) options.recorder.event(p.pod, type, reason, message, podContainerFieldPath(p.pod, w.containerName));
      },
      changed: (w) => {
        const p = this.#owners.get(w);
        if (p) options.onChange(p.key);
      },
    };
  }

  /** Pods with probe workers. */
  get podCount(): number {
    return this.#pods.size;
  }

  /** Makes the pod's workers (once) and tells them its containers' state. */
  update(key: string, pod: KubeObject, view: PodRuntimeView): void {
    const uid = pod.metadata.uid ?? '';
    let p = this.#pods.get(uid);
    if (!p) {
      if (!hasProbes(pod)) return;
      p = { key, pod, podIP: '', workers: new Map() };
      for (const c of probedContainers(pod)) {
        const list: ProbeWorker[] = [];
        for (const [field, type] of PROBES) {
          const probe = asObj(c[field]);
          if (!probe) continue;
          const w = new ProbeWorker(this.#host, type, str(c['name']), probe);
          this.#owners.set(w, p);
          list.push(w);
        }
        if (list.length > 0) p.workers.set(str(c['name']), list);
      }
      this.#pods.set(uid, p);
    }
    p.pod = pod;
    p.podIP = asObj(pod['spec'])?.['hostNetwork'] === true ? this.#o.nodeIP : (view.sandbox?.network?.ip ?? p.podIP);
    for (const [name, workers] of p.workers) {
      const cur = view.containers.get(name)?.current;
      if (!cur) continue;
      for (const w of workers) w.observe(cur.id, cur.state === 'CONTAINER_RUNNING', cur.startedAt);
    }
  }

  /** Stops and forgets the pod's workers (the pod finished, is being deleted, or is gone). */
  removePod(uid: string): void {
    const p = this.#pods.get(uid);
    if (!p) return;
    for (const workers of p.workers.values()) for (const w of workers) w.stop();
    this.#pods.delete(uid);
  }

  /** The probes' say on a container, or undefined when it has no probes. */
  containerState(uid: string, name: string, containerId: string): ContainerProbeState | undefined {
    const workers = this.#pods.get(uid)?.workers.get(name);
    if (!workers) return undefined;
    const result = (type: ProbeType): string | undefined => {
      const w = workers.find((x) => x.type === type);
      if (!w) return undefined;
      return w.containerId === containerId ? w.result : 'Unknown';
    };
    const startup = result('Startup');
    const readiness = result('Readiness');
    const started = startup === undefined || startup === 'Success';
    return { started, ready: started && (readiness === undefined || readiness === 'Success') };
  }

  /** The probe a running container failed and must be restarted for: Liveness, Startup, or undefined. */
  failedProbe(uid: string, name: string, containerId: string): { type: ProbeType; probe: Obj } | undefined {
    for (const w of this.#pods.get(uid)?.workers.get(name) ?? []) {
      if (w.type !== 'Readiness' && w.containerId === containerId && w.result === 'Failure') return { type: w.type, probe: w.probe };
    }
    return undefined;
  }

  #started(w: ProbeWorker): boolean {
    const p = this.#owners.get(w);
    const startup = p?.workers.get(w.containerName)?.find((x) => x.type === 'Startup');
    return !startup || (startup.containerId === w.containerId && startup.result === 'Success');
  }

  #run(w: ProbeWorker): Promise<ActionOutcome> {
    const p = this.#owners.get(w);
    const container = p ? probedContainers(p.pod).find((c) => c['name'] === w.containerName) : undefined;
    if (!p || !container) return Promise.resolve({ result: 'Unknown', output: 'container not found' });
    return runHandler(
      { runtime: this.#o.runtime, network: this.#o.network },
      { container, containerId: w.containerId, podIP: p.podIP },
      w.probe,
      w.params.timeoutSeconds,
    );
  }
}
