import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Attributes } from '../authz/interface.js';
import { evaluatePolicy, parsePolicy } from './policy.js';

function attrs(over: Partial<Attributes>): Attributes {
  return {
    user: { name: 'alice', groups: ['devs', 'system:authenticated'] },
    verb: 'get',
    isResourceRequest: true,
    path: '/api/v1/namespaces/default/pods/p',
    group: '',
    version: 'v1',
    resource: 'pods',
    subresource: '',
    namespace: 'default',
    name: 'p',
    ...over,
  };
}

const policy = parsePolicy(`
apiVersion: audit.k8s.io/v1
kind: Policy
omitStages: [RequestReceived]
rules:
  - level: None
    users: [system:kube-proxy]
  - level: None
    userGroups: [system:nodes]
    verbs: [get]
  - level: None
    nonResourceURLs: ["/healthz*", /version]
  - level: Metadata
    resources: [{ group: "", resources: [secrets, configmaps], resourceNames: [keep] }]
  - level: RequestResponse
    omitStages: [ResponseStarted]
    omitManagedFields: true
    resources: [{ group: "", resources: ["pods/log", "*/status"] }]
  - level: Request
    resources: [{ group: apps, resources: ["deployments/*"] }]
  - level: Request
    namespaces: [kube-system]
  - level: Metadata
`);

describe('audit policy', () => {
  it('gives the first matching rule', () => {
    assert.equal(evaluatePolicy(policy, attrs({ user: { name: 'system:kube-proxy', groups: [] } })).level, 'None');
    assert.equal(evaluatePolicy(policy, attrs({ user: { name: 'n', groups: ['system:nodes'] } })).level, 'None');
    assert.equal(evaluatePolicy(policy, attrs({ user: { name: 'n', groups: ['system:nodes'] }, verb: 'list' })).level, 'Metadata');
    assert.equal(evaluatePolicy(policy, attrs({})).level, 'Metadata');
  });

  it('matches non-resource URLs exactly or by prefix, never resources', () => {
    const nr = (path: string) => attrs({ isResourceRequest: false, path, resource: '', namespace: '', name: '' });
    assert.equal(evaluatePolicy(policy, nr('/healthz')).level, 'None');
    assert.equal(evaluatePolicy(policy, nr('/healthz/etcd')).level, 'None');
    assert.equal(evaluatePolicy(policy, nr('/version')).level, 'None');
    assert.equal(evaluatePolicy(policy, nr('/versions')).level, 'Metadata');
  });

  it('matches resources, names and subresources as upstream', () => {
    assert.equal(evaluatePolicy(policy, attrs({ resource: 'secrets', name: 'keep' })).level, 'Metadata');
    assert.equal(evaluatePolicy(policy, attrs({ resource: 'pods', subresource: 'log' })).level, 'RequestResponse');
    assert.equal(evaluatePolicy(policy, attrs({ resource: 'nodes', subresource: 'status' })).level, 'RequestResponse');
    assert.equal(evaluatePolicy(policy, attrs({ group: 'apps', resource: 'deployments', subresource: 'scale' })).level, 'Request');
    // as upstream, "resource/*" matches the resource itself too
    assert.equal(evaluatePolicy(policy, attrs({ group: 'apps', resource: 'deployments' })).level, 'Request');
    assert.equal(evaluatePolicy(policy, attrs({ group: 'apps', resource: 'replicasets' })).level, 'Metadata');
    assert.equal(evaluatePolicy(policy, attrs({ namespace: 'kube-system' })).level, 'Request');
  });

  it('joins the policy and rule stages; the rule sets omitManagedFields', () => {
    const c = evaluatePolicy(policy, attrs({ subresource: 'log' }));
    assert.deepEqual(c.omitStages, ['RequestReceived', 'ResponseStarted']);
    assert.equal(c.omitManagedFields, true);
    assert.equal(evaluatePolicy(policy, attrs({})).omitManagedFields, false);
  });

  it('gives None when no rule matches', () => {
    const p = parsePolicy('{"apiVersion":"audit.k8s.io/v1","kind":"Policy","rules":[{"level":"Metadata","verbs":["delete"]}]}');
    assert.deepEqual(evaluatePolicy(p, attrs({})), { level: 'None', omitStages: [], omitManagedFields: false });
  });

  it('refuses invalid policies', () => {
    assert.throws(() => parsePolicy('kind: Policy\napiVersion: v1\nrules: [{level: None}]'), /want kind Policy/);
    assert.throws(
      () => parsePolicy('kind: Policy\napiVersion: audit.k8s.io/v1\nrules: [{level: All}]'),
      /rules\[0\]\.level: Unsupported value: "All"/,
    );
    assert.throws(() => parsePolicy('kind: Policy\napiVersion: audit.k8s.io/v1\nrules: []'), /at least one rule/);
    assert.throws(
      () => parsePolicy('kind: Policy\napiVersion: audit.k8s.io/v1\nrules: [{level: None, omitStages: [Sometime]}]'),
      /omitStages\[0\]: Unsupported value/,
    );
    assert.throws(
      () =>
        parsePolicy('kind: Policy\napiVersion: audit.k8s.io/v1\nrules: [{level: None, nonResourceURLs: [/x], resources: [{group: ""}]}]'),
      /both regular resources and non-resource URLs/,
    );
  });
});
