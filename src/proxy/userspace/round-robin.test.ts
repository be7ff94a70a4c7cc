import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RoundRobinBalancer, usableEndpoints } from './round-robin.js';
import { endpoint, servicePort } from './testing.js';

const ips = (b: RoundRobinBalancer, n: number, scope: 'internal' | 'external' = 'internal', client = '10.0.0.9') =>
  Array.from({ length: n }, () => b.next('default/web:', scope, client)?.ip);

describe('usableEndpoints', () => {
  const ready = endpoint('10.1.0.1', 80);
  const local = endpoint('10.1.0.2', 80, { isLocal: true });
  const notReady = endpoint('10.1.0.3', 80, { ready: false, serving: false });
  const terminating = endpoint('10.1.0.4', 80, { ready: false, serving: true, terminating: true });
  const cases = [
    { name: 'ready ones only', eps: [ready, notReady, terminating], localOnly: false, want: ['10.1.0.1'] },
    { name: 'Local: the local ready ones', eps: [ready, local], localOnly: true, want: ['10.1.0.2'] },
    { name: 'Local without local endpoints: none', eps: [ready], localOnly: true, want: [] },
    { name: 'no ready one: serving terminating ones', eps: [notReady, terminating], localOnly: false, want: ['10.1.0.4'] },
    { name: 'nothing serving: none', eps: [notReady], localOnly: false, want: [] },
  ];
  for (const c of cases) {
    it(c.name, () => {
      assert.deepEqual(
        usableEndpoints(c.eps, c.localOnly).map((e) => e.ip),
        c.want,
      );
    });
  }
});

describe('RoundRobinBalancer', () => {
  const three = [endpoint('10.1.0.3', 80), endpoint('10.1.0.1', 80), endpoint('10.1.0.2', 80)];

  it('takes the endpoints in turn', () => {
    const b = new RoundRobinBalancer();
    b.update(servicePort('web'), three);
    assert.deepEqual(ips(b, 4), ['10.1.0.1', '10.1.0.2', '10.1.0.3', '10.1.0.1']);
  });

  it('keeps its turn when the endpoints did not change, starts over when they did', () => {
    const b = new RoundRobinBalancer();
    b.update(servicePort('web'), three);
    ips(b, 1);
    b.update(servicePort('web'), [...three].reverse());
    assert.deepEqual(ips(b, 1), ['10.1.0.2']);
    b.update(servicePort('web'), [endpoint('10.1.0.7', 80), endpoint('10.1.0.8', 80)]);
    assert.deepEqual(ips(b, 3), ['10.1.0.7', '10.1.0.8', '10.1.0.7']);
  });

  it('has nothing for a service without endpoints, or an unknown or removed one', () => {
    const b = new RoundRobinBalancer();
    b.update(servicePort('web'), [endpoint('10.1.0.1', 80, { ready: false, serving: false })]);
    assert.equal(b.hasEndpoints('default/web:', 'internal'), false);
    assert.equal(b.next('default/web:', 'internal', '10.0.0.9'), undefined);
    b.update(servicePort('web'), three);
    b.remove('default/web:');
    assert.equal(b.next('default/web:', 'internal', '10.0.0.9'), undefined);
    assert.equal(b.next('default/other:', 'internal', '10.0.0.9'), undefined);
    b.update(servicePort('web'), three);
    b.update(servicePort('kept'), three);
    b.retain(new Map([['default/kept:', 1]]));
    assert.equal(b.hasEndpoints('default/web:', 'internal'), false);
    assert.equal(b.hasEndpoints('default/kept:', 'internal'), true);
  });

  it('balances cluster IP and external traffic by their own policies', () => {
    const b = new RoundRobinBalancer();
    const eps = [endpoint('10.1.0.1', 80), endpoint('10.1.0.2', 80, { isLocal: true })];
    b.update(servicePort('web', { externalPolicyLocal: true }), eps);
    assert.deepEqual(ips(b, 2, 'external'), ['10.1.0.2', '10.1.0.2']);
    assert.deepEqual(ips(b, 2, 'internal'), ['10.1.0.1', '10.1.0.2']);
    b.update(servicePort('web', { internalPolicyLocal: true }), eps);
    assert.deepEqual(ips(b, 2, 'internal'), ['10.1.0.2', '10.1.0.2']);
    assert.equal(b.hasEndpoints('default/web:', 'external'), true);
  });

  it('sessionAffinity ClientIP: a client keeps its endpoint until the timeout passes', () => {
    let now = 0;
    const b = new RoundRobinBalancer({ now: () => now });
    b.update(servicePort('web', { stickySeconds: 10 }), three);
    assert.deepEqual(ips(b, 3, 'internal', 'a'), ['10.1.0.1', '10.1.0.1', '10.1.0.1']);
    assert.deepEqual(ips(b, 2, 'internal', 'b'), ['10.1.0.2', '10.1.0.2']);
    now = 9_999; // each use restarts the timeout
    assert.deepEqual(ips(b, 1, 'internal', 'a'), ['10.1.0.1']);
    now = 19_998;
    assert.deepEqual(ips(b, 1, 'internal', 'a'), ['10.1.0.1']);
    now = 29_998;
    assert.deepEqual(ips(b, 1, 'internal', 'a'), ['10.1.0.3']);
  });

  it('sessionAffinity: a client whose endpoint went away is balanced afresh; one whose stayed keeps it', () => {
    const b = new RoundRobinBalancer();
    const sp = servicePort('web', { stickySeconds: 10800 });
    b.update(sp, three);
    assert.deepEqual([...ips(b, 1, 'internal', 'a'), ...ips(b, 1, 'internal', 'b')], ['10.1.0.1', '10.1.0.2']);
    b.update(
      sp,
      three.filter((e) => e.ip !== '10.1.0.1'),
    );
    assert.deepEqual(ips(b, 2, 'internal', 'b'), ['10.1.0.2', '10.1.0.2']);
    assert.deepEqual(ips(b, 1, 'internal', 'a'), ['10.1.0.2']);
  });

  it('sessionAffinity None after ClientIP forgets the affinities', () => {
    const b = new RoundRobinBalancer();
    b.update(servicePort('web', { stickySeconds: 60 }), three);
    ips(b, 1, 'internal', 'a');
    b.update(servicePort('web'), three);
    assert.deepEqual(ips(b, 2, 'internal', 'a'), ['10.1.0.2', '10.1.0.3']);
  });
});
