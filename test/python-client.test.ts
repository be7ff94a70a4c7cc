/**
 * The official Python client (Debian's python3-kubernetes, run with /usr/bin/python3) against a
 * `k8ts server` process: load_kube_config, then Watch().stream(list_namespaced_config_map, …,
 * timeout_seconds=…) sees ADDED, MODIFIED and DELETED for a ConfigMap that a second thread
 * creates, replaces and deletes. The client sends `watch=True`, which the server must read as
 * upstream's parameter codec does. Under CI=true a missing python3 or kubernetes module fails
 * the test; elsewhere it is skipped with the reason.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { REPO, startServer, type TestServer } from './support/server.js';
import { ApiClient } from './support/http.js';

const PYTHON = '/usr/bin/python3';
const SCRIPT = join(REPO, 'test', 'fixtures', 'python-watch.py');
/** How long the server keeps the Python watch open (timeout_seconds). */
const WATCH_TIMEOUT_S = 20;
/** How long the script may run before it is killed. */
const SCRIPT_DEADLINE_MS = (WATCH_TIMEOUT_S + 20) * 1000;

/** Why the Python client cannot run here, or undefined when it can. */
function pythonClientMissing(): string | undefined {
  const probe = spawnSync(PYTHON, ['-c', 'import kubernetes'], { encoding: 'utf8', timeout: 30_000 });
  if (probe.error) return `${PYTHON} cannot run: ${probe.error.message} (install the Debian package python3-kubernetes)`;
  if (probe.status !== 0)
    return `${PYTHON} has no kubernetes module (install the Debian package python3-kubernetes): ${probe.stderr.trim()}`;
  return undefined;
}

const missing = pythonClientMissing();
if (missing && process.env['CI'] === 'true') throw new Error(`python client test cannot run under CI: ${missing}`);

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs the fixture script, killing it (by its PID) if it outlives the deadline. */
function runScript(args: string[], deadlineMs: number): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(PYTHON, [SCRIPT, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), deadlineMs);
    child.once('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

interface SeenEvent {
  type: string;
  name: string;
  resourceVersion: string;
  data: Record<string, string> | null;
}

describe('official Python client', { skip: missing }, () => {
  let server: TestServer;
  let api: ApiClient;

  before(async () => {
    server = await startServer();
    api = new ApiClient(server.kubeconfig);
  });

  after(async () => {
    api?.close();
    await server?.stop();
    await server?.cleanup();
  });

  it('Watch().stream(list_namespaced_config_map) sees ADDED, MODIFIED, DELETED in order', {
    timeout: SCRIPT_DEADLINE_MS + 10_000,
  }, async () => {
    const ns = await api.request('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'python' } });
    assert.equal(ns.status, 201, ns.body);
    const run = await runScript([server.kubeconfig, 'python', 'from-python', String(WATCH_TIMEOUT_S)], SCRIPT_DEADLINE_MS);
    const context = `exit ${run.code ?? run.signal}\nstdout:\n${run.stdout}\nstderr:\n${run.stderr}`;
    assert.equal(run.code, 0, context);
    const lines = run.stdout
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => JSON.parse(l) as SeenEvent | { done: true; writerErrors: string[] });
    const done = lines[lines.length - 1];
    assert.deepEqual(done, { done: true, writerErrors: [] }, context);
    const events = lines.slice(0, -1) as SeenEvent[];
    assert.deepEqual(
      events.map((e) => `${e.type} ${e.name} ${e.data?.['step']}`),
      ['ADDED from-python created', 'MODIFIED from-python updated', 'DELETED from-python updated'],
      context,
    );
    const rvs = events.map((e) => Number(e.resourceVersion));
    assert.ok(rvs[0]! < rvs[1]! && rvs[1]! < rvs[2]!, `increasing resourceVersions ${rvs.join(',')}`);
    assert.equal((await api.request('GET', '/api/v1/namespaces/python/configmaps/from-python')).status, 404, 'deleted');
  });
});
