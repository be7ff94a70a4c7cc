import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ResourceType } from '../../../api/resource.js';
import { isStatusError, type StatusError } from '../../../machinery/errors.js';
import type { KubeObject } from '../../../machinery/object.js';
import type { AdmissionAttributes } from '../interface.js';
import { type ParamSource, ValidatingAdmissionPolicyAdmission, VALIDATION_FAILURE_ANNOTATION } from './plugin.js';

const DEPLOYMENTS = {
  group: 'apps',
  version: 'v1',
  kind: 'Deployment',
  plural: 'deployments',
  namespaced: true,
} as unknown as ResourceType;
const RULES = { resourceRules: [{ apiGroups: ['apps'], apiVersions: ['v1'], operations: ['*'], resources: ['deployments'] }] };

let uid = 0;
function policy(name: string, spec: Record<string, unknown>, generation = 1): KubeObject {
  return { metadata: { name, uid: `u-${name}`, generation }, spec: { matchConstraints: RULES, failurePolicy: 'Fail', ...spec } };
}
function binding(policyName: string, actions: string[], spec: Record<string, unknown> = {}): KubeObject {
  return { metadata: { name: `${policyName}-b${uid++}` }, spec: { policyName, validationActions: actions, ...spec } };
}
function deployment(replicas: number, labels: Record<string, string> = {}): KubeObject {
  return { metadata: { name: 'web', namespace: 'prod', labels }, spec: { replicas } };
}
function attrs(object: KubeObject | undefined, extra: Partial<AdmissionAttributes> = {}): AdmissionAttributes {
  return {
    operation: 'CREATE',
    type: DEPLOYMENTS,
    namespace: 'prod',
    name: 'web',
    subresource: '',
    ...(object ? { object } : {}),
    dryRun: false,
    warnings: [],
    user: { name: 'alice', groups: [] },
    ...extra,
  };
}

const configMaps: KubeObject[] = [
  { metadata: { name: 'limit', namespace: 'prod', labels: { tier: 'a' } }, data: { max: '3' } },
  { metadata: { name: 'other', namespace: 'prod', labels: { tier: 'a' } }, data: { max: '10' } },
];
const params: ParamSource = {
  namespaced: true,
  get: (ns, name) => configMaps.find((c) => c.metadata.namespace === ns && c.metadata.name === name),
  list: (ns) => configMaps.filter((c) => c.metadata.namespace === ns),
};

function plugin(policies: KubeObject[], bindings: KubeObject[]): ValidatingAdmissionPolicyAdmission {
  return new ValidatingAdmissionPolicyAdmission({
    sources: {
      policies: () => policies,
      bindings: () => bindings,
      namespace: (name) => ({ metadata: { name, labels: { env: name } } }),
      params: (apiVersion, kind) => (apiVersion === 'v1' && kind === 'ConfigMap' ? params : undefined),
    },
  });
}

const denied = (code: number, reason: string, message: string) => (err: unknown) => {
  assert.ok(isStatusError(err, reason as never), String(err));
  const s = (err as StatusError).status;
  assert.equal(s.code, code);
  assert.equal(s.message, `deployments.apps "web" is forbidden: ${message}`);
  assert.deepEqual(s.details?.causes, [{ message }]);
  return true;
};

const max5 = policy('max5', { validations: [{ expression: 'object.spec.replicas <= 5', message: 'at most 5' }] });

describe('ValidatingAdmissionPolicy admission', () => {
  it('denies with the binding named, reason Invalid (422) by default', async () => {
    const b = binding('max5', ['Deny']);
    await plugin([max5], [b]).validate(attrs(deployment(5)));
    await assert.rejects(
      plugin([max5], [b]).validate(attrs(deployment(6))),
      denied(422, 'Invalid', `ValidatingAdmissionPolicy 'max5' with binding '${b.metadata.name}' denied request: at most 5`),
    );
  });

  it('uses the validation reason and code, messageExpression, and the failed expression as the default message', async () => {
    const p = policy('p', {
      validations: [
        { expression: 'object.spec.replicas < 1', reason: 'Forbidden', messageExpression: "'have ' + string(object.spec.replicas)" },
        { expression: ' object.spec.replicas < 2 ', reason: 'Forbidden' },
      ],
    });
    const b = binding('p', ['Deny', 'Audit']);
    const annotations: Record<string, string> = {};
    const a = attrs(deployment(3), { addAnnotation: (key, value) => void (annotations[key] ??= value) });
    await assert.rejects(
      plugin([p], [b]).validate(a),
      denied(403, 'Forbidden', `ValidatingAdmissionPolicy 'p' with binding '${b.metadata.name}' denied request: have 3`),
    );
    const audit = JSON.parse(annotations[VALIDATION_FAILURE_ANNOTATION] ?? '[]') as { message: string; expressionIndex: number }[];
    assert.deepEqual(
      audit.map((x) => [x.message, x.expressionIndex]),
      [
        ['have 3', 0],
        ['failed expression: object.spec.replicas < 2', 1],
      ],
    );
  });

  it('Warn adds a warning and admits', async () => {
    const b = binding('max5', ['Warn']);
    const a = attrs(deployment(9));
    await plugin([max5], [b]).validate(a);
    assert.deepEqual(a.warnings, [`Validation failed for ValidatingAdmissionPolicy 'max5' with binding '${b.metadata.name}': at most 5`]);
  });

  it('matches bindings by namespace and object selectors and exclusions; exempts its own group', async () => {
    const inProd = binding('max5', ['Deny'], { matchResources: { namespaceSelector: { matchLabels: { env: 'prod' } } } });
    const inDev = binding('max5', ['Deny'], { matchResources: { namespaceSelector: { matchLabels: { env: 'dev' } } } });
    const labelled = binding('max5', ['Deny'], { matchResources: { objectSelector: { matchLabels: { checked: 'yes' } } } });
    const excluded = binding('max5', ['Deny'], {
      matchResources: {
        excludeResourceRules: [{ apiGroups: ['apps'], apiVersions: ['*'], operations: ['CREATE'], resources: ['deployments'] }],
      },
    });
    await assert.rejects(plugin([max5], [inProd]).validate(attrs(deployment(6))));
    await plugin([max5], [inDev, labelled, excluded]).validate(attrs(deployment(6)));
    await assert.rejects(plugin([max5], [labelled]).validate(attrs(deployment(6, { checked: 'yes' }))));
    const own = { ...DEPLOYMENTS, group: 'admissionregistration.k8s.io' } as ResourceType;
    await plugin([max5], [binding('max5', ['Deny'])]).validate(attrs(deployment(6), { type: own }));
  });

  it('matches the policy rules by operation, subresource and resourceNames', async () => {
    const p = policy('names', {
      matchConstraints: {
        resourceRules: [
          { apiGroups: ['apps'], apiVersions: ['v1'], operations: ['UPDATE'], resources: ['deployments/scale'], resourceNames: ['web'] },
        ],
      },
      validations: [{ expression: 'false' }],
    });
    const b = binding('names', ['Deny']);
    await plugin([p], [b]).validate(attrs(deployment(1), { operation: 'UPDATE' }));
    await assert.rejects(plugin([p], [b]).validate(attrs(deployment(1), { operation: 'UPDATE', subresource: 'scale' })));
    await plugin([p], [b]).validate(attrs(deployment(1), { operation: 'UPDATE', subresource: 'scale', name: 'api' }));
  });

  it('reads params by name or selector; a missing param denies or allows per parameterNotFoundAction', async () => {
    const p = policy('param', {
      paramKind: { apiVersion: 'v1', kind: 'ConfigMap' },
      validations: [{ expression: 'object.spec.replicas <= int(params.data.max)', messageExpression: "'limit ' + params.data.max" }],
    });
    const byName = binding('param', ['Deny'], { paramRef: { name: 'limit', parameterNotFoundAction: 'Deny' } });
    await plugin([p], [byName]).validate(attrs(deployment(3)));
    await assert.rejects(plugin([p], [byName]).validate(attrs(deployment(4))), /denied request: limit 3$/);
    // a selector evaluates the policy once per param: the lowest limit decides
    const bySelector = binding('param', ['Deny'], {
      paramRef: { selector: { matchLabels: { tier: 'a' } }, parameterNotFoundAction: 'Allow' },
    });
    await assert.rejects(plugin([p], [bySelector]).validate(attrs(deployment(4))), /limit 3$/);
    const missingAllow = binding('param', ['Deny'], { paramRef: { name: 'nope', parameterNotFoundAction: 'Allow' } });
    await plugin([p], [missingAllow]).validate(attrs(deployment(100)));
    const missingDeny = binding('param', ['Deny'], { paramRef: { name: 'nope', parameterNotFoundAction: 'Deny' } });
    await assert.rejects(
      plugin([p], [missingDeny]).validate(attrs(deployment(1))),
      /denied request: failed to configure binding: no params found for policy binding with `Deny` parameterNotFoundAction$/,
    );
    const unknown = policy('unknown', {
      paramKind: { apiVersion: 'example.com/v1', kind: 'Limit' },
      validations: [{ expression: 'true' }],
    });
    await assert.rejects(
      plugin([unknown], [binding('unknown', ['Deny'], { paramRef: { name: 'x', parameterNotFoundAction: 'Allow' } })]).validate(
        attrs(deployment(1)),
      ),
      /failed to configure binding: paramKind kind `example.com\/v1, Kind=Limit` not known/,
    );
  });

  it('an evaluation error denies under failurePolicy Fail and is ignored under Ignore', async () => {
    const spec = { validations: [{ expression: 'object.spec.missing > 1' }] };
    const b = binding('fail', ['Deny']);
    await assert.rejects(
      plugin([policy('fail', spec)], [b]).validate(attrs(deployment(1))),
      /expression 'object.spec.missing > 1' resulted in error: No such key: missing/,
    );
    await plugin([policy('fail', { ...spec, failurePolicy: 'Ignore' })], [b]).validate(attrs(deployment(1)));
  });

  it('matchConditions select the requests; variables compose expressions; DELETE sees oldObject', async () => {
    const p = policy('cond', {
      matchConditions: [{ name: 'labelled', expression: "has(object.metadata.labels) && 'app' in object.metadata.labels" }],
      variables: [
        { name: 'replicas', expression: 'object.spec.replicas' },
        { name: 'tooMany', expression: 'variables.replicas > 2' },
      ],
      validations: [{ expression: '!variables.tooMany', message: 'too many' }],
    });
    const b = binding('cond', ['Deny']);
    await plugin([p], [b]).validate(attrs(deployment(5)));
    await assert.rejects(plugin([p], [b]).validate(attrs(deployment(5, { app: 'x' }))), /too many$/);
    const del = policy('del', { validations: [{ expression: "object == null && oldObject.metadata.name != 'web'", message: 'keep web' }] });
    await assert.rejects(
      plugin([del], [binding('del', ['Deny'])]).validate(attrs(undefined, { operation: 'DELETE', oldObject: deployment(1) })),
      /keep web$/,
    );
  });

  it('recompiles a policy when its generation moves', async () => {
    const b = binding('gen', ['Deny']);
    const policies = [policy('gen', { validations: [{ expression: 'true' }] }, 1)];
    const p = plugin(policies, [b]);
    await p.validate(attrs(deployment(1)));
    policies[0] = policy('gen', { validations: [{ expression: 'false', message: 'now closed' }] }, 2);
    await assert.rejects(p.validate(attrs(deployment(1))), /now closed$/);
  });
});
