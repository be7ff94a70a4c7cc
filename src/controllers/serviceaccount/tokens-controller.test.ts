import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FakeClientset } from '../../client/testing/fake-clientset.js';
import { FakeInformerFactory } from '../../client/testing/fake-informers.js';
import { drain, FakeQueue } from '../../client/testing/fake-queue.js';
import type { KubeObject } from '../../machinery/object.js';
import { SECRETS } from '../bootstrap/token-cleaner.js';
import { SERVICE_ACCOUNTS } from './serviceaccounts-controller.js';
import { TokensController } from './tokens-controller.js';

const CA = '-----BEGIN CERTIFICATE-----\nCA\n-----END CERTIFICATE-----\n';
const b64 = (s: string) => Buffer.from(s).toString('base64');
const text = (s: string | undefined) => Buffer.from(s ?? '', 'base64').toString();

function setup() {
  const cluster = new FakeClientset();
  const accountsQueue = new FakeQueue();
  const secretsQueue = new FakeQueue();
  const queues = [accountsQueue, secretsQueue];
  const ctrl = new TokensController({
    client: cluster,
    informers: new FakeInformerFactory(cluster),
    newQueue: () => queues.shift() ?? new FakeQueue(),
    token: { generate: async (c) => `token(${c.namespace}/${c.secretName} for ${c.serviceAccountName}/${c.serviceAccountUID})` },
    rootCA: CA,
    log: () => {},
  });
  const settle = async () => {
    await drain(secretsQueue, (k) => ctrl.syncSecret(k));
    await drain(accountsQueue, (k) => ctrl.syncServiceAccount(k));
  };
  return { cluster, ctrl, settle };
}

function tokenSecret(name: string, sa: string, uid?: string, data?: Record<string, string>): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: {
      name,
      namespace: 'ns',
      annotations: { 'kubernetes.io/service-account.name': sa, ...(uid ? { 'kubernetes.io/service-account.uid': uid } : {}) },
    },
    type: 'kubernetes.io/service-account-token',
    ...(data ? { data } : {}),
  };
}

describe('TokensController', () => {
  it('fills a token Secret with token, ca.crt and namespace, and records the account UID', async () => {
    const { cluster, settle } = setup();
    const sa = cluster.tracker.put(SERVICE_ACCOUNTS, { metadata: { name: 'reader', namespace: 'ns' } });
    cluster.tracker.put(SECRETS, tokenSecret('reader-token', 'reader'));
    await settle();
    const secret = cluster.tracker.get(SECRETS, 'ns', 'reader-token');
    const data = secret?.['data'] as Record<string, string>;
    assert.equal(text(data['token']), `token(ns/reader-token for reader/${sa.metadata.uid})`);
    assert.equal(text(data['ca.crt']), CA);
    assert.equal(text(data['namespace']), 'ns');
    assert.equal(secret?.metadata.annotations?.['kubernetes.io/service-account.uid'], sa.metadata.uid);
    assert.deepEqual(cluster.writes(), ['update secrets ns/reader-token']);
  });

  it('keeps a token it already holds, refreshing only a missing ca.crt', async () => {
    const { cluster, settle } = setup();
    const sa = cluster.tracker.put(SERVICE_ACCOUNTS, { metadata: { name: 'reader', namespace: 'ns' } });
    cluster.tracker.put(SECRETS, tokenSecret('t', 'reader', sa.metadata.uid, { token: b64('mine'), namespace: b64('ns') }));
    await settle();
    const data = cluster.tracker.get(SECRETS, 'ns', 't')?.['data'] as Record<string, string>;
    assert.equal(text(data['token']), 'mine');
    assert.equal(text(data['ca.crt']), CA);
    cluster.actions.length = 0;
    await settle();
    assert.deepEqual(cluster.writes(), []);
  });

  it('deletes a Secret whose account is missing or was recreated with another UID', async () => {
    const { cluster, settle } = setup();
    cluster.tracker.put(SERVICE_ACCOUNTS, { metadata: { name: 'reader', namespace: 'ns', uid: 'new' } });
    cluster.tracker.put(SECRETS, tokenSecret('ghost-token', 'ghost'));
    cluster.tracker.put(SECRETS, tokenSecret('stale-token', 'reader', 'old'));
    await settle();
    assert.deepEqual(cluster.writes(), ['delete secrets ns/ghost-token', 'delete secrets ns/stale-token']);
  });

  it("deletes a deleted account's token Secrets, not another's", async () => {
    const { cluster, settle } = setup();
    const sa = cluster.tracker.put(SERVICE_ACCOUNTS, { metadata: { name: 'reader', namespace: 'ns' } });
    cluster.tracker.put(SERVICE_ACCOUNTS, { metadata: { name: 'other', namespace: 'ns' } });
    cluster.tracker.put(
      SECRETS,
      tokenSecret('reader-token', 'reader', sa.metadata.uid, { token: b64('x'), namespace: b64('ns'), 'ca.crt': b64(CA) }),
    );
    cluster.tracker.put(
      SECRETS,
      tokenSecret('other-token', 'other', undefined, { token: b64('y'), namespace: b64('ns'), 'ca.crt': b64(CA) }),
    );
    cluster.tracker.put(SECRETS, {
      metadata: { name: 'opaque', namespace: 'ns', annotations: { 'kubernetes.io/service-account.name': 'reader' } },
    });
    await settle();
    cluster.actions.length = 0;
    await cluster.resource(SERVICE_ACCOUNTS).delete('ns', 'reader');
    await settle();
    assert.deepEqual(cluster.writes(), ['delete serviceaccounts ns/reader', 'delete secrets ns/reader-token']);
  });
});
