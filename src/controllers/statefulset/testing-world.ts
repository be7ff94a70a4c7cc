/** A StatefulSet controller over a fake clientset, for unit tests: pods and claims get the phase the apiserver gives them. */
import type { GroupVersionResource, ResourceClient } from '../../client/interface.js';
import { FakeClientset } from '../../client/testing/fake-clientset.js';
import { FakeInformerFactory } from '../../client/testing/fake-informers.js';
import { drain, FakeQueue } from '../../client/testing/fake-queue.js';
import { FakeRecorder } from '../../client/testing/fake-recorder.js';
import type { KubeObject } from '../../machinery/object.js';
import { rfc3339 } from '../../machinery/time.js';
import { NS } from '../controller-utils/testing/objects.js';
import { PODS, type Pod } from '../controller-utils/types.js';
import { CONTROLLER_REVISIONS, type ControllerRevision } from '../history/controller-history.js';
import { StatefulSetController } from './stateful-set-controller.js';
import { PERSISTENT_VOLUME_CLAIMS, STATEFUL_SETS, type StatefulSet, type StatefulSetSpec } from './types.js';

/** The apiserver's create strategy for pods and claims: a new one is Pending. */
class PendingOnCreate extends FakeClientset {
  override resource(gvr: GroupVersionResource): ResourceClient {
    const inner = super.resource(gvr);
    if (gvr.resource !== 'pods' && gvr.resource !== 'persistentvolumeclaims') return inner;
    return new Proxy(inner, {
      get(target, prop) {
        if (prop === 'create') {
          return (ns: string, obj: KubeObject) => target.create(ns, { ...obj, status: { phase: 'Pending' } });
        }
        const v = Reflect.get(target, prop) as unknown;
        return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
      },
    });
  }
}

export function statefulSet(name: string, replicas: number, extra: Partial<StatefulSetSpec> = {}): StatefulSet {
  const labels = { app: name };
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name, namespace: NS, generation: 1 },
    spec: {
      replicas,
      selector: { matchLabels: labels },
      serviceName: name,
      template: { metadata: { labels }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.27.0' }] } },
      podManagementPolicy: 'OrderedReady',
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0 } },
      revisionHistoryLimit: 10,
      ...extra,
    },
  };
}

export function newWorld() {
  const cluster = new PendingOnCreate();
  const queue = new FakeQueue();
  const recorder = new FakeRecorder();
  const ssc = new StatefulSetController({
    client: cluster,
    informers: new FakeInformerFactory(cluster),
    recorder,
    newQueue: () => queue,
    now: cluster.clock.now,
    log: () => {},
  });
  const t = cluster.tracker;
  const world = {
    cluster,
    queue,
    recorder,
    ssc,
    /** Syncs queued keys until the queue is empty. */
    settle: () => drain(queue, (k) => ssc.sync(k)),
    put: (set: StatefulSet) => t.put(STATEFUL_SETS, set) as StatefulSet,
    set: (name: string) => t.get(STATEFUL_SETS, NS, name) as StatefulSet,
    pod: (name: string) => t.get(PODS, NS, name) as Pod | undefined,
    /** Pod names, ordered by ordinal. */
    pods: () =>
      (t.list(PODS, NS) as Pod[])
        .map((p) => p.metadata.name ?? '')
        .sort((a, b) => Number(a.split('-').at(-1)) - Number(b.split('-').at(-1))),
    claims: () => (t.list(PERSISTENT_VOLUME_CLAIMS, NS) as KubeObject[]).map((c) => c.metadata.name ?? '').sort(),
    claim: (name: string) => t.get(PERSISTENT_VOLUME_CLAIMS, NS, name),
    revisions: () => t.list(CONTROLLER_REVISIONS, NS) as ControllerRevision[],
    /** The kubelet's part: the pod runs and is Ready (since now), or turns to `phase`. */
    run(name: string, phase: 'Running' | 'Failed' = 'Running'): void {
      const pod = t.get(PODS, NS, name) as Pod;
      const now = rfc3339(cluster.clock.now());
      const ready = phase === 'Running' ? 'True' : 'False';
      t.put(PODS, { ...pod, status: { phase, conditions: [{ type: 'Ready', status: ready, lastTransitionTime: now }] } });
    },
    /** Runs every pod not yet ready, syncing between them, until the set stops creating. */
    async runAll(): Promise<void> {
      for (let round = 0; round < 50; round++) {
        await world.settle();
        const waiting = (t.list(PODS, NS) as Pod[]).filter((p) => p.status?.phase === 'Pending');
        if (waiting.length === 0) return;
        for (const p of waiting) world.run(p.metadata.name ?? '');
      }
    },
    /** Events as `reason message`. */
    events: () => recorder.events.map((e) => `${e.reason} ${e.message}`),
  };
  return world;
}
