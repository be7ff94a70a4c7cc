/**
 * The controller manager across leadership terms on a real `k8ts server`: an operator takes its
 * Lease, the controllers stop (a Deployment created meanwhile gets no ReplicaSet), the Lease is
 * given back, and the next term's controllers — registered again on the pods and nodes informers
 * the controller manager shares with the scheduler — catch up and keep working.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import type { ResourceClient } from '../src/client/interface.js';
import type { LeaseSpec } from '../src/client/leader-election-lease-lock.js';
import { HttpsClientset } from '../src/client/rest.js';
import { isStatusError } from '../src/machinery/errors.js';
import type { KubeObject } from '../src/machinery/object.js';
import { startServer, type TestServer } from './support/server.js';
import { eventually } from './support/wait.js';

const LEASES = { group: 'coordination.k8s.io', version: 'v1', resource: 'leases' };
const EVENTS = { group: '', version: 'v1', resource: 'events' };
const DEPLOYMENTS = { group: 'apps', version: 'v1', resource: 'deployments' };
const REPLICA_SETS = { group: 'apps', version: 'v1', resource: 'replicasets' };
const PODS = { group: '', version: 'v1', resource: 'pods' };
const LEASE = 'kube-controller-manager';

let server: TestServer;
let cs: HttpsClientset;

const microTime = (): string => new Date().toISOString().replace(/Z$/, '000Z');

/** Rewrites the Lease's spec, retrying on 409 Conflict with the renewals of its holder. */
async function writeLease(leases: ResourceClient, spec: (current: LeaseSpec) => LeaseSpec): Promise<void> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const lease = await leases.get('kube-system', LEASE);
    try {
      await leases.update('kube-system', { ...lease, spec: spec(lease['spec'] as LeaseSpec) } as KubeObject);
      return;
    } catch (err) {
      if (!isStatusError(err, 'Conflict')) throw err;
    }
  }
  throw new Error('the Lease conflicted on every attempt');
}

async function stoppedLeading(): Promise<number> {
  const events = (await cs.resource(EVENTS).list('kube-system')).items;
  return events
    .filter((e) => (e['involvedObject'] as { name?: string }).name === LEASE && String(e['message']).endsWith(' stopped leading'))
    .reduce((n, e) => n + Number(e['count'] ?? 1), 0);
}

async function podsOf(app: string): Promise<KubeObject[]> {
  return (await cs.resource(PODS).list('default', { labelSelector: `app=${app}` })).items.filter((p) => !p.metadata.deletionTimestamp);
}

describe('controller manager leadership terms', () => {
  before(async () => {
    server = await startServer();
    cs = HttpsClientset.fromKubeconfig(server.kubeconfig);
  });
  after(async () => {
    cs?.close();
    await server?.stop();
    await server?.cleanup();
  });

  it('stops while another holds its Lease, and the next term catches up on the shared informers', async () => {
    const leases = cs.resource(LEASES);
    await eventually('the controller manager leads', async () => {
      const spec = (await leases.get('kube-system', LEASE).catch(() => undefined))?.['spec'] as LeaseSpec | undefined;
      return Boolean(spec?.holderIdentity);
    });
    const stopsBefore = await stoppedLeading();
    await writeLease(leases, (s) => ({ ...s, holderIdentity: 'e2e-operator', leaseDurationSeconds: 3600, renewTime: microTime() }));
    // its renew deadline (10 s) passes before it gives up
    await eventually('the controller manager stops leading', async () => (await stoppedLeading()) > stopsBefore, 30_000, 250);

    const labels = { app: 'terms' };
    const template = { metadata: { labels }, spec: { containers: [{ name: 'app', image: 'registry.k8s.io/pause:3.10' }] } };
    await cs.resource(DEPLOYMENTS).create('default', {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'terms', labels },
      spec: { replicas: 2, selector: { matchLabels: labels }, template },
    });
    await delay(1500);
    assert.equal((await cs.resource(REPLICA_SETS).list('default', { labelSelector: 'app=terms' })).items.length, 0, 'no controller runs');

    await writeLease(leases, (s) => ({ ...s, holderIdentity: '', leaseDurationSeconds: 1, renewTime: microTime() }));
    await eventually('the next term creates the ReplicaSet and its pods', async () => (await podsOf('terms')).length === 2, 30_000);
    const replicaSets = (await cs.resource(REPLICA_SETS).list('default', { labelSelector: 'app=terms' })).items;
    assert.equal(replicaSets.length, 1);
    const rsUid = replicaSets[0]?.metadata.uid;
    for (const p of await podsOf('terms')) assert.equal(p.metadata.ownerReferences?.[0]?.uid, rsUid);

    await cs.resource(DEPLOYMENTS).patch('default', 'terms', 'merge', { spec: { replicas: 3 } });
    await eventually('the scale-up is carried out', async () => (await podsOf('terms')).length === 3, 30_000);
    await delay(1000);
    assert.equal((await podsOf('terms')).length, 3, 'each change handled once: no extra pods');
    const holder = ((await leases.get('kube-system', LEASE))['spec'] as LeaseSpec).holderIdentity ?? '';
    assert.match(holder, /_/, `the controller manager holds its Lease again (${holder})`);
  });
});
