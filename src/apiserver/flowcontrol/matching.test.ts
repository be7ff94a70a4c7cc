import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseRequestInfo } from '../request-info.js';
import type { UserInfo } from '../registry/context.js';
import type { PolicyRulesWithSubjects, Subject } from './bootstrap-objects.js';
import { flowDistinguisher, matchesPolicyRule } from './matching.js';

const digest = (user: UserInfo, method: string, path: string) => ({ user, info: parseRequestInfo(method, new URL(path, 'https://x')) });
const carol: UserInfo = { name: 'carol', groups: ['devs', 'system:authenticated'] };
const robot: UserInfo = { name: 'system:serviceaccount:team:robot', groups: ['system:serviceaccounts', 'system:authenticated'] };
const everything = { resourceRules: [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'], clusterScope: true, namespaces: ['*'] }] };

describe('matchesPolicyRule', () => {
  const subjects: [string, Subject, UserInfo, boolean][] = [
    ['user by name', { kind: 'User', user: { name: 'carol' } }, carol, true],
    ['user *', { kind: 'User', user: { name: '*' } }, robot, true],
    ['other user', { kind: 'User', user: { name: 'dave' } }, carol, false],
    ['group', { kind: 'Group', group: { name: 'devs' } }, carol, true],
    ['group not held', { kind: 'Group', group: { name: 'ops' } }, carol, false],
    ['service account', { kind: 'ServiceAccount', serviceAccount: { namespace: 'team', name: 'robot' } }, robot, true],
    ['any service account of the namespace', { kind: 'ServiceAccount', serviceAccount: { namespace: 'team', name: '*' } }, robot, true],
    ['service account of another namespace', { kind: 'ServiceAccount', serviceAccount: { namespace: 'other', name: '*' } }, robot, false],
    ['a user is no service account', { kind: 'ServiceAccount', serviceAccount: { namespace: 'team', name: '*' } }, carol, false],
  ];
  for (const [what, subject, user, want] of subjects) {
    it(`subject: ${what}`, () =>
      assert.equal(matchesPolicyRule(digest(user, 'GET', '/api/v1/pods'), { subjects: [subject], ...everything }), want));
  }

  const rule: PolicyRulesWithSubjects = {
    subjects: [{ kind: 'Group', group: { name: 'system:authenticated' } }],
    resourceRules: [
      { verbs: ['get', 'list'], apiGroups: [''], resources: ['pods', 'nodes/status'], namespaces: ['team'] },
      { verbs: ['update'], apiGroups: ['apps'], resources: ['deployments/scale'], clusterScope: true },
    ],
    nonResourceRules: [{ verbs: ['get'], nonResourceURLs: ['/healthz', '/apis/*'] }],
  };
  const requests: [string, string, boolean][] = [
    ['GET', '/api/v1/namespaces/team/pods/p', true],
    ['GET', '/api/v1/namespaces/other/pods/p', false],
    ['GET', '/api/v1/pods', false],
    ['DELETE', '/api/v1/namespaces/team/pods/p', false],
    ['GET', '/api/v1/namespaces/team/pods/p/log', false],
    ['PUT', '/apis/apps/v1/namespaces/team/deployments/d/scale', false],
    ['GET', '/healthz', true],
    ['GET', '/healthz/etcd', false],
    ['GET', '/apis/apps', true],
    ['POST', '/apis/apps', false],
    ['GET', '/version', false],
  ];
  for (const [method, path, want] of requests) {
    it(`rules: ${method} ${path} → ${want}`, () => assert.equal(matchesPolicyRule(digest(carol, method, path), rule), want));
  }

  it('clusterScope matches requests without a namespace', () => {
    const cluster: PolicyRulesWithSubjects = {
      subjects: [{ kind: 'User', user: { name: '*' } }],
      resourceRules: [{ verbs: ['*'], apiGroups: [''], resources: ['nodes'], clusterScope: true }],
    };
    assert.equal(matchesPolicyRule(digest(carol, 'GET', '/api/v1/nodes/n'), cluster), true);
  });
});

describe('flowDistinguisher', () => {
  it('is the user, the namespace, or nothing', () => {
    const d = digest(carol, 'GET', '/api/v1/namespaces/team/pods');
    assert.deepEqual(
      [flowDistinguisher(d, 'ByUser'), flowDistinguisher(d, 'ByNamespace'), flowDistinguisher(d, undefined)],
      ['carol', 'team', ''],
    );
  });
});
