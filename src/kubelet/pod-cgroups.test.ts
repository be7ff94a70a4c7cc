import assert from 'node:assert/strict';
import { access, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { KubeObject } from '../machinery/object.js';
import { ensurePodCgroup, nodeCgroupRoot, podCgroupLimits, podCgroupName, removeCgroupTree, removePodCgroup } from './pod-cgroups.js';

type Obj = Record<string, unknown>;

function pod(uid: string, containers: Obj[], initContainers: Obj[] = []): KubeObject {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'ns', uid }, spec: { containers, initContainers } };
}

const guaranteed = pod('g', [
  { name: 'a', resources: { requests: { cpu: '500m', memory: '64Mi' }, limits: { cpu: '500m', memory: '64Mi' } } },
  { name: 'b', resources: { requests: { cpu: '1', memory: '128Mi' }, limits: { cpu: '1', memory: '128Mi' } } },
]);
const burstable = pod('b', [
  { name: 'a', resources: { requests: { cpu: '250m' } } },
  { name: 'b', resources: { limits: { memory: '1Gi' }, requests: { memory: '1Gi' } } },
]);
const bestEffort = pod('e', [{ name: 'a' }]);

test('the QoS hierarchy: kubepods/pod<uid>, kubepods/burstable/…, kubepods/besteffort/…', () => {
  assert.equal(podCgroupName(guaranteed, '/k8ts/x'), '/k8ts/x/kubepods/podg');
  assert.equal(podCgroupName(burstable, '/k8ts/x'), '/k8ts/x/kubepods/burstable/podb');
  assert.equal(podCgroupName(bestEffort, '/'), '/kubepods/besteffort/pode');
  assert.match(nodeCgroupRoot('/var/lib/k8ts'), /^\/k8ts\/[0-9a-f]{12}$/);
  assert.notEqual(nodeCgroupRoot('/a'), nodeCgroupRoot('/b'));
});

test('pod limits: summed requests and limits, the largest init container, none unless every container has one', () => {
  assert.deepEqual(podCgroupLimits(guaranteed, false), {
    'cpu/cpu.shares': '1536',
    'cpu/cpu.cfs_period_us': '100000',
    'cpu/cpu.cfs_quota_us': '150000',
    'memory/memory.limit_in_bytes': String(192 * 1024 * 1024),
  });
  assert.deepEqual(podCgroupLimits(burstable, false), {
    'cpu/cpu.shares': '256',
    'cpu/cpu.cfs_period_us': '100000',
    'cpu/cpu.cfs_quota_us': '-1',
  });
  assert.deepEqual(podCgroupLimits(bestEffort, true), { 'cpu.weight': '1', 'cpu.max': 'max 100000' });
  const withInit = pod(
    'i',
    [{ name: 'a', resources: { limits: { cpu: '100m', memory: '10Mi' }, requests: { cpu: '100m', memory: '10Mi' } } }],
    [{ name: 'init', resources: { limits: { cpu: '2', memory: '1Gi' }, requests: { cpu: '2', memory: '1Gi' } } }],
  );
  assert.deepEqual(podCgroupLimits(withInit, true), { 'cpu.weight': '79', 'cpu.max': '200000 100000', 'memory.max': String(1024 ** 3) });
});

test('ensurePodCgroup writes the limits (v1: per controller), removal takes the pod’s and then the node’s tree', async () => {
  const mount = await mkdtemp(join(tmpdir(), 'k8ts-cgroup-'));
  try {
    for (const c of ['cpu', 'memory', 'pids']) await mkdir(join(mount, c));
    const name = await ensurePodCgroup(guaranteed, '/k8ts/n1', mount);
    assert.equal(name, '/k8ts/n1/kubepods/podg');
    assert.equal(await readFile(join(mount, 'memory', name, 'memory.limit_in_bytes'), 'utf8'), String(192 * 1024 * 1024));
    assert.equal(await readFile(join(mount, 'cpu', name, 'cpu.shares'), 'utf8'), '1536');
    await ensurePodCgroup(bestEffort, '/k8ts/n1', mount);
    assert.equal(await readFile(join(mount, 'cpu', 'k8ts/n1/kubepods/besteffort/cpu.shares'), 'utf8'), '2');
    // a real cgroup directory is empty to rmdir; here the limit files stand in for a busy cgroup
    for (const f of ['cpu/k8ts/n1/kubepods/podg', 'memory/k8ts/n1/kubepods/podg']) await rm(join(mount, f), { recursive: true });
    await mkdir(join(mount, 'pids/k8ts/n1/kubepods/podg'), { recursive: true });
    await removePodCgroup('g', '/k8ts/n1', mount);
    await assert.rejects(access(join(mount, 'pids/k8ts/n1/kubepods/podg')));
    const left = await removeCgroupTree('/k8ts/n1', mount);
    assert.ok(
      left.some((d) => d.endsWith('besteffort/pode')),
      left.join(' '),
    );
    await assert.rejects(access(join(mount, 'pids/k8ts/n1')));
  } finally {
    await rm(mount, { recursive: true, force: true });
  }
});

test('cgroup v2: the unified hierarchy’s files', async () => {
  const mount = await mkdtemp(join(tmpdir(), 'k8ts-cgroup2-'));
  try {
    await writeFile(join(mount, 'cgroup.controllers'), 'cpu memory pids\n');
    const name = await ensurePodCgroup(guaranteed, '/k8ts/n2', mount);
    assert.equal(await readFile(join(mount, name, 'memory.max'), 'utf8'), String(192 * 1024 * 1024));
    assert.equal(await readFile(join(mount, name, 'cpu.max'), 'utf8'), '150000 100000');
  } finally {
    await rm(mount, { recursive: true, force: true });
  }
});
