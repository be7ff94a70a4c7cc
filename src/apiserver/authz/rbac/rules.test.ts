import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compactString, type PolicyRule, ruleAllows, subjectAppliesTo } from './rules.js';
import { resourceAttrs } from './testing.js';

const alice = { name: 'alice', groups: ['devs', 'system:authenticated'] };

describe('ruleAllows', () => {
  const cases: { name: string; rule: PolicyRule; verb: string; resource: string; group?: string; rname?: string; want: boolean }[] = [
    { name: 'exact', rule: { verbs: ['get'], apiGroups: [''], resources: ['pods'] }, verb: 'get', resource: 'pods', want: true },
    { name: 'other verb', rule: { verbs: ['get'], apiGroups: [''], resources: ['pods'] }, verb: 'delete', resource: 'pods', want: false },
    { name: 'star verb', rule: { verbs: ['*'], apiGroups: [''], resources: ['pods'] }, verb: 'delete', resource: 'pods', want: true },
    { name: 'other group', rule: { verbs: ['get'], apiGroups: ['apps'], resources: ['pods'] }, verb: 'get', resource: 'pods', want: false },
    {
      name: 'star group',
      rule: { verbs: ['get'], apiGroups: ['*'], resources: ['deployments'] },
      verb: 'get',
      resource: 'deployments',
      group: 'apps',
      want: true,
    },
    {
      name: 'subresource needs its name',
      rule: { verbs: ['get'], apiGroups: [''], resources: ['pods'] },
      verb: 'get',
      resource: 'pods/log',
      want: false,
    },
    {
      name: 'resource/subresource',
      rule: { verbs: ['get'], apiGroups: [''], resources: ['pods/log'] },
      verb: 'get',
      resource: 'pods/log',
      want: true,
    },
    {
      name: '*/subresource',
      rule: { verbs: ['get'], apiGroups: [''], resources: ['*/status'] },
      verb: 'get',
      resource: 'nodes/status',
      want: true,
    },
    {
      name: '*/subresource not the resource',
      rule: { verbs: ['get'], apiGroups: [''], resources: ['*/status'] },
      verb: 'get',
      resource: 'nodes',
      want: false,
    },
    { name: 'star resource', rule: { verbs: ['get'], apiGroups: [''], resources: ['*'] }, verb: 'get', resource: 'pods/exec', want: true },
    {
      name: 'resourceNames match',
      rule: { verbs: ['get'], apiGroups: [''], resources: ['configmaps'], resourceNames: ['a'] },
      verb: 'get',
      resource: 'configmaps',
      rname: 'a',
      want: true,
    },
    {
      name: 'resourceNames other',
      rule: { verbs: ['get'], apiGroups: [''], resources: ['configmaps'], resourceNames: ['a'] },
      verb: 'get',
      resource: 'configmaps',
      rname: 'b',
      want: false,
    },
    {
      name: 'resourceNames and list',
      rule: { verbs: ['list'], apiGroups: [''], resources: ['configmaps'], resourceNames: ['a'] },
      verb: 'list',
      resource: 'configmaps',
      want: false,
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const attrs = resourceAttrs(alice, c.verb, c.resource, { group: c.group ?? '', name: c.rname ?? '' });
      assert.equal(ruleAllows(attrs, c.rule), c.want);
    });
  }

  it('matches non-resource URLs exactly, by trailing star, or by *', () => {
    const at = (path: string) => ({ ...resourceAttrs(alice, 'get', ''), isResourceRequest: false, path });
    const rule: PolicyRule = { verbs: ['get'], nonResourceURLs: ['/healthz', '/apis/*'] };
    assert.equal(ruleAllows(at('/healthz'), rule), true);
    assert.equal(ruleAllows(at('/healthz/ping'), rule), false);
    assert.equal(ruleAllows(at('/apis/apps/v1'), rule), true);
    assert.equal(ruleAllows(at('/apis'), rule), false);
    assert.equal(ruleAllows(at('/metrics'), { verbs: ['get'], nonResourceURLs: ['*'] }), true);
    assert.equal(ruleAllows(at('/healthz'), { verbs: ['get'], apiGroups: ['*'], resources: ['*'] }), false);
  });
});

describe('subjectAppliesTo', () => {
  const sa = { name: 'system:serviceaccount:ns1:robot', groups: ['system:serviceaccounts', 'system:serviceaccounts:ns1'] };
  it('matches users, groups and service accounts (namespace from the binding when absent)', () => {
    assert.equal(subjectAppliesTo(alice, { kind: 'User', name: 'alice' }, ''), true);
    assert.equal(subjectAppliesTo(alice, { kind: 'User', name: 'bob' }, ''), false);
    assert.equal(subjectAppliesTo(alice, { kind: 'Group', name: 'devs' }, ''), true);
    assert.equal(subjectAppliesTo(sa, { kind: 'ServiceAccount', name: 'robot', namespace: 'ns1' }, ''), true);
    assert.equal(subjectAppliesTo(sa, { kind: 'ServiceAccount', name: 'robot' }, 'ns1'), true);
    assert.equal(subjectAppliesTo(sa, { kind: 'ServiceAccount', name: 'robot' }, ''), false);
    assert.equal(subjectAppliesTo(sa, { kind: 'Group', name: 'system:serviceaccounts:ns1' }, ''), true);
  });
});

describe('compactString', () => {
  it('prints as upstream', () => {
    assert.equal(
      compactString({ verbs: ['get', 'list'], apiGroups: [''], resources: ['pods'] }),
      '{APIGroups:[""], Resources:["pods"], Verbs:["get" "list"]}',
    );
    assert.equal(compactString({ verbs: ['*'], nonResourceURLs: ['*'] }), '{NonResourceURLs:["*"], Verbs:["*"]}');
  });
});
