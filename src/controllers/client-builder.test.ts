import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Clientset, GroupVersionResource, ResourceClient } from '../client/interface.js';
import { FakeClientset } from '../client/testing/fake-clientset.js';
import { FakeClock } from '../client/testing/fake-clock.js';
import { RootClientBuilder, ServiceAccountClientBuilder } from './client-builder.js';

/** A fake apiserver whose TokenRequests answer token-<n> valid for an hour of `clock`; `fail` makes them fail. */
function world() {
  const clock = new FakeClock();
  const fake = new FakeClientset();
  let issued = 0;
  const state = { fail: false };
  const root: Clientset = {
    close() {},
    resource(gvr: GroupVersionResource): ResourceClient {
      const client = fake.resource(gvr);
      if (gvr.resource !== 'serviceaccounts') return client;
      return new Proxy(client, {
        get(target, prop) {
          if (prop === 'createSubresource') {
            return async (namespace: string, name: string, subresource: string, body: unknown) => {
              await target.createSubresource(namespace, name, subresource, body);
              if (state.fail) throw new Error('apiserver unavailable');
              issued++;
              return { status: { token: `token-${issued}`, expirationTimestamp: new Date(clock.now() + 3600_000).toISOString() } };
            };
          }
          const value = Reflect.get(target, prop, target) as unknown;
          return typeof value === 'function' ? value.bind(target) : value;
        },
      });
    },
  };
  const lent: { tokenSource: () => string; onUnauthorized?: () => void; userAgent?: string }[] = [];
  const connections = {
    withCredentials(options: { tokenSource: () => string; onUnauthorized?: () => void; userAgent?: string }): Clientset {
      lent.push(options);
      return { resource: () => assert.fail('not used'), close() {} };
    },
  };
  return { clock, fake, root, connections, lent, state };
}

describe('ServiceAccountClientBuilder', () => {
  it('creates the missing ServiceAccount in kube-system and acts with a token from TokenRequest', async () => {
    const w = world();
    const abort = new AbortController();
    const builder = new ServiceAccountClientBuilder({ ...w, userAgent: 'kcm', clock: w.clock, signal: abort.signal });
    const client = await builder.client('deployment-controller');
    assert.equal(await builder.client('deployment-controller'), client, 'one clientset per controller');
    assert.deepEqual(w.fake.writes(), [
      'create serviceaccounts kube-system/deployment-controller',
      'createSubresource serviceaccounts/token kube-system/deployment-controller',
    ]);
    const request = w.fake.actions.find((a) => a.verb === 'createSubresource')?.body as { spec: { expirationSeconds: number } };
    assert.equal(request.spec.expirationSeconds, 3600);
    assert.equal(w.lent.length, 1);
    assert.equal(w.lent[0]?.userAgent, 'kcm');
    assert.equal(w.lent[0]?.tokenSource(), 'token-1');
    abort.abort();
  });

  it('renews the token when 80% of its hour has passed, and keeps the old one while renewals fail', async () => {
    const w = world();
    const abort = new AbortController();
    const builder = new ServiceAccountClientBuilder({ ...w, clock: w.clock, signal: abort.signal, log: () => {} });
    await builder.client('job-controller');
    const token = () => w.lent[0]?.tokenSource();
    await w.clock.step(47 * 60_000);
    assert.equal(token(), 'token-1');
    w.state.fail = true;
    await w.clock.step(60_000);
    assert.equal(token(), 'token-1', 'a failed renewal keeps the current token');
    w.state.fail = false;
    await w.clock.step(1000);
    assert.equal(token(), 'token-2', 'the renewal is tried again after a second');
    abort.abort();
    assert.equal(w.clock.pendingTimers, 0, 'no renewal once the signal aborts');
  });

  it('renews at once on a 401 (its ServiceAccount created again), but not for a token of a few seconds', async () => {
    const w = world();
    const abort = new AbortController();
    const builder = new ServiceAccountClientBuilder({ ...w, clock: w.clock, signal: abort.signal });
    await builder.client('endpoint-controller');
    const lent = w.lent[0];
    lent?.onUnauthorized?.();
    await w.clock.step(0);
    assert.equal(lent?.tokenSource(), 'token-1', 'a fresh token is kept');
    await w.clock.step(60_000);
    lent?.onUnauthorized?.();
    lent?.onUnauthorized?.();
    await w.clock.step(0);
    assert.equal(lent?.tokenSource(), 'token-2');
    assert.equal(w.clock.pendingTimers, 1, 'one renewal scheduled');
    await w.clock.step(48 * 60_000);
    assert.equal(lent?.tokenSource(), 'token-3', 'renewed 48 minutes after the reset');
    abort.abort();
    assert.equal(w.clock.pendingTimers, 0);
  });

  it('asks again for a first token until it comes, and uses an existing ServiceAccount as it is', async () => {
    const w = world();
    w.fake.tracker.put(
      { group: '', version: 'v1', resource: 'serviceaccounts' },
      {
        apiVersion: 'v1',
        kind: 'ServiceAccount',
        metadata: { name: 'node-controller', namespace: 'kube-system' },
      },
    );
    w.state.fail = true;
    const abort = new AbortController();
    const builder = new ServiceAccountClientBuilder({ ...w, clock: w.clock, signal: abort.signal, log: () => {} });
    const pending = builder.client('node-controller');
    await w.clock.step(1000);
    w.state.fail = false;
    await w.clock.step(2000);
    await pending;
    assert.equal(w.lent[0]?.tokenSource(), 'token-1');
    assert.deepEqual(w.fake.writes('create'), []);
    abort.abort();
  });
});

describe('RootClientBuilder', () => {
  it('hands every controller the controller manager clientset (--use-service-account-credentials=false)', async () => {
    const root = new FakeClientset();
    const builder = new RootClientBuilder({ root });
    assert.equal(await builder.client('deployment-controller'), root);
  });
});
