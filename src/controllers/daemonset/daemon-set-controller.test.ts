import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FakeClientset } from '../../client/testing/fake-clientset.js';
import { FakeInformerFactory } from '../../client/testing/fake-informers.js';
import { drain, FakeQueue } from '../../client/testing/fake-queue.js';
import { FakeRecorder } from '../../client/testing/fake-recorder.js';
import { rfc3339 } from '../../machinery/time.js';
import type { Node, Taint } from '../../scheduler/types.js';
import { NS, template } from '../controller-utils/testing/objects.js';
import { PODS, type Pod } from '../controller-utils/types.js';
import { CONTROLLER_REVISIONS, type ControllerRevision } from '../history/controller-history.js';
import { NODES } from '../node-lifecycle/node-lifecycle-controller.js';
import { DaemonSetController } from './daemon-set-controller.js';
import { targetNodeName } from './daemon-pod.js';
import {
  DAEMON_SET_UNIQUE_LABEL,
  DAEMON_SETS,
  type DaemonSet,
  TEMPLATE_GENERATION_ANNOTATION,
  TEMPLATE_GENERATION_LABEL,
} from './types.js';

class World {
  readonly cluster = new FakeClientset();
  readonly recorder = new FakeRecorder();
  readonly queue = new FakeQueue();
  readonly dsc = new DaemonSetController({
    client: this.cluster,
    informers: new FakeInformerFactory(this.cluster),
    recorder: this.recorder,
    newQueue: () => this.queue,
    now: this.cluster.clock.now,
  });

  settle(): Promise<unknown[]> {
    return drain(this.queue, (k) => this.dsc.sync(k));
  }

  node(name: string, extra: { labels?: Record<string, string>; taints?: Taint[] } = {}): void {
    const node: Node = {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name, labels: { 'kubernetes.io/hostname': name, ...extra.labels } },
      spec: {},
    };
    if (extra.taints) node.spec = { taints: extra.taints };
    this.cluster.tracker.put(NODES, node);
  }

  create(name: string, spec: Partial<NonNullable<DaemonSet['spec']>> = {}): DaemonSet {
    const labels = { app: name };
    const ds: DaemonSet = {
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: { name, namespace: NS, generation: 1, annotations: { [TEMPLATE_GENERATION_ANNOTATION]: '1' } },
      spec: {
        selector: { matchLabels: labels },
        template: template(labels),
        updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } },
        revisionHistoryLimit: 10,
        ...spec,
      },
    };
    return this.cluster.tracker.put(DAEMON_SETS, ds) as DaemonSet;
  }

  ds(name = 'fluentd'): DaemonSet {
    return this.cluster.tracker.get(DAEMON_SETS, NS, name) as DaemonSet;
  }

  /** A template change as the API server records it: generation and template generation move on. */
  edit(name: string, change: (ds: DaemonSet) => void): void {
    const ds = structuredClone(this.ds(name));
    change(ds);
    ds.metadata.generation = (ds.metadata.generation ?? 1) + 1;
    const tg = Number(ds.metadata.annotations?.[TEMPLATE_GENERATION_ANNOTATION] ?? '1') + 1;
    ds.metadata.annotations = { ...ds.metadata.annotations, [TEMPLATE_GENERATION_ANNOTATION]: String(tg) };
    this.cluster.tracker.put(DAEMON_SETS, ds);
  }

  pods(): Pod[] {
    return (this.cluster.tracker.list(PODS, NS) as Pod[]).sort((a, b) => (targetNodeName(a) ?? '').localeCompare(targetNodeName(b) ?? ''));
  }

  /** The scheduler and kubelets: binds each pod to its node and makes it Running and Ready (or Failed). */
  run(phase: 'Running' | 'Failed' = 'Running', only?: (p: Pod) => boolean): number {
    let n = 0;
    for (const p of this.pods()) {
      if (p.status?.phase === phase || (only && !only(p))) continue;
      const next = structuredClone(p);
      next.spec = { ...next.spec, nodeName: targetNodeName(p) ?? '' };
      const ready = phase === 'Running' ? 'True' : 'False';
      next.status = { phase, conditions: [{ type: 'Ready', status: ready, lastTransitionTime: rfc3339(this.cluster.clock.now()) }] };
      this.cluster.tracker.put(PODS, next);
      n++;
    }
    return n;
  }

  async converge(): Promise<void> {
    await this.settle();
    while (this.run() > 0) await this.settle();
  }

  images(): (string | undefined)[] {
    return this.pods().map((p) => (p.spec?.['containers'] as { image: string }[] | undefined)?.[0]?.image);
  }

  revisions(): ControllerRevision[] {
    return (this.cluster.tracker.list(CONTROLLER_REVISIONS, NS) as ControllerRevision[]).sort((a, b) => a.revision - b.revision);
  }

  events(reason?: string): string[] {
    return this.recorder.events.filter((e) => !reason || e.reason === reason).map((e) => `${e.reason} ${e.message}`);
  }
}

const nodesOf = (pods: Pod[]) => pods.map((p) => targetNodeName(p));

describe('DaemonSetController', () => {
  it('creates one pod per node, pinned by node affinity, with the daemon tolerations, labels, a revision and status', async () => {
    const w = new World();
    for (const n of ['node-a', 'node-b', 'node-c']) w.node(n);
    const ds = w.create('fluentd');
    await w.settle();
    const pods = w.pods();
    assert.deepEqual(nodesOf(pods), ['node-a', 'node-b', 'node-c']);
    const [rev] = w.revisions();
    assert.ok(rev);
    assert.equal(rev.revision, 1);
    assert.deepEqual(rev.data, { spec: { template: { ...template({ app: 'fluentd' }), $patch: 'replace' } } });
    const hash = rev.metadata.labels?.[DAEMON_SET_UNIQUE_LABEL] ?? '';
    assert.equal(rev.metadata.name, `fluentd-${hash}`);
    const pod = pods[0]!;
    assert.match(pod.metadata.name ?? '', /^fluentd-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    assert.deepEqual(pod.metadata.labels, { app: 'fluentd', [DAEMON_SET_UNIQUE_LABEL]: hash, [TEMPLATE_GENERATION_LABEL]: '1' });
    assert.deepEqual(pod.metadata.ownerReferences?.[0], {
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      name: 'fluentd',
      uid: ds.metadata.uid,
      controller: true,
      blockOwnerDeletion: true,
    });
    assert.deepEqual(pod.spec?.['affinity'], {
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: {
          nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['node-a'] }] }],
        },
      },
    });
    assert.deepEqual(
      ((pod.spec?.['tolerations'] ?? []) as { key: string; effect: string }[]).map((t) => `${t.key}:${t.effect}`),
      [
        'node.kubernetes.io/not-ready:NoExecute',
        'node.kubernetes.io/unreachable:NoExecute',
        'node.kubernetes.io/disk-pressure:NoSchedule',
        'node.kubernetes.io/memory-pressure:NoSchedule',
        'node.kubernetes.io/pid-pressure:NoSchedule',
        'node.kubernetes.io/unschedulable:NoSchedule',
      ],
    );
    assert.deepEqual(w.events('SuccessfulCreate').sort(), pods.map((p) => `SuccessfulCreate Created pod: ${p.metadata.name}`).sort());
    assert.deepEqual(w.ds().status, {
      currentNumberScheduled: 3,
      numberMisscheduled: 0,
      desiredNumberScheduled: 3,
      numberReady: 0,
      updatedNumberScheduled: 3,
      numberAvailable: 0,
      numberUnavailable: 3,
      observedGeneration: 1,
    });
    await w.converge();
    assert.deepEqual(w.ds().status, {
      currentNumberScheduled: 3,
      numberMisscheduled: 0,
      desiredNumberScheduled: 3,
      numberReady: 3,
      updatedNumberScheduled: 3,
      numberAvailable: 3,
      numberUnavailable: 0,
      observedGeneration: 1,
    });
    assert.equal(w.pods().length, 3, 'no second pod once the first runs');
  });

  it('follows nodes: new ones get a pod, tainted or unselected ones none, NoExecute and relabelled ones lose theirs', async () => {
    const w = new World();
    w.node('node-a', { labels: { disk: 'ssd' } });
    w.node('node-b', { labels: { disk: 'ssd' }, taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }] });
    w.node('node-c');
    w.create('fluentd', { template: { ...template({ app: 'fluentd' }), spec: { ...template({}).spec, nodeSelector: { disk: 'ssd' } } } });
    await w.converge();
    assert.deepEqual(nodesOf(w.pods()), ['node-a'], 'node-b is tainted, node-c lacks the label');
    w.node('node-d', { labels: { disk: 'ssd' } });
    await w.converge();
    assert.deepEqual(nodesOf(w.pods()), ['node-a', 'node-d'], 'a new node gets its pod');
    w.node('node-a', { labels: { disk: 'ssd' }, taints: [{ key: 'maintenance', effect: 'NoSchedule' }] });
    await w.converge();
    assert.deepEqual(nodesOf(w.pods()), ['node-a', 'node-d'], 'a NoSchedule taint keeps the running pod');
    assert.equal(w.ds().status?.desiredNumberScheduled, 1);
    assert.equal(w.ds().status?.numberMisscheduled, 1);
    w.node('node-a', { labels: { disk: 'ssd' }, taints: [{ key: 'maintenance', effect: 'NoExecute' }] });
    w.node('node-d', { labels: { disk: 'hdd' } });
    await w.converge();
    assert.deepEqual(nodesOf(w.pods()), [], 'NoExecute and a lost label remove the pods');
    assert.equal(w.events('SuccessfulDelete').length, 2);
    w.edit('fluentd', (ds) => {
      ds.spec!.template!.spec!['tolerations'] = [{ key: 'dedicated', operator: 'Exists', effect: 'NoSchedule' }];
    });
    await w.converge();
    assert.deepEqual(nodesOf(w.pods()), ['node-b'], 'a toleration lets it run on the tainted node');
    // a node that is gone: its pending pod (never bound) goes
    w.node('node-e', { labels: { disk: 'ssd' } });
    await w.settle();
    w.cluster.tracker.remove(NODES, '', 'node-e');
    await w.settle();
    assert.deepEqual(nodesOf(w.pods()), ['node-b']);
  });

  it('rolls out a new template one node at a time under maxUnavailable 1, keeping history', async () => {
    const w = new World();
    for (const n of ['node-a', 'node-b', 'node-c', 'node-d']) w.node(n);
    w.create('fluentd');
    await w.converge();
    w.edit('fluentd', (ds) => (ds.spec!.template = template({ app: 'fluentd' }, 'fluentd:2')));
    let steps = 0;
    for (;;) {
      await w.settle();
      const ready = w.pods().filter((p) => p.status?.phase === 'Running').length;
      assert.ok(ready >= 3, `at most one node without a ready pod (${ready} ready)`);
      if (w.run() === 0) break;
      steps++;
    }
    assert.equal(steps, 4, 'one node per step');
    const images = w.images();
    assert.deepEqual(images, ['fluentd:2', 'fluentd:2', 'fluentd:2', 'fluentd:2']);
    const revs = w.revisions();
    assert.deepEqual(
      revs.map((r) => r.revision),
      [1, 2],
    );
    const hash = revs[1]!.metadata.labels?.[DAEMON_SET_UNIQUE_LABEL];
    assert.ok(
      w
        .pods()
        .every((p) => p.metadata.labels?.[DAEMON_SET_UNIQUE_LABEL] === hash && p.metadata.labels?.[TEMPLATE_GENERATION_LABEL] === '2'),
    );
    assert.equal(w.ds().status?.updatedNumberScheduled, 4);
    assert.equal(w.ds().status?.observedGeneration, 2);
    // back to the first template (rollout undo): the old revision becomes revision 3
    w.edit('fluentd', (ds) => (ds.spec!.template = template({ app: 'fluentd' })));
    await w.converge();
    assert.deepEqual(
      w.revisions().map((r) => `${r.metadata.name}:${r.revision}`),
      [`${revs[1]!.metadata.name}:2`, `${revs[0]!.metadata.name}:3`],
    );
  });

  it('surges with maxSurge 1: a new pod beside the old, the old one deleted once the new is available', async () => {
    const w = new World();
    for (const n of ['node-a', 'node-b']) w.node(n);
    w.create('fluentd', { updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } } });
    await w.converge();
    w.edit('fluentd', (ds) => (ds.spec!.template = template({ app: 'fluentd' }, 'fluentd:2')));
    await w.settle();
    assert.equal(w.pods().length, 3, 'one surge pod');
    assert.equal(w.pods().filter((p) => p.status?.phase === 'Running').length, 2, 'both old pods still serve');
    await w.converge();
    const images = w.images();
    assert.deepEqual(images, ['fluentd:2', 'fluentd:2']);
  });

  it('with surge, a pod leaves a node its template no longer fits only while the others serve every wanted node', async () => {
    const w = new World();
    for (const n of ['node-a', 'node-b']) w.node(n);
    w.create('fluentd', { updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } } });
    await w.converge();
    w.node('node-b', { taints: [{ key: 'maintenance', effect: 'NoSchedule' }] });
    w.edit('fluentd', (ds) => (ds.spec!.template = template({ app: 'fluentd' }, 'fluentd:2')));
    await w.settle();
    assert.deepEqual(nodesOf(w.pods()), ['node-a', 'node-a'], 'a surge pod on node-a; node-b has more than enough served');
    await w.converge();
    assert.deepEqual(w.images(), ['fluentd:2']);
  });

  it('OnDelete replaces a pod only when it is deleted', async () => {
    const w = new World();
    for (const n of ['node-a', 'node-b']) w.node(n);
    w.create('fluentd', { updateStrategy: { type: 'OnDelete' } });
    await w.converge();
    w.edit('fluentd', (ds) => (ds.spec!.template = template({ app: 'fluentd' }, 'fluentd:2')));
    await w.converge();
    assert.equal(w.ds().status?.updatedNumberScheduled, 0);
    const victim = w.pods()[0]!;
    await w.cluster.resource(PODS).delete(NS, victim.metadata.name ?? '');
    await w.converge();
    const images = w.images();
    assert.deepEqual(images, ['fluentd:2', 'nginx:1.14.2']);
    assert.equal(w.ds().status?.updatedNumberScheduled, 1);
  });

  it('deletes a failed pod with FailedDaemonPod, then backs off before deleting the next failure on that node', async () => {
    const w = new World();
    w.node('node-a');
    w.create('fluentd');
    await w.converge();
    w.run('Failed');
    await w.settle();
    assert.equal(w.events('FailedDaemonPod').length, 1);
    assert.match(
      w.events('FailedDaemonPod')[0]!,
      /^FailedDaemonPod Found failed daemon pod default\/fluentd-\w+ on node node-a, will try to kill it$/,
    );
    await w.settle();
    assert.equal(w.pods().length, 1, 'recreated');
    w.run('Failed');
    await w.settle();
    assert.equal(w.events('FailedDaemonPod').length, 1, 'in back-off');
    assert.equal(w.queue.delayOf('default/fluentd'), 1000);
    await w.cluster.clock.step(1000);
    w.queue.add('default/fluentd');
    await w.settle();
    assert.equal(w.events('FailedDaemonPod').length, 2, 'after the back-off');
  });

  it('keeps revisionHistoryLimit old revisions', async () => {
    const w = new World();
    w.node('node-a');
    w.create('fluentd', { revisionHistoryLimit: 1 });
    await w.converge();
    for (const image of ['v2', 'v3', 'v4']) {
      w.edit('fluentd', (ds) => (ds.spec!.template = template({ app: 'fluentd' }, image)));
      await w.converge();
    }
    assert.deepEqual(
      w.revisions().map((r) => r.revision),
      [3, 4],
    );
  });

  it('adopts a matching orphan, then replaces it as a pod of an older template', async () => {
    const w = new World();
    w.node('node-a');
    w.cluster.tracker.put(PODS, {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'orphan', namespace: NS, labels: { app: 'fluentd' } },
      spec: { nodeName: 'node-a', containers: [{ name: 'c', image: 'x' }] },
      status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] },
    });
    const ds = w.create('fluentd');
    await w.settle();
    assert.ok(w.cluster.writes('patch').includes('patch pods default/orphan'), 'adopted');
    assert.deepEqual(w.events('SuccessfulDelete'), ['SuccessfulDelete Deleted pod: orphan'], 'replaced by the rolling update');
    await w.converge();
    assert.equal(w.pods().length, 1);
    assert.equal(w.pods()[0]?.metadata.ownerReferences?.[0]?.uid, ds.metadata.uid);
  });
});
