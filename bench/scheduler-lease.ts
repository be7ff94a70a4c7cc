/**
 * Holding the scheduler back, the way an operator could: the benchmark takes the scheduler's
 * leader-election Lease (kube-system/kube-scheduler) for itself, so the scheduler stops leading
 * after its renew deadline and keeps campaigning; releasing the Lease (no holder, 1 s, as a
 * leader that steps down writes it) lets the scheduler take it again at its next retry.
 */
import { performance } from 'node:perf_hooks';
import type { HttpsClient } from './https-client.js';

const LEASE_PATH = '/apis/coordination.k8s.io/v1/namespaces/kube-system/leases/kube-scheduler';
const EVENTS_PATH = `/api/v1/namespaces/kube-system/events?fieldSelector=${encodeURIComponent('involvedObject.name=kube-scheduler,reason=LeaderElection')}`;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

interface Lease {
  metadata: { resourceVersion?: string };
  spec: { holderIdentity?: string; leaseDurationSeconds?: number; acquireTime?: string; renewTime?: string; leaseTransitions?: number };
}

interface EventList {
  items: { message?: string; count?: number }[];
}

const microTime = (): string => new Date().toISOString().replace(/Z$/, '000Z');

/** Writes the Lease's spec (read-modify-write, retried on 409 Conflict), bounded to 20 attempts. */
async function writeLease(client: HttpsClient, spec: (current: Lease['spec']) => Lease['spec']): Promise<void> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const lease = JSON.parse((await client.expect([200], 'GET', LEASE_PATH)).body) as Lease;
    const reply = await client.request('PUT', LEASE_PATH, JSON.stringify({ ...lease, spec: spec(lease.spec) }));
    if (reply.status === 200) return;
    if (reply.status !== 409) throw new Error(`PUT ${LEASE_PATH}: ${reply.status} ${reply.body.slice(0, 300)}`);
  }
  throw new Error(`PUT ${LEASE_PATH}: conflicts on every attempt`);
}

/** How many times the scheduler has reported `stopped leading` on its Lease. */
async function stoppedLeadingCount(client: HttpsClient): Promise<number> {
  const list = JSON.parse((await client.expect([200], 'GET', EVENTS_PATH)).body) as EventList;
  return list.items.filter((e) => e.message?.endsWith(' stopped leading')).reduce((n, e) => n + (e.count ?? 1), 0);
}

/** Whether the scheduler's Lease exists and someone other than `holder` holds it. */
async function schedulerLeads(client: HttpsClient, holder: string): Promise<boolean> {
  const reply = await client.request('GET', LEASE_PATH);
  if (reply.status === 404) return false;
  if (reply.status !== 200) throw new Error(`GET ${LEASE_PATH}: ${reply.status} ${reply.body.slice(0, 300)}`);
  const holderIdentity = (JSON.parse(reply.body) as Lease).spec.holderIdentity;
  return holderIdentity !== undefined && holderIdentity !== '' && holderIdentity !== holder;
}

/**
 * Takes the scheduler's Lease for `holder` and resolves once the scheduler reported that it
 * stopped leading (its LeaderElection event); throws after `timeoutMs`.
 */
export async function holdScheduler(client: HttpsClient, holder: string, timeoutMs = 60_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  // a scheduler that never led cannot stop leading: wait for its first term (a fresh server)
  while (!(await schedulerLeads(client, holder))) {
    if (performance.now() > deadline) throw new Error(`the scheduler did not take its Lease within ${timeoutMs} ms`);
    await sleep(100);
  }
  const before = await stoppedLeadingCount(client);
  await writeLease(client, (s) => ({
    ...s,
    holderIdentity: holder,
    leaseDurationSeconds: 3600,
    acquireTime: microTime(),
    renewTime: microTime(),
  }));
  while ((await stoppedLeadingCount(client)) <= before) {
    if (performance.now() > deadline) throw new Error(`the scheduler did not stop leading within ${timeoutMs} ms`);
    await sleep(250);
  }
}

/** Releases the Lease (no holder, 1 s): the scheduler acquires it at its next retry. */
export async function releaseScheduler(client: HttpsClient): Promise<void> {
  await writeLease(client, (s) => ({ ...s, holderIdentity: '', leaseDurationSeconds: 1, renewTime: microTime() }));
}
