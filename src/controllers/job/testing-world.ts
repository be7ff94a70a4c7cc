/**
 * Test support (unit tests only): the Job controller on a fake clientset, with a hand-driven
 * "kubelet" that ends pods with an exit code.
 */
import { FakeClientset } from '../../client/testing/fake-clientset.js';
import { FakeInformerFactory } from '../../client/testing/fake-informers.js';
import { drain, FakeQueue } from '../../client/testing/fake-queue.js';
import { FakeRecorder } from '../../client/testing/fake-recorder.js';
import { rfc3339 } from '../../machinery/time.js';
import { NS } from '../controller-utils/testing/objects.js';
import { PODS, type Pod } from '../controller-utils/types.js';
import { JobController } from './job-controller.js';
import { type Job, JOBS, type JobSpec } from './types.js';

export { NS };

export function setup() {
  const cluster = new FakeClientset();
  const queues: FakeQueue[] = [];
  const recorder = new FakeRecorder();
  const jc = new JobController({
    client: cluster,
    informers: new FakeInformerFactory(cluster),
    recorder,
    newQueue: () => {
      const q = new FakeQueue();
      queues.push(q);
      return q;
    },
    now: cluster.clock.now,
    syncJobBatchPeriodMs: 0,
  });
  const [queue, orphans] = queues as [FakeQueue, FakeQueue];
  const w = {
    cluster,
    queue,
    orphans,
    recorder,
    jc,
    settle: () => drain(queue, (k) => jc.sync(k)),
    create(name: string, spec: JobSpec): Job {
      const labels = { 'job-name': name };
      return cluster.tracker.put(JOBS, {
        apiVersion: 'batch/v1',
        kind: 'Job',
        metadata: { name, namespace: NS, generation: 1 },
        spec: {
          parallelism: 1,
          backoffLimit: 6,
          selector: { matchLabels: labels },
          template: { metadata: { labels }, spec: { restartPolicy: 'Never', containers: [{ name: 'main', image: 'busybox' }] } },
          ...spec,
        },
      }) as Job;
    },
    job: (name: string) => cluster.tracker.get(JOBS, NS, name) as Job,
    pods: (name: string) =>
      (cluster.tracker.list(PODS, NS) as Pod[])
        .filter((p) => p.metadata.labels?.['job-name'] === name)
        .sort((a, b) => (a.metadata.name ?? '').localeCompare(b.metadata.name ?? '')),
    active: (name: string) =>
      w.pods(name).filter((p) => !['Succeeded', 'Failed'].includes(p.status?.phase ?? '') && !p.metadata.deletionTimestamp),
    /** The kubelet: the pod's container exits with `exitCode` (Succeeded when 0). */
    finish(pod: Pod, exitCode = 0): void {
      const next = structuredClone(cluster.tracker.get(PODS, NS, pod.metadata.name ?? '') as Pod);
      const at = rfc3339(cluster.clock.now());
      next.status = {
        phase: exitCode === 0 ? 'Succeeded' : 'Failed',
        conditions: [{ type: 'Ready', status: 'False', lastTransitionTime: at }],
        containerStatuses: [{ name: 'main', restartCount: 0, state: { terminated: { exitCode, finishedAt: at } } }] as never,
      };
      cluster.tracker.put(PODS, next);
    },
    conditions: (name: string) => (w.job(name).status?.conditions ?? []).map((c) => `${c.type}=${c.status}:${c.reason ?? ''}`),
    events: (reason?: string) => recorder.events.filter((e) => !reason || e.reason === reason).map((e) => `${e.reason} ${e.message}`),
  };
  return w;
}
