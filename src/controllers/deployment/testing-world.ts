/**
 * Test support (unit tests only): the deployment and replicaset controllers on one fake
 * clientset, with a hand-driven "kubelet" that makes pods ready.
 */
import { FakeClientset } from '../../client/testing/fake-clientset.js';
import { FakeInformerFactory } from '../../client/testing/fake-informers.js';
import { FakeQueue } from '../../client/testing/fake-queue.js';
import { FakeRecorder } from '../../client/testing/fake-recorder.js';
import { NS } from '../controller-utils/testing/objects.js';
import { DEPLOYMENTS, type Deployment, PODS, type Pod, REPLICA_SETS, type ReplicaSet } from '../controller-utils/types.js';
import { ReplicaSetController } from '../replicaset/replica-set-controller.js';
import { DeploymentController } from './deployment-controller.js';
import { revision } from './util.js';
import { rfc3339 } from '../../machinery/time.js';

export class World {
  readonly cluster = new FakeClientset();
  readonly informers = new FakeInformerFactory(this.cluster);
  readonly recorder = new FakeRecorder();
  readonly dq = new FakeQueue();
  readonly rq = new FakeQueue();
  readonly dc = new DeploymentController({
    client: this.cluster,
    informers: this.informers,
    recorder: this.recorder,
    newQueue: () => this.dq,
    now: this.cluster.clock.now,
  });
  readonly rsc = new ReplicaSetController({
    client: this.cluster,
    informers: this.informers,
    recorder: this.recorder,
    newQueue: () => this.rq,
    now: this.cluster.clock.now,
  });
  /** Called after every sync, to check invariants while the rollout moves. */
  onStep?: () => void;

  /** Runs both controllers until neither has queued work. */
  async settle(): Promise<void> {
    for (let i = 0; i < 500; i++) {
      const dk = this.dq.pop();
      if (dk !== undefined) await this.dc.sync(dk);
      const rk = this.rq.pop();
      if (rk !== undefined) await this.rsc.sync(rk);
      if (dk === undefined && rk === undefined) return;
      this.onStep?.();
    }
    throw new Error('controllers did not settle');
  }

  /** Marks every pending pod Running and Ready (optionally only `limit` of them). */
  readyPods(limit = Number.POSITIVE_INFINITY): number {
    let n = 0;
    for (const p of this.cluster.tracker.list(PODS, NS) as Pod[]) {
      if (n >= limit) break;
      if (p.status?.phase === 'Running') continue;
      const next = structuredClone(p);
      next.spec = { ...next.spec, nodeName: 'node-1' };
      next.status = {
        phase: 'Running',
        conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: rfc3339(this.cluster.clock.now()) }],
      };
      this.cluster.tracker.put(PODS, next);
      n++;
    }
    return n;
  }

  /** Settles, makes pods ready, and repeats until nothing changes. */
  async converge(): Promise<void> {
    await this.settle();
    while (this.readyPods() > 0) await this.settle();
  }

  deployment(name = 'nginx'): Deployment {
    return this.cluster.tracker.get(DEPLOYMENTS, NS, name) as Deployment;
  }

  /** Updates the deployment's spec as kubectl would (generation bumped). */
  edit(name: string, change: (d: Deployment) => void): void {
    const d = structuredClone(this.deployment(name));
    change(d);
    d.metadata.generation = (d.metadata.generation ?? 1) + 1;
    this.cluster.tracker.put(DEPLOYMENTS, d);
  }

  /** The sets, oldest revision first, as `name:replicas`. */
  replicaSets(): ReplicaSet[] {
    return (this.cluster.tracker.list(REPLICA_SETS, NS) as ReplicaSet[]).sort((a, b) => revision(a) - revision(b));
  }

  messages(reason?: string): string[] {
    return this.recorder.events.filter((e) => !reason || e.reason === reason).map((e) => e.message);
  }
}
