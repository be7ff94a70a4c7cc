/**
 * The runtime conformance suite (DESIGN.md rule 3): the CRI behaviour the kubelet relies on.
 * Every Runtime implementation runs it from its own test file:
 *
 *   runtimeConformance('fake', async () => ({ runtime: new FakeRuntime({ nodeIP, podCIDR }) }));
 *
 * A runtime that needs real images passes `image` (one it can pull) in the options. Where CRI
 * leaves the error code open and runtimes differ, a case accepts each runtime's answer: containerd
 * 1.6 answers a container in the wrong state and a reserved name with Unknown, the fake with
 * FailedPrecondition and AlreadyExists (the kubelet relies on the failure, not its code). Exit
 * codes and reasons are agreed: a container's own exit is Completed (0) or Error; StopContainer
 * with timeout 0 and StopPodSandbox SIGKILL it (137, Error).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { randomUUID } from 'node:crypto';
import { Readable, Writable } from 'node:stream';
import {
  type ContainerConfig,
  type ContainerEventResponse,
  isRuntimeError,
  type PodSandboxConfig,
  type Runtime,
  type RuntimeErrorCode,
} from '../interface.js';
import { SIMULATE_EXIT_ANNOTATION } from '../fake/simulate.js';

export interface ConformanceSubject {
  runtime: Runtime;
  /** Releases what the runtime holds (called after each case). */
  cleanup?(): Promise<void>;
}

export interface ConformanceOptions {
  /** An image the runtime can pull, whose command `sleep 3600` runs; default "busybox:1.36". */
  image?: string;
  /**
   * Whether the runtime streams GetContainerEvents (default true). containerd before 1.7 answers
   * UNIMPLEMENTED: the stream must then stay silent and the kubelet relists.
   */
  containerEvents?: boolean;
  /** How long to wait for events to arrive (default 5 s). */
  eventTimeoutMs?: number;
}

function sandboxConfig(name = `pod-${randomUUID().slice(0, 8)}`): PodSandboxConfig {
  return {
    metadata: { name, namespace: 'conformance', uid: randomUUID(), attempt: 0 },
    hostname: name,
    labels: { 'io.kubernetes.pod.name': name, 'io.kubernetes.pod.namespace': 'conformance' },
    annotations: {},
  };
}

function containerConfig(image: string, name = 'app', attempt = 0): ContainerConfig {
  return { metadata: { name, attempt }, image: { image }, command: ['sleep', '3600'], labels: { 'io.kubernetes.container.name': name } };
}

/** A Writable that keeps what is written to it. */
function collector(): { stream: Writable; text(): string } {
  let text = '';
  const stream = new Writable({
    write: (chunk: Buffer, _enc, callback) => {
      text += chunk.toString();
      callback();
    },
  });
  return { stream, text: () => text };
}

/** Rejects with a RuntimeError whose code is one of `codes`. */
async function rejectsWith(p: Promise<unknown>, ...codes: RuntimeErrorCode[]): Promise<void> {
  await assert.rejects(p, (err: unknown) => {
    assert.ok(isRuntimeError(err), `want RuntimeError ${codes.join(' or ')}, got ${String(err)}`);
    assert.ok(codes.includes(err.code), `want ${codes.join(' or ')}, got ${err.code}: ${err.message}`);
    return true;
  });
}

/** Polls `check` every 20 ms until it holds or `timeoutMs` passed; returns whether it held. */
async function waitFor(check: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 20));
  }
  return true;
}

export function runtimeConformance(name: string, factory: () => Promise<ConformanceSubject>, options: ConformanceOptions = {}): void {
  const image = options.image ?? 'busybox:1.36';
  const containerEvents = options.containerEvents ?? true;
  const eventTimeoutMs = options.eventTimeoutMs ?? 5000;

  const withRuntime = (fn: (rt: Runtime) => Promise<void>) => async () => {
    const subject = await factory();
    try {
      await fn(subject.runtime);
    } finally {
      await subject.cleanup?.();
    }
  };

  /** A ready sandbox with one created container. */
  async function createOne(rt: Runtime): Promise<{ sandboxId: string; containerId: string; config: PodSandboxConfig }> {
    const config = sandboxConfig();
    await rt.pullImage({ image });
    const sandboxId = await rt.runPodSandbox(config);
    const containerId = await rt.createContainer(sandboxId, containerConfig(image), config);
    return { sandboxId, containerId, config };
  }

  describe(`runtime conformance: ${name}`, () => {
    it(
      'reports the usage of running containers and reopens their logs',
      withRuntime(async (rt) => {
        const { containerId } = await createOne(rt);
        await rejectsWith(rt.reopenContainerLog(containerId), 'FailedPrecondition', 'Unknown');
        await rt.startContainer(containerId);
        await rt.reopenContainerLog(containerId);
        const [stats, ...more] = await rt.listContainerStats({ id: containerId });
        assert.deepEqual(more, []);
        assert.equal(stats?.attributes.id, containerId);
        assert.equal(stats?.attributes.metadata.name, 'app');
        assert.equal(stats?.attributes.labels['io.kubernetes.container.name'], 'app');
        assert.ok((stats?.cpu?.timestamp ?? 0) > 0 && (stats?.cpu?.usageCoreNanoSeconds ?? -1) >= 0, JSON.stringify(stats?.cpu));
        assert.ok((stats?.memory?.workingSetBytes ?? 0) > 0, JSON.stringify(stats?.memory));
        assert.ok((await rt.listContainerStats()).some((s) => s.attributes.id === containerId));
        await rejectsWith(rt.reopenContainerLog('0'.repeat(64)), 'NotFound');
      }),
    );

    it(
      'reports its version and a ready runtime',
      withRuntime(async (rt) => {
        const v = await rt.version('v1');
        assert.ok(v.runtimeName, 'runtimeName is set');
        assert.ok(v.runtimeVersion, 'runtimeVersion is set');
        const st = await rt.status();
        assert.equal(st.conditions.find((c) => c.type === 'RuntimeReady')?.status, true);
      }),
    );

    it(
      'pulls, lists and removes images',
      withRuntime(async (rt) => {
        const ref = await rt.pullImage({ image });
        assert.ok(ref, 'PullImage returns an image reference');
        const st = await rt.imageStatus({ image });
        assert.ok(st, 'ImageStatus finds the pulled image');
        assert.equal(st.id, ref);
        assert.ok((await rt.listImages()).some((i) => i.id === ref));
        assert.equal((await rt.listImages({ image: { image } })).length, 1);
        await rt.removeImage({ image });
        assert.equal(await rt.imageStatus({ image }), undefined);
        await rt.removeImage({ image }); // idempotent
      }),
    );

    it(
      'runs a sandbox with an IP and lists it by label and state',
      withRuntime(async (rt) => {
        const config = sandboxConfig();
        const id = await rt.runPodSandbox(config);
        const st = await rt.podSandboxStatus(id);
        assert.equal(st.state, 'SANDBOX_READY');
        assert.deepEqual(st.metadata, config.metadata);
        assert.match(st.network?.ip ?? '', /^[\d.:a-f]+$/);
        assert.deepEqual(
          (await rt.listPodSandbox({ labelSelector: { 'io.kubernetes.pod.name': config.metadata.name } })).map((s) => s.id),
          [id],
        );
        assert.equal((await rt.listPodSandbox({ id, state: 'SANDBOX_NOTREADY' })).length, 0);
      }),
    );

    it(
      'lists sandboxes matching every label of a selector, and forgets removed ones',
      withRuntime(async (rt) => {
        const a = sandboxConfig();
        const b = sandboxConfig();
        const [idA, idB] = [await rt.runPodSandbox(a), await rt.runPodSandbox(b)];
        const byLabels = async (labelSelector: Record<string, string>) => (await rt.listPodSandbox({ labelSelector })).map((s) => s.id);
        const mine = (ids: string[]) => ids.filter((id) => id === idA || id === idB).sort();
        assert.deepEqual(mine(await byLabels({ 'io.kubernetes.pod.namespace': 'conformance' })), [idA, idB].sort());
        assert.deepEqual(await byLabels({ 'io.kubernetes.pod.namespace': 'conformance', 'io.kubernetes.pod.name': b.metadata.name }), [
          idB,
        ]);
        assert.deepEqual(await byLabels({ 'io.kubernetes.pod.namespace': 'elsewhere', 'io.kubernetes.pod.name': b.metadata.name }), []);
        assert.deepEqual(await byLabels({ 'io.kubernetes.pod.name': b.metadata.name, 'no-such-label': 'x' }), []);
        await rt.stopPodSandbox(idB);
        await rt.removePodSandbox(idB);
        assert.deepEqual(await byLabels({ 'io.kubernetes.pod.name': b.metadata.name }), []);
        assert.deepEqual(await byLabels({ 'io.kubernetes.pod.name': a.metadata.name }), [idA]);
      }),
    );

    it(
      'gives concurrent sandboxes distinct IPs',
      withRuntime(async (rt) => {
        const ids = await Promise.all([0, 1, 2].map(() => rt.runPodSandbox(sandboxConfig())));
        const ips = await Promise.all(ids.map(async (id) => (await rt.podSandboxStatus(id)).network?.ip));
        assert.equal(new Set(ips).size, 3, `IPs ${ips.join(', ')}`);
      }),
    );

    it(
      'moves a container CREATED → RUNNING → EXITED and removes it',
      withRuntime(async (rt) => {
        const { containerId, sandboxId } = await createOne(rt);
        let st = await rt.containerStatus(containerId);
        assert.equal(st.state, 'CONTAINER_CREATED');
        assert.equal(st.metadata.name, 'app');
        assert.ok(st.createdAt > 0 && st.startedAt === 0);
        assert.ok(st.imageRef, 'imageRef is set');
        await rt.startContainer(containerId);
        st = await rt.containerStatus(containerId);
        assert.equal(st.state, 'CONTAINER_RUNNING');
        assert.ok(st.startedAt >= st.createdAt);
        await rejectsWith(rt.startContainer(containerId), 'FailedPrecondition', 'Unknown');
        assert.deepEqual(
          (await rt.listContainers({ podSandboxId: sandboxId, state: 'CONTAINER_RUNNING' })).map((c) => c.id),
          [containerId],
        );
        await rt.stopContainer(containerId, 0);
        st = await rt.containerStatus(containerId);
        assert.equal(st.state, 'CONTAINER_EXITED');
        assert.ok(st.finishedAt >= st.startedAt);
        // timeout 0: SIGKILL at once, exit 128 + 9
        assert.deepEqual([st.exitCode, st.reason], [137, 'Error']);
        await rt.stopContainer(containerId, 0); // idempotent
        await rt.removeContainer(containerId);
        await rejectsWith(rt.containerStatus(containerId), 'NotFound');
        await rt.removeContainer(containerId); // idempotent
        assert.equal((await rt.listContainers({ podSandboxId: sandboxId })).length, 0);
      }),
    );

    it(
      'reports a container’s own exit: Completed for 0, Error for other codes',
      withRuntime(async (rt) => {
        const config = sandboxConfig();
        await rt.pullImage({ image });
        const sandboxId = await rt.runPodSandbox(config);
        const exits: [number, string][] = [];
        for (const code of [0, 3]) {
          const c = containerConfig(image, `exit-${code}`);
          // the fake runs no command: its exit program says the same
          c.command = ['sh', '-c', `exit ${code}`];
          c.annotations = { [SIMULATE_EXIT_ANNOTATION]: `0s:${code}` };
          const id = await rt.createContainer(sandboxId, c, config);
          await rt.startContainer(id);
          const deadline = Date.now() + eventTimeoutMs;
          let st = await rt.containerStatus(id);
          while (st.state !== 'CONTAINER_EXITED' && Date.now() < deadline) {
            await new Promise((r) => setTimeout(r, 20));
            st = await rt.containerStatus(id);
          }
          exits.push([st.exitCode, st.reason]);
        }
        assert.deepEqual(exits, [
          [0, 'Completed'],
          [3, 'Error'],
        ]);
      }),
    );

    it(
      'execs in a running container only',
      withRuntime(async (rt) => {
        const { containerId } = await createOne(rt);
        await rejectsWith(rt.execSync(containerId, ['true'], 5), 'FailedPrecondition', 'Unknown');
        await rt.startContainer(containerId);
        const res = await rt.execSync(containerId, ['true'], 5);
        assert.equal(res.exitCode, 0);
      }),
    );

    it(
      'streams an exec: stdout, stderr, stdin to its end, and the exit code',
      withRuntime(async (rt) => {
        const { containerId } = await createOne(rt);
        await rt.startContainer(containerId);
        const out = collector();
        assert.equal(await rt.exec(containerId, ['echo', 'hello', 'stream'], { stdout: out.stream, tty: false }), 0);
        assert.equal(out.text(), 'hello stream\n');
        const echoed = collector();
        const stdin = Readable.from([Buffer.from('line one\n'), Buffer.from('line two\n')]);
        assert.equal(await rt.exec(containerId, ['cat'], { stdin, stdout: echoed.stream, tty: false }), 0);
        assert.equal(echoed.text(), 'line one\nline two\n');
        assert.equal(await rt.exec(containerId, ['sh', '-c', 'exit 3'], { stdout: collector().stream, tty: false }), 3);
      }),
    );

    it(
      'refuses containers in unknown sandboxes and duplicate names',
      withRuntime(async (rt) => {
        const { sandboxId, config } = await createOne(rt);
        await rejectsWith(rt.createContainer('no-such-sandbox', containerConfig(image), config), 'NotFound');
        await rejectsWith(rt.createContainer(sandboxId, containerConfig(image), config), 'AlreadyExists', 'Unknown');
        await rt.createContainer(sandboxId, containerConfig(image, 'app', 1), config);
      }),
    );

    it(
      'answers NotFound for unknown ids',
      withRuntime(async (rt) => {
        await rejectsWith(rt.containerStatus('0123456789abcdef'), 'NotFound');
        await rejectsWith(rt.podSandboxStatus('0123456789abcdef'), 'NotFound');
        await rt.stopPodSandbox('0123456789abcdef');
        await rt.removePodSandbox('0123456789abcdef');
      }),
    );

    it(
      'stops a sandbox with its containers, then removes both',
      withRuntime(async (rt) => {
        const { sandboxId, containerId, config } = await createOne(rt);
        await rt.startContainer(containerId);
        await rt.stopPodSandbox(sandboxId);
        assert.equal((await rt.podSandboxStatus(sandboxId)).state, 'SANDBOX_NOTREADY');
        const st = await rt.containerStatus(containerId);
        assert.deepEqual([st.state, st.exitCode, st.reason], ['CONTAINER_EXITED', 137, 'Error']);
        // a stopped sandbox takes no new container (containerd: NotFound, its task is gone)
        await rejectsWith(rt.createContainer(sandboxId, containerConfig(image, 'late'), config), 'FailedPrecondition', 'NotFound');
        await rt.stopPodSandbox(sandboxId); // idempotent
        await rt.removePodSandbox(sandboxId);
        await rejectsWith(rt.podSandboxStatus(sandboxId), 'NotFound');
        await rejectsWith(rt.containerStatus(containerId), 'NotFound');
        await rt.removePodSandbox(sandboxId); // idempotent
      }),
    );

    it(
      containerEvents ? 'streams container events' : 'keeps an unsupported event stream silent',
      withRuntime(async (rt) => {
        const events: ContainerEventResponse[] = [];
        const ac = new AbortController();
        rt.getContainerEvents((e) => events.push(e), ac.signal);
        try {
          const { containerId } = await createOne(rt);
          await rt.startContainer(containerId);
          await rt.stopContainer(containerId, 0);
          await rt.removeContainer(containerId);
          const mine = () => events.filter((e) => e.containerId === containerId).map((e) => e.containerEventType);
          if (!containerEvents) {
            assert.deepEqual(events, []);
            return;
          }
          // a runtime delivers events asynchronously
          await waitFor(() => mine().length >= 4, eventTimeoutMs);
          assert.deepEqual(mine(), [
            'CONTAINER_CREATED_EVENT',
            'CONTAINER_STARTED_EVENT',
            'CONTAINER_STOPPED_EVENT',
            'CONTAINER_DELETED_EVENT',
          ]);
        } finally {
          ac.abort();
        }
      }),
    );
  });
}
