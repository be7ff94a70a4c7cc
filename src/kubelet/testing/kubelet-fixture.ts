/**
 * One Kubelet on a FakeRuntime, a FakeClientset and a FakeClock for unit tests of what the
 * kubelet does over time (pod lifecycle, probes, hooks, termination, image pulls, volumes):
 * `create` stores a pod (with the options' pod defaults), `sync` runs the pod worker on the stored
 * pod and returns its status; `network` answers httpGet/tcpSocket/grpc actions from a script by
 * path (default 200). ConfigMaps, Secrets and Services the pods refer to are read from `cluster`.
 */
import { FakeClientset } from '../../client/testing/fake-clientset.js';
import { FakeInformerFactory } from '../../client/testing/fake-informers.js';
import { FakeRecorder } from '../../client/testing/fake-recorder.js';
import type { KubeObject } from '../../machinery/object.js';
import { Kubelet } from '../kubelet.js';
import { ClientPodObjects } from '../pod-objects.js';
import type { ActionOutcome, HTTPGetRequest, ProbeNetwork } from '../prober/interface.js';
import { FakeRuntime } from '../runtime/fake/fake-runtime.js';

type Obj = Record<string, unknown>;

export const PODS = { group: '', version: 'v1', resource: 'pods' };

/** A scripted network: httpGet answers by path, tcpSocket and grpc succeed; every call is logged. */
export class ScriptedNetwork implements ProbeNetwork {
  readonly answers = new Map<string, ActionOutcome>();
  readonly calls: string[] = [];
  /** Whether workers may stop once their probe succeeded (as for simulated nodes). */
  steady = false;

  async httpGet(request: HTTPGetRequest): Promise<ActionOutcome> {
    this.calls.push(`GET ${request.host}:${request.port}${request.path}`);
    return this.answers.get(request.path) ?? { result: 'Success', output: 'ok', statusCode: 200 };
  }

  async tcpSocket(host: string, port: number): Promise<ActionOutcome> {
    this.calls.push(`TCP ${host}:${port}`);
    return { result: 'Success', output: '' };
  }

  async grpc(host: string, port: number, service: string): Promise<ActionOutcome> {
    this.calls.push(`GRPC ${host}:${port} ${service}`);
    return { result: 'Success', output: 'service healthy' };
  }

  /** Makes GET <path> fail with a status code. */
  fail(path: string, code = 500): void {
    this.answers.set(path, { result: 'Failure', output: `HTTP probe failed with statuscode: ${code}`, statusCode: code });
  }
}

export interface KubeletFixtureOptions {
  /** What `create` puts in every pod unless its arguments say otherwise. */
  pod?: { metadata?: Obj; spec?: Obj; status?: Obj };
}

export function kubeletFixture(options: KubeletFixtureOptions = {}) {
  const defaults = options.pod ?? {};
  const cluster = new FakeClientset();
  const clock = cluster.clock;
  const runtime = new FakeRuntime({ nodeIP: '10.240.0.1', podCIDR: '10.244.1.0/24', clock });
  const recorder = new FakeRecorder();
  const network = new ScriptedNetwork();
  const requeues: [string, number][] = [];
  /** A kubelet on the fixture's runtime and API (another one: the kubelet restarted). */
  const newKubelet = (): Kubelet =>
    new Kubelet({
      nodeName: 'node-a',
      nodeIP: '10.240.0.1',
      runtime,
      runtimeName: 'fake',
      pods: cluster.resource(PODS),
      recorder,
      clock,
      objects: new ClientPodObjects(
        cluster,
        new FakeInformerFactory(cluster).forResource({ group: '', version: 'v1', resource: 'services' }).lister,
      ),
      requeue: (key, ms) => requeues.push([key, ms]),
      probeNetwork: network,
    });
  const kubelet = newKubelet();
  const create = (spec: Obj = {}, annotations: Record<string, string> = {}): KubeObject =>
    cluster.tracker.put(PODS, {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'web', namespace: 'default', ...defaults.metadata, annotations },
      spec: { nodeName: 'node-a', restartPolicy: 'Always', ...defaults.spec, ...spec },
      status: { phase: 'Pending', ...defaults.status },
    });
  const stored = (): KubeObject | undefined => cluster.tracker.get(PODS, 'default', 'web');
  const sync = async (): Promise<Obj> => {
    const pod = stored();
    await kubelet.syncPod('default/web', pod ? structuredClone(pod) : undefined);
    return (stored()?.['status'] ?? {}) as Obj;
  };
  /** Marks the stored pod deleted (the apiserver's graceful deletion). */
  const markDeleted = (grace: number): void => {
    const live = stored() as KubeObject;
    cluster.tracker.put(PODS, {
      ...live,
      metadata: { ...live.metadata, deletionTimestamp: '2024-01-01T00:01:00Z', deletionGracePeriodSeconds: grace },
    });
  };
  return { cluster, clock, runtime, recorder, network, requeues, kubelet, newKubelet, create, stored, sync, markDeleted };
}

export const condition = (status: Obj, type: string): Obj | undefined =>
  ((status['conditions'] ?? []) as Obj[]).find((c) => c['type'] === type);
export const containerStatusOf = (status: Obj, name: string, list = 'containerStatuses'): Obj =>
  ((status[list] ?? []) as Obj[]).find((c) => c['name'] === name) ?? {};
