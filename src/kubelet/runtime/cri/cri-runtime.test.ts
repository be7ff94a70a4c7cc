/**
 * CriRuntime against a real containerd (a private one from containerd/testing, with its own
 * bridge and subnet): the runtime conformance suite, then the CRI behaviours of containerd 1.6
 * that the kubelet builds on (exit codes and reasons, logs, exec, sandbox stop, image references,
 * a containerd restart). Images are pulled through CRI from a registry on 127.0.0.1 serving an
 * archive built from the host's busybox, so no test needs the internet. Without root or the
 * packages the tests are skipped with the reason; under CI=true that is a failure.
 */
import assert from 'node:assert/strict';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { randomUUID } from 'node:crypto';
import { startOciRegistry } from '../../../../test/support/oci-registry.js';
import { containerdUnavailable, startTestContainerd, type TestContainerd } from '../../containerd/testing/test-containerd.js';
import { busyboxEntries } from '../../images/busybox-image.js';
import { ociArchive } from '../../images/oci-archive.js';
import { type ContainerConfig, type ContainerStatus, isRuntimeError, type PodSandboxConfig } from '../interface.js';
import { runtimeConformance } from '../testing/conformance.js';
import { CriRuntime } from './cri-runtime.js';

const skip = await containerdUnavailable();
const registry = skip ? undefined : await startOciRegistry();
/** The suite's image: busybox with a label of its own, so its removal leaves the imported busybox alone. */
const IMAGE = `${registry?.host ?? '127.0.0.1'}/conformance/busybox:1`;
const TIMEOUT_MS = 30_000;

let ctd: TestContainerd | undefined;

function connect(): CriRuntime {
  if (!ctd) throw new Error('the test containerd did not start');
  return new CriRuntime({ endpoint: `unix://${ctd.socket}`, timeoutMs: TIMEOUT_MS, maxReconnectBackoffMs: 500 });
}

/** Stops and removes every sandbox (and so every container), as the kubelet does for deleted pods. */
async function removeAllSandboxes(rt: CriRuntime): Promise<void> {
  for (const sb of await rt.listPodSandbox()) {
    await rt.stopPodSandbox(sb.id);
    await rt.removePodSandbox(sb.id);
  }
}

async function waitFor<T>(what: string, get: () => Promise<T>, done: (v: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await get();
    if (done(v)) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; last: ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const exited = (rt: CriRuntime, id: string) =>
  waitFor(
    `container ${id} to exit`,
    () => rt.containerStatus(id),
    (s: ContainerStatus) => s.state === 'CONTAINER_EXITED',
  );

describe('CRI runtime on containerd', { skip }, () => {
  before(async () => {
    ctd = await startTestContainerd();
    const { archive } = await ociArchive({
      name: IMAGE,
      entries: await busyboxEntries(),
      config: { Cmd: ['sh'], Env: ['PATH=/bin'], Labels: { 'k8ts.io/test': 'cri-conformance' } },
    });
    await registry?.add('conformance/busybox:1', archive);
    await registry?.add('conformance/busybox:2', archive);
  });
  after(async () => {
    await registry?.close();
    await ctd?.stop();
  });

  runtimeConformance(
    'containerd',
    async () => {
      const runtime = connect();
      return {
        runtime,
        async cleanup() {
          await removeAllSandboxes(runtime);
          runtime.close();
        },
      };
    },
    { image: IMAGE, containerEvents: false },
  );

  describe('containerd 1.6 behaviours the kubelet relies on', () => {
    let rt: CriRuntime;
    before(async () => {
      rt = connect();
      await rt.pullImage({ image: IMAGE });
    });
    after(async () => {
      await removeAllSandboxes(rt);
      rt.close();
    });

    async function pod(name: string, extra: Partial<PodSandboxConfig> = {}): Promise<{ id: string; config: PodSandboxConfig }> {
      const uid = randomUUID();
      const logDirectory = join(ctd?.dir ?? '', 'pods', `behaviours_${name}_${uid}`);
      await mkdir(logDirectory, { recursive: true });
      const config: PodSandboxConfig = {
        metadata: { name, namespace: 'behaviours', uid, attempt: 0 },
        hostname: name,
        logDirectory,
        ...extra,
      };
      return { id: await rt.runPodSandbox(config), config };
    }

    async function run(sandbox: { id: string; config: PodSandboxConfig }, name: string, command: string[]): Promise<string> {
      const config: ContainerConfig = { metadata: { name, attempt: 0 }, image: { image: IMAGE }, command, logPath: `${name}/0.log` };
      const id = await rt.createContainer(sandbox.id, config, sandbox.config);
      await rt.startContainer(id);
      return id;
    }

    it('reports exit codes and reasons: Completed, Error, 137 for a kill, 0 for a SIGTERM handled in the grace period', async () => {
      const sb = await pod('exits');
      const ok = await run(sb, 'ok', ['sh', '-c', 'exit 0']);
      const bad = await run(sb, 'bad', ['sh', '-c', 'exit 3']);
      const killed = await run(sb, 'killed', ['sleep', '3600']);
      const graceful = await run(sb, 'graceful', ['sh', '-c', 'trap "exit 0" TERM; touch /tmp/trapped; sleep 3600 & wait']);
      await rt.stopContainer(killed, 0);
      await waitFor(
        'sh to trap TERM',
        () => rt.execSync(graceful, ['test', '-f', '/tmp/trapped'], 5),
        (r) => r.exitCode === 0,
      );
      await rt.stopContainer(graceful, 30);
      const got = await Promise.all(
        [ok, bad, killed, graceful].map(async (id) => {
          const s = await exited(rt, id);
          return [s.exitCode, s.reason];
        }),
      );
      assert.deepEqual(got, [
        [0, 'Completed'],
        [3, 'Error'],
        [137, 'Error'],
        [0, 'Completed'],
      ]);
    });

    it('fails StartContainer for a command not in the image, leaving the container EXITED with StartError and 128', async () => {
      const sb = await pod('starterror');
      const id = await rt.createContainer(
        sb.id,
        { metadata: { name: 'app', attempt: 0 }, image: { image: IMAGE }, command: ['no-such-binary'] },
        sb.config,
      );
      await assert.rejects(
        rt.startContainer(id),
        (e: unknown) => isRuntimeError(e, 'Unknown') && /executable file not found/.test(e.message),
      );
      const st = await rt.containerStatus(id);
      assert.deepEqual([st.state, st.reason, st.exitCode, st.startedAt], ['CONTAINER_EXITED', 'StartError', 128, 0]);
      assert.match(st.message, /no-such-binary/);
    });

    it('writes the CRI log format under logDirectory/logPath', async () => {
      const sb = await pod('logs');
      const id = await run(sb, 'app', ['sh', '-c', 'echo out; echo err >&2; printf partial']);
      const st = await exited(rt, id);
      assert.equal(st.logPath, join(sb.config.logDirectory ?? '', 'app/0.log'));
      const lines = (await readFile(st.logPath, 'utf8')).trimEnd().split('\n');
      const shape = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z (stdout|stderr) ([FP]) (.*)$/;
      const parsed = lines.map((l) => shape.exec(l)?.slice(1)).sort();
      assert.deepEqual(
        parsed,
        [
          ['stderr', 'F', 'err'],
          ['stdout', 'F', 'out'],
          ['stdout', 'P', 'partial'],
        ],
        lines.join('\n'),
      );
    });

    it('runs ExecSync with output and exit code, and answers a command past its timeout with DeadlineExceeded', async () => {
      const sb = await pod('exec');
      const id = await run(sb, 'app', ['sleep', '3600']);
      const res = await rt.execSync(id, ['sh', '-c', 'echo out; echo err >&2; exit 7'], 10);
      assert.deepEqual([Buffer.from(res.stdout).toString(), Buffer.from(res.stderr).toString(), res.exitCode], ['out\n', 'err\n', 7]);
      await assert.rejects(rt.execSync(id, ['sleep', '30'], 1), (e: unknown) => isRuntimeError(e, 'DeadlineExceeded'));
    });

    it('StopPodSandbox kills the containers and releases the IP', async () => {
      const sb = await pod('stopped');
      const id = await run(sb, 'app', ['sleep', '3600']);
      const subnetPrefix = ctd?.subnet.replace(/\.0\/24$/, '.') ?? '?';
      assert.ok((await rt.podSandboxStatus(sb.id)).network?.ip.startsWith(subnetPrefix), `an IP in ${ctd?.subnet}`);
      await rt.stopPodSandbox(sb.id);
      const st = await rt.podSandboxStatus(sb.id);
      assert.deepEqual([st.state, st.network?.ip], ['SANDBOX_NOTREADY', '']);
      const c = await rt.containerStatus(id);
      assert.deepEqual([c.state, c.exitCode, c.reason], ['CONTAINER_EXITED', 137, 'Error']);
    });

    it('runs a hostNetwork sandbox without a pod IP of its own', async () => {
      const sb = await pod('hostnet', { linux: { hostNetwork: true } });
      const st = await rt.podSandboxStatus(sb.id);
      assert.deepEqual([st.state, st.network?.ip], ['SANDBOX_READY', '']);
    });

    it('pulls by reference: one image id for every reference, NotFound for a missing one, RemoveImage drops every tag', async () => {
      const [one, two] = [IMAGE, IMAGE.replace(/:1$/, ':2')];
      const id = await rt.pullImage({ image: two });
      assert.equal(id, (await rt.imageStatus({ image: one }))?.id);
      const st = await rt.imageStatus({ image: two });
      assert.ok(st?.repoTags.includes(one) && st.repoTags.includes(two), JSON.stringify(st));
      assert.ok(st?.repoDigests.every((d) => d.startsWith(`${registry?.host}/conformance/busybox@sha256:`)));
      await assert.rejects(rt.pullImage({ image: IMAGE.replace(/busybox:1$/, 'missing:1') }), (e: unknown) =>
        isRuntimeError(e, 'NotFound'),
      );
      await rt.removeImage({ image: two });
      assert.equal(await rt.imageStatus({ image: one }), undefined);
      await rt.pullImage({ image: IMAGE });
    });

    it('keeps containers running through a containerd restart; calls meanwhile fail Unavailable or succeed, never hang', async () => {
      const sb = await pod('restart');
      const id = await run(sb, 'app', ['sleep', '3600']);
      const pid = ctd?.supervisor.pid;
      assert.ok(pid, 'containerd runs');
      process.kill(pid, 'SIGKILL');
      const outcomes = new Set<string>();
      await waitFor(
        'containerd to answer again',
        () =>
          rt.version('v1').then(
            () => 'ok',
            (e: unknown) => (isRuntimeError(e, 'Unavailable') ? 'Unavailable' : String(e)),
          ),
        (outcome) => {
          outcomes.add(outcome);
          return outcome === 'ok' && ctd?.supervisor.pid !== pid;
        },
      );
      assert.deepEqual(
        [...outcomes].filter((o) => o !== 'ok' && o !== 'Unavailable'),
        [],
      );
      assert.equal((await rt.containerStatus(id)).state, 'CONTAINER_RUNNING');
      assert.equal((await rt.execSync(id, ['true'], 10)).exitCode, 0);
    });
  });
});
