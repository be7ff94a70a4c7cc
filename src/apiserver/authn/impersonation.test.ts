import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { test } from 'node:test';
import { StatusError } from '../../machinery/errors.js';
import type { Attributes, Authorizer } from '../authz/interface.js';
import type { UserInfo } from '../registry/context.js';
import { impersonate, splitServiceAccountUsername } from './impersonation.js';

const ADMIN: UserInfo = { name: 'admin', groups: ['system:authenticated'] };

/** A request with these headers (lower-case names, repeated values as arrays, as Node gives them). */
function request(headers: Record<string, string | string[]>): IncomingMessage {
  const distinct = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, Array.isArray(v) ? v : [v]]));
  return { headersDistinct: distinct, url: '/api/v1/pods' } as unknown as IncomingMessage;
}

/** Allows everything but what `deny` names ("resource/name"); records every check. */
function authorizer(deny: string[] = []) {
  const checks: Attributes[] = [];
  const a: Authorizer = {
    authorize(attrs) {
      checks.push(attrs);
      const sub = attrs.subresource ? `/${attrs.subresource}` : '';
      const denied = deny.includes(`${attrs.resource}${sub}/${attrs.name}`);
      return { allowed: !denied, reason: '' };
    },
  };
  return { a, checks };
}

test('no headers: the authenticated user itself', async () => {
  const { a, checks } = authorizer();
  assert.equal(await impersonate(request({}), ADMIN, a), ADMIN);
  assert.equal(checks.length, 0);
});

test('a user with groups, uid and extras: each part authorized with the impersonate verb', async () => {
  const { a, checks } = authorizer();
  const req = request({
    'impersonate-user': 'jane',
    'impersonate-group': ['dev', 'ops'],
    'impersonate-uid': '1234',
    'impersonate-extra-scopes': ['view', 'edit'],
    'impersonate-extra-example.com%2fteam': 'blue',
  });
  const user = await impersonate(req, ADMIN, a);
  assert.deepEqual(user, {
    name: 'jane',
    groups: ['dev', 'ops', 'system:authenticated'],
    uid: '1234',
    extra: { scopes: ['view', 'edit'], 'example.com/team': ['blue'] },
  });
  assert.deepEqual(
    checks.map((c) => [c.user.name, c.verb, c.group, c.resource, c.subresource, c.name]),
    [
      ['admin', 'impersonate', '', 'users', '', 'jane'],
      ['admin', 'impersonate', '', 'groups', '', 'dev'],
      ['admin', 'impersonate', '', 'groups', '', 'ops'],
      ['admin', 'impersonate', 'authentication.k8s.io', 'userextras', 'scopes', 'view'],
      ['admin', 'impersonate', 'authentication.k8s.io', 'userextras', 'scopes', 'edit'],
      ['admin', 'impersonate', 'authentication.k8s.io', 'userextras', 'example.com/team', 'blue'],
      ['admin', 'impersonate', 'authentication.k8s.io', 'uids', '', '1234'],
    ],
  );
});

test('a ServiceAccount user: serviceaccounts in its namespace, and its groups unless groups are asked for', async () => {
  const { a, checks } = authorizer();
  const sa = await impersonate(request({ 'impersonate-user': 'system:serviceaccount:team:bot' }), ADMIN, a);
  assert.deepEqual(sa, {
    name: 'system:serviceaccount:team:bot',
    groups: ['system:serviceaccounts', 'system:serviceaccounts:team', 'system:authenticated'],
  });
  assert.deepEqual([checks[0]?.resource, checks[0]?.namespace, checks[0]?.name], ['serviceaccounts', 'team', 'bot']);
  const withGroup = await impersonate(
    request({ 'impersonate-user': 'system:serviceaccount:team:bot', 'impersonate-group': 'g' }),
    ADMIN,
    a,
  );
  assert.deepEqual(withGroup.groups, ['g', 'system:authenticated']);
  assert.equal(splitServiceAccountUsername('system:serviceaccount:a'), undefined);
});

test('system:authenticated is not added next to system:unauthenticated; anonymous gets system:unauthenticated', async () => {
  const { a } = authorizer();
  const unauth = await impersonate(request({ 'impersonate-user': 'x', 'impersonate-group': 'system:unauthenticated' }), ADMIN, a);
  assert.deepEqual(unauth.groups, ['system:unauthenticated']);
  const anonymous = await impersonate(request({ 'impersonate-user': 'system:anonymous' }), ADMIN, a);
  assert.deepEqual(anonymous.groups, ['system:unauthenticated']);
});

test('a refused part answers 403 with upstream’s message', async () => {
  const { a } = authorizer(['users/jane']);
  await assert.rejects(impersonate(request({ 'impersonate-user': 'jane' }), ADMIN, a), (err: unknown) => {
    assert.ok(err instanceof StatusError);
    assert.equal(err.status.code, 403);
    assert.equal(
      err.status.message,
      'users "jane" is forbidden: User "admin" cannot impersonate resource "users" in API group "" at the cluster scope',
    );
    return true;
  });
  const sa = authorizer(['serviceaccounts/bot']);
  await assert.rejects(
    impersonate(request({ 'impersonate-user': 'system:serviceaccount:team:bot' }), ADMIN, sa.a),
    /serviceaccounts "bot" is forbidden: User "admin" cannot impersonate resource "serviceaccounts" in API group "" in the namespace "team"/,
  );
  const extra = authorizer(['userextras/scopes/view']);
  await assert.rejects(
    impersonate(request({ 'impersonate-user': 'u', 'impersonate-extra-scopes': 'view' }), ADMIN, extra.a),
    /userextras.authentication.k8s.io "view" is forbidden: User "admin" cannot impersonate resource "userextras\/scopes" in API group "authentication.k8s.io" at the cluster scope/,
  );
});

test('groups, extras or a uid without a user: upstream’s internal error', async () => {
  const { a, checks } = authorizer();
  await assert.rejects(impersonate(request({ 'impersonate-uid': 'u1' }), ADMIN, a), (err: unknown) => {
    assert.ok(err instanceof StatusError);
    assert.equal(err.status.code, 500);
    assert.match(err.status.message ?? '', /requested \[\{UID {2}u1 {2}authentication.k8s.io\/v1 {2}\}\] without impersonating a user$/);
    return true;
  });
  await assert.rejects(impersonate(request({ 'impersonate-group': 'g' }), ADMIN, a), /without impersonating a user/);
  assert.equal(checks.length, 0);
});
