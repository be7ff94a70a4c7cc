/**
 * ValidatingAdmissionPolicy micro-benchmark (`node --import tsx bench/validating-admission-policy.ts`):
 * admission decisions per second for a Deployment create with no policies, one matching policy, and
 * 20 policies with ConfigMap params (half matching); and how long compiling a policy takes.
 * Prints numbers only.
 */
import '../src/api/all-types.js';
import type { ResourceType } from '../src/api/resource.js';
import type { KubeObject } from '../src/machinery/object.js';
import type { AdmissionAttributes } from '../src/apiserver/admission/interface.js';
import { compilePolicy } from '../src/apiserver/admission/validating-policy/compile.js';
import { ValidatingAdmissionPolicyAdmission } from '../src/apiserver/admission/validating-policy/plugin.js';

const DEPLOYMENTS = {
  group: 'apps',
  version: 'v1',
  kind: 'Deployment',
  plural: 'deployments',
  namespaced: true,
} as unknown as ResourceType;
const rules = (group: string) => ({
  resourceRules: [{ apiGroups: [group], apiVersions: ['v1'], operations: ['CREATE', 'UPDATE'], resources: ['deployments'] }],
});

function policy(i: number, group: string, withParams: boolean): KubeObject {
  return {
    metadata: { name: `p${i}`, uid: `u${i}`, generation: 1 },
    spec: {
      failurePolicy: 'Fail',
      matchConstraints: rules(group),
      ...(withParams ? { paramKind: { apiVersion: 'v1', kind: 'ConfigMap' } } : {}),
      variables: [{ name: 'containers', expression: 'object.spec.template.spec.containers' }],
      validations: [
        { expression: withParams ? 'object.spec.replicas <= int(params.data.max)' : 'object.spec.replicas <= 50' },
        { expression: "variables.containers.all(c, !c.image.endsWith(':latest'))", message: 'no latest tags' },
      ],
    },
  };
}

function binding(i: number, withParams: boolean): KubeObject {
  return {
    metadata: { name: `b${i}` },
    spec: {
      policyName: `p${i}`,
      validationActions: ['Deny'],
      ...(withParams ? { paramRef: { name: 'limits', parameterNotFoundAction: 'Deny' } } : {}),
    },
  };
}

const param: KubeObject = { metadata: { name: 'limits', namespace: 'prod' }, data: { max: '50' } };
const deployment: KubeObject = {
  metadata: { name: 'web', namespace: 'prod', labels: { app: 'web' } },
  spec: {
    replicas: 3,
    template: {
      spec: {
        containers: [
          { name: 'a', image: 'nginx:1.27' },
          { name: 'b', image: 'busybox:1.36' },
        ],
      },
    },
  },
};

function plugin(policies: KubeObject[], bindings: KubeObject[]): ValidatingAdmissionPolicyAdmission {
  return new ValidatingAdmissionPolicyAdmission({
    sources: {
      policies: () => policies,
      bindings: () => bindings,
      namespace: (name) => ({ metadata: { name } }),
      params: () => ({ namespaced: true, get: () => param, list: () => [param] }),
    },
  });
}

const attrs = (): AdmissionAttributes => ({
  operation: 'CREATE',
  type: DEPLOYMENTS,
  namespace: 'prod',
  name: 'web',
  subresource: '',
  object: deployment,
  dryRun: false,
  warnings: [],
  user: { name: 'alice', groups: [] },
});

async function rate(what: string, p: ValidatingAdmissionPolicyAdmission, ms = 2000): Promise<void> {
  for (let i = 0; i < 200; i++) await p.validate(attrs());
  let n = 0;
  const start = performance.now();
  while (performance.now() - start < ms) {
    for (let i = 0; i < 100; i++) await p.validate(attrs());
    n += 100;
  }
  const elapsed = performance.now() - start;
  console.log(
    `${what.padEnd(48)} ${Math.round((n / elapsed) * 1000)
      .toString()
      .padStart(8)} admissions/s  ${((elapsed / n) * 1000).toFixed(1).padStart(7)} µs each`,
  );
}

await rate('no policies', plugin([], []));
await rate('1 matching policy (2 validations, 1 variable)', plugin([policy(0, 'apps', false)], [binding(0, false)]));
const many = Array.from({ length: 20 }, (_, i) => policy(i, i % 2 === 0 ? 'apps' : 'batch', true));
await rate(
  '20 policies with params, 10 matching',
  plugin(
    many,
    many.map((_, i) => binding(i, true)),
  ),
);
const compileStart = performance.now();
for (let i = 0; i < 200; i++) compilePolicy(policy(1000 + i, 'apps', true));
console.log(
  `${'compile a policy (3 expressions)'.padEnd(48)} ${(((performance.now() - compileStart) / 200) * 1000).toFixed(0).padStart(8)} µs`,
);
