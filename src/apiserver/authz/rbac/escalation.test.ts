import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defineResource } from '../../../api/define.js';
import { isStatusError } from '../../../machinery/errors.js';
import type { KubeObject } from '../../../machinery/object.js';
import type { AdmissionAttributes } from '../../admission/interface.js';
import { BootstrapAuthorizer } from '../bootstrap.js';
import { RbacAuthorizer, UnionAuthorizer } from './authorizer.js';
import { RbacEscalationPrevention } from './escalation.js';
import { RuleResolver } from './resolver.js';
import { arrayObjects } from './testing.js';

const g = { group: 'rbac.authorization.k8s.io', version: 'v1', namespaced: true };
const ROLES = defineResource({ ...g, kind: 'Role', plural: 'roles' });
const BINDINGS = defineResource({ ...g, kind: 'RoleBinding', plural: 'rolebindings' });

const objects: KubeObject[] = [
  { kind: 'ClusterRole', metadata: { name: 'pods' }, rules: [{ verbs: ['get', 'list'], apiGroups: [''], resources: ['pods'] }] },
  { kind: 'ClusterRole', metadata: { name: 'all' }, rules: [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }] },
  {
    kind: 'ClusterRole',
    metadata: { name: 'binder' },
    rules: [{ verbs: ['bind'], apiGroups: ['rbac.authorization.k8s.io'], resources: ['clusterroles'], resourceNames: ['all'] }],
  },
  {
    kind: 'RoleBinding',
    metadata: { name: 'b', namespace: 'a' },
    roleRef: { kind: 'ClusterRole', name: 'pods' },
    subjects: [{ kind: 'User', name: 'bob' }],
  },
  {
    kind: 'RoleBinding',
    metadata: { name: 'c', namespace: 'a' },
    roleRef: { kind: 'ClusterRole', name: 'binder' },
    subjects: [{ kind: 'User', name: 'carol' }],
  },
];
const resolver = new RuleResolver({ objects: arrayObjects(objects) });
const plugin = new RbacEscalationPrevention({
  resolver,
  authorizer: new UnionAuthorizer([new BootstrapAuthorizer(), new RbacAuthorizer({ resolver })]),
});
const bob = { name: 'bob', groups: ['system:authenticated'] };

function attrs(type: typeof ROLES, object: KubeObject, user = bob, oldObject?: KubeObject): AdmissionAttributes {
  return {
    operation: oldObject ? 'UPDATE' : 'CREATE',
    type,
    namespace: 'a',
    name: object.metadata.name ?? '',
    subresource: '',
    object,
    user,
    dryRun: false,
    ...(oldObject ? { oldObject } : {}),
  };
}

async function refusal(a: AdmissionAttributes): Promise<string> {
  try {
    await plugin.validate(a);
  } catch (err) {
    assert.ok(isStatusError(err, 'Forbidden'));
    return err.message;
  }
  return '';
}

describe('RbacEscalationPrevention', () => {
  it('allows a role within what the user holds and refuses one beyond, with upstream message', async () => {
    assert.equal(
      await refusal(attrs(ROLES, { metadata: { name: 'r' }, rules: [{ verbs: ['get'], apiGroups: [''], resources: ['pods'] }] })),
      '',
    );
    assert.equal(
      await refusal(
        attrs(ROLES, { metadata: { name: 'r' }, rules: [{ verbs: ['get', 'delete'], apiGroups: [''], resources: ['pods', 'secrets'] }] }),
      ),
      'roles.rbac.authorization.k8s.io "r" is forbidden: user "bob" (groups=["system:authenticated"]) is attempting to grant RBAC permissions not currently held:\n' +
        '{APIGroups:[""], Resources:["pods"], Verbs:["delete"]}\n{APIGroups:[""], Resources:["secrets"], Verbs:["get" "delete"]}',
    );
  });

  it('refuses a binding to a role the user does not hold, unless they may bind it', async () => {
    const binding = (role: string): KubeObject => ({
      metadata: { name: 'x' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role },
      subjects: [{ kind: 'User', name: 'eve' }],
    });
    assert.equal(await refusal(attrs(BINDINGS, binding('pods'))), '');
    assert.match(
      await refusal(attrs(BINDINGS, binding('all'))),
      /is attempting to grant RBAC permissions not currently held:\n\{APIGroups:\["\*"\], Resources:\["\*"\], Verbs:\["\*"\]\}/,
    );
    assert.match(await refusal(attrs(BINDINGS, binding('nope'))), /clusterrole.rbac.authorization.k8s.io "nope" not found/);
    const carol = { name: 'carol', groups: ['system:authenticated'] };
    assert.equal(await refusal(attrs(BINDINGS, binding('all'), carol)), '');
  });

  it('lets system:masters do anything and updates that keep the rules through', async () => {
    const big = { metadata: { name: 'r' }, rules: [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }] };
    assert.equal(await refusal(attrs(ROLES, big, { name: 'admin', groups: ['system:masters'] })), '');
    assert.equal(await refusal(attrs(ROLES, { ...big, metadata: { name: 'r', labels: { a: 'b' } } }, bob, big)), '');
  });
});
