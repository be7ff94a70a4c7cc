import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { parseRequestInfo } from '../request-info.js';
import type { UserInfo } from '../registry/context.js';
import { PriorityAndFairness } from './priority-and-fairness.js';
import { ensureFlowControlConfiguration } from './reconcile.js';
import { ADMIN_WRITE, type FlowControlRegistry, flowControlRegistry } from './testing/registry.js';

const authenticated = (name: string, ...groups: string[]): UserInfo => ({ name, groups: [...groups, 'system:authenticated'] });
const serviceAccount = (ns: string, name: string): UserInfo =>
  authenticated(`system:serviceaccount:${ns}:${name}`, 'system:serviceaccounts', `system:serviceaccounts:${ns}`);

function request(user: UserInfo, method: string, path: string, signal = new AbortController().signal) {
  return { user, info: parseRequestInfo(method, new URL(path, 'https://x')), signal };
}

let r: FlowControlRegistry;
let apf: PriorityAndFairness;

before(async () => {
  r = await flowControlRegistry();
  await ensureFlowControlConfiguration(r);
  // ServerCL 3 (as --max-requests-inflight 2 --max-mutating-requests-inflight 1)
  apf = new PriorityAndFairness({ ...r, serverConcurrencyLimit: 3, waitLimitMs: 60_000 });
});

after(async () => {
  apf.stop();
  await r.close();
});

describe('PriorityAndFairness classification (the bootstrap configuration)', () => {
  const cases: [string, UserInfo, string, string, string, string][] = [
    ['admin', authenticated('admin', 'system:masters'), 'DELETE', '/api/v1/namespaces/a/pods/p', 'exempt', 'exempt'],
    ['probe by anyone', { name: 'system:anonymous', groups: ['system:unauthenticated'] }, 'GET', '/readyz', 'probes', 'exempt'],
    ['node status', authenticated('system:node:n1', 'system:nodes'), 'PATCH', '/api/v1/nodes/n1/status', 'system-node-high', 'node-high'],
    [
      'node lease',
      authenticated('system:node:n1', 'system:nodes'),
      'PUT',
      '/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/n1',
      'system-node-high',
      'node-high',
    ],
    ['node reads pods', authenticated('system:node:n1', 'system:nodes'), 'GET', '/api/v1/pods', 'system-nodes', 'system'],
    [
      'scheduler lease',
      authenticated('system:kube-scheduler'),
      'PUT',
      '/apis/coordination.k8s.io/v1/namespaces/kube-system/leases/kube-scheduler',
      'system-leader-election',
      'leader-election',
    ],
    [
      'controller manager endpoints',
      authenticated('system:kube-controller-manager'),
      'PUT',
      '/api/v1/namespaces/a/endpoints/e',
      'endpoint-controller',
      'workload-high',
    ],
    [
      'controller manager pods',
      authenticated('system:kube-controller-manager'),
      'POST',
      '/api/v1/namespaces/a/pods',
      'kube-controller-manager',
      'workload-high',
    ],
    [
      'kube-system service account lease',
      serviceAccount('kube-system', 'x'),
      'GET',
      '/apis/coordination.k8s.io/v1/namespaces/a/leases/l',
      'system-leader-election',
      'leader-election',
    ],
    [
      'kube-system service account',
      serviceAccount('kube-system', 'x'),
      'GET',
      '/api/v1/pods',
      'kube-system-service-accounts',
      'workload-high',
    ],
    ['other service account', serviceAccount('team', 'robot'), 'GET', '/api/v1/namespaces/team/pods', 'service-accounts', 'workload-low'],
    ['plain user', authenticated('carol'), 'GET', '/api/v1/namespaces/team/pods', 'global-default', 'global-default'],
    ['anonymous', { name: 'system:anonymous', groups: ['system:unauthenticated'] }, 'GET', '/version', 'global-default', 'global-default'],
  ];
  for (const [what, user, method, path, fs, pl] of cases) {
    it(`${what}: ${method} ${path} → ${fs}/${pl}`, () => {
      const { classification } = apf.classify(request(user, method, path));
      assert.deepEqual([classification.flowSchema.name, classification.priorityLevel.name], [fs, pl]);
      assert.ok(classification.flowSchema.uid && classification.priorityLevel.uid);
    });
  }

  it('distinguishes flows by user or by namespace', () => {
    assert.equal(apf.classify(request(authenticated('carol'), 'GET', '/api/v1/pods')).classification.distinguisher, 'carol');
    const cm = apf.classify(request(authenticated('system:kube-controller-manager'), 'GET', '/api/v1/namespaces/ns1/pods'));
    assert.equal(cm.classification.distinguisher, 'ns1');
  });

  it('shares ServerCL by nominalConcurrencyShares: ceil(3 × NCS / 245)', () => {
    assert.deepEqual(apf.concurrencyLimits(), {
      'catch-all': 1,
      'global-default': 1,
      'leader-election': 1,
      'node-high': 1,
      system: 1,
      'workload-high': 1,
      'workload-low': 2,
    });
  });
});

describe('PriorityAndFairness admission', () => {
  it('sets the classification headers, executes exempt requests at once, and never seats a watch', async () => {
    const a = await apf.admit(request(authenticated('admin', 'system:masters'), 'GET', '/api/v1/pods'));
    assert.equal(a.admitted, true);
    assert.equal(a.headers['X-Kubernetes-PF-FlowSchema-UID'], r.flowSchemas.get('', 'exempt').metadata.uid);
    assert.equal(a.headers['X-Kubernetes-PF-PriorityLevel-UID'], r.priorityLevels.get('', 'exempt').metadata.uid);
    const held = await apf.admit(request(authenticated('carol'), 'GET', '/api/v1/pods'));
    assert.equal(held.admitted, true);
    const watch = await apf.admit(request(authenticated('carol'), 'GET', '/api/v1/pods?watch=true'));
    assert.equal(watch.admitted, true, 'a watch holds no seat');
    assert.equal(watch.headers['X-Kubernetes-PF-FlowSchema-UID'], r.flowSchemas.get('', 'global-default').metadata.uid);
    const exec = await apf.admit(request(authenticated('carol'), 'POST', '/api/v1/namespaces/a/pods/p/exec'));
    assert.deepEqual([exec.admitted, exec.headers], [true, {}], 'other long-running requests pass unclassified');
    if (held.admitted) held.release();
  });

  it('follows new configuration: a Reject level answers with a Retry-After, and a FlowSchema without its level is Dangling', async () => {
    await r.priorityLevels.create(
      '',
      {
        apiVersion: 'flowcontrol.apiserver.k8s.io/v1',
        kind: 'PriorityLevelConfiguration',
        metadata: { name: 'strict' },
        spec: { type: 'Limited', limited: { nominalConcurrencyShares: 1, limitResponse: { type: 'Reject' } } },
      },
      { ...ADMIN_WRITE, warnings: [] },
    );
    for (const [name, level] of [
      ['strict', 'strict'],
      ['lost', 'missing'],
    ]) {
      await r.flowSchemas.create(
        '',
        {
          apiVersion: 'flowcontrol.apiserver.k8s.io/v1',
          kind: 'FlowSchema',
          metadata: { name },
          spec: {
            priorityLevelConfiguration: { name: level },
            matchingPrecedence: 100,
            rules: [
              {
                subjects: [{ kind: 'User', user: { name: 'dave' } }],
                resourceRules: [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'], clusterScope: true, namespaces: ['*'] }],
              },
            ],
          },
        },
        { ...ADMIN_WRITE, warnings: [] },
      );
    }
    const dave = authenticated('dave');
    const first = await apf.admit(request(dave, 'GET', '/api/v1/pods'));
    assert.equal(first.admitted, true);
    const second = await apf.admit(request(dave, 'GET', '/api/v1/pods'));
    assert.deepEqual(second.admitted ? 'admitted' : second.retryAfterSeconds, 1);
    assert.equal(second.headers['X-Kubernetes-PF-FlowSchema-UID'], r.flowSchemas.get('', 'strict').metadata.uid);
    if (first.admitted) first.release();
    const third = await apf.admit(request(dave, 'GET', '/api/v1/pods'));
    assert.equal(third.admitted, true, 'the seat is free again');
    if (third.admitted) third.release();
    await apf.settled();
    const conditions = (name: string) =>
      (r.flowSchemas.get('', name)['status'] as { conditions: Record<string, string>[] }).conditions.map((c) => [
        c['type'],
        c['status'],
        c['reason'],
      ]);
    assert.deepEqual(conditions('lost'), [['Dangling', 'True', 'NotFound']]);
    assert.deepEqual(conditions('strict'), [['Dangling', 'False', 'Found']]);
  });

  it('a queued request leaves its queue when its client goes away', async () => {
    const user = authenticated('erin');
    const held = await apf.admit(request(user, 'GET', '/api/v1/pods'));
    const gone = new AbortController();
    const queued = apf.admit(request(user, 'GET', '/api/v1/pods', gone.signal));
    gone.abort();
    const out = await queued;
    assert.equal(out.admitted, false);
    if (held.admitted) held.release();
  });
});
