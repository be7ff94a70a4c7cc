/**
 * ValidatingAdmissionPolicy with real kubectl (1.33, and 1.30 — the first with v1) against
 * `k8ts server --disable-agent`: a policy `object.spec.replicas <= 5` bound to a labelled
 * namespace refuses a Deployment of 6 with upstream's message and lets other namespaces be; a Warn
 * binding comes back as a kubectl warning; an Audit binding and auditAnnotations land in the audit
 * log; a param ConfigMap sets the limit; a policy whose expression does not compile is refused with
 * a field error.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, type TestServer } from './support/server.js';
import { kubectl, type Kubectl, ok } from './support/kubectl.js';
import { eventually } from './support/wait.js';

let server: TestServer;
let cache: string;
let k33: Kubectl;
let k30: Kubectl;
let auditLog: string;

const AR = 'admissionregistration.k8s.io/v1';
const namespace = (name: string, labels: Record<string, string>) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } });
const deploymentRules = {
  resourceRules: [{ apiGroups: ['apps'], apiVersions: ['v1'], operations: ['CREATE', 'UPDATE'], resources: ['deployments'] }],
};

function policy(name: string, spec: Record<string, unknown>) {
  return { apiVersion: AR, kind: 'ValidatingAdmissionPolicy', metadata: { name }, spec: { matchConstraints: deploymentRules, ...spec } };
}

function binding(name: string, policyName: string, label: string, actions: string[], extra: Record<string, unknown> = {}) {
  return {
    apiVersion: AR,
    kind: 'ValidatingAdmissionPolicyBinding',
    metadata: { name },
    spec: { policyName, validationActions: actions, matchResources: { namespaceSelector: { matchLabels: { [label]: 'on' } } }, ...extra },
  };
}

const fixtures = [
  namespace('vap-limited', { 'vap-limit': 'on' }),
  namespace('vap-free', {}),
  namespace('vap-warned', { 'vap-warn': 'on' }),
  namespace('vap-params', { 'vap-params': 'on' }),
  namespace('vap-audited', { 'vap-audit': 'on' }),
  { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'replica-limit', namespace: 'vap-params' }, data: { maxReplicas: '3' } },
  policy('replica-limit', { validations: [{ expression: 'object.spec.replicas <= 5', message: 'replicas must be no greater than 5' }] }),
  binding('replica-limit-binding', 'replica-limit', 'vap-limit', ['Deny']),
  policy('replica-hint', { validations: [{ expression: 'object.spec.replicas <= 2', reason: 'Forbidden' }] }),
  binding('replica-hint-binding', 'replica-hint', 'vap-warn', ['Warn']),
  policy('replica-audit', {
    validations: [{ expression: 'object.spec.replicas <= 1', message: 'more than one replica' }],
    auditAnnotations: [{ key: 'replicas', valueExpression: 'string(object.spec.replicas)' }],
  }),
  binding('replica-audit-binding', 'replica-audit', 'vap-audit', ['Audit']),
  policy('replica-typo', { validations: [{ expression: 'object.spec.replicass <= 5' }] }),
  policy('replica-param', {
    paramKind: { apiVersion: 'v1', kind: 'ConfigMap' },
    validations: [
      {
        expression: 'object.spec.replicas <= int(params.data.maxReplicas)',
        messageExpression: "'replicas ' + string(object.spec.replicas) + ' over the limit of ' + params.data.maxReplicas",
        reason: 'Forbidden',
      },
    ],
  }),
  binding('replica-param-binding', 'replica-param', 'vap-params', ['Deny'], {
    paramRef: { name: 'replica-limit', parameterNotFoundAction: 'Deny' },
  }),
];

const createDeployment = (k: Kubectl, ns: string, name: string, replicas: number) =>
  k(['create', 'deployment', name, '--image=busybox', `--replicas=${replicas}`, '-n', ns, '--dry-run=server']);

before(async () => {
  cache = await mkdtemp(join(tmpdir(), 'k8ts-vap-'));
  await writeFile(
    join(cache, 'audit-policy.yaml'),
    'apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n- level: Metadata\n  resources: [{group: apps, resources: [deployments]}]\n',
  );
  auditLog = join(cache, 'audit.log');
  server = await startServer({
    args: ['--disable-agent', '--audit-policy-file', join(cache, 'audit-policy.yaml'), '--audit-log-path', auditLog],
  });
  k33 = kubectl('1.33', server.kubeconfig, join(cache, '1.33'));
  k30 = kubectl('1.30', server.kubeconfig, join(cache, '1.30'));
  ok(await k33(['apply', '-f', '-'], { input: JSON.stringify({ apiVersion: 'v1', kind: 'List', items: fixtures }) }), 'fixtures');
});

after(async () => {
  await server?.stop();
  await server?.cleanup();
  if (cache) await rm(cache, { recursive: true, force: true });
});

describe('ValidatingAdmissionPolicy', { timeout: 60_000 }, () => {
  it('denies a Deployment of 6 in the bound namespace with upstream’s message, for kubectl 1.33 and 1.30', async () => {
    const want =
      /deployments\.apps "web-1\.3\d" is forbidden: ValidatingAdmissionPolicy 'replica-limit' with binding 'replica-limit-binding' denied request: replicas must be no greater than 5/;
    await eventually('the binding to take effect', async () => (await createDeployment(k33, 'vap-limited', 'probe', 6)).code !== 0, 10_000);
    const [r33, r30] = await Promise.all([
      createDeployment(k33, 'vap-limited', 'web-1.33', 6),
      createDeployment(k30, 'vap-limited', 'web-1.30', 6),
    ]);
    for (const r of [r33, r30]) {
      assert.notEqual(r.code, 0);
      assert.match(r.stderr, want);
    }
    ok(await createDeployment(k33, 'vap-limited', 'small', 5), 'five replicas');
    ok(await createDeployment(k30, 'vap-free', 'big', 6), 'an unbound namespace');
  });

  it('a Warn binding comes back as a kubectl warning', async () => {
    await eventually('the warning', async () => (await createDeployment(k33, 'vap-warned', 'probe', 3)).stderr.includes('Warning'), 10_000);
    const [r33, r30] = await Promise.all([
      createDeployment(k33, 'vap-warned', 'warned', 3),
      createDeployment(k30, 'vap-warned', 'warned', 3),
    ]);
    for (const r of [r33, r30]) {
      assert.equal(r.code, 0, r.stderr);
      assert.match(
        r.stderr,
        /Warning: Validation failed for ValidatingAdmissionPolicy 'replica-hint' with binding 'replica-hint-binding': failed expression: object.spec.replicas <= 2/,
      );
    }
  });

  it('an Audit binding and auditAnnotations land in the audit event', async () => {
    ok(await createDeployment(k33, 'vap-audited', 'audited', 2), 'an audited deployment');
    const annotations = async () => {
      const lines = (await readFile(auditLog, 'utf8').catch(() => '')).split('\n').filter((l) => l.includes('"audited"'));
      const events = lines.map((l) => JSON.parse(l) as { stage: string; annotations?: Record<string, string> });
      return events.find((e) => e.stage === 'ResponseComplete')?.annotations;
    };
    await eventually('the audit event', async () => (await annotations()) !== undefined, 10_000);
    const got = await annotations();
    assert.equal(got?.['replica-audit/replicas'], '2');
    assert.deepEqual(JSON.parse(got?.['validation.policy.admission.k8s.io/validation_failure'] ?? '[]'), [
      {
        message: 'more than one replica',
        policy: 'replica-audit',
        binding: 'replica-audit-binding',
        expressionIndex: 0,
        validationActions: ['Audit'],
      },
    ]);
  });

  it('a param ConfigMap sets the limit; the messageExpression and reason Forbidden shape the denial', async () => {
    await eventually('the param binding', async () => (await createDeployment(k33, 'vap-params', 'probe', 4)).code !== 0, 10_000);
    const r = await createDeployment(k33, 'vap-params', 'four', 4);
    assert.match(
      r.stderr,
      /deployments\.apps "four" is forbidden: ValidatingAdmissionPolicy 'replica-param' with binding 'replica-param-binding' denied request: replicas 4 over the limit of 3/,
    );
    ok(await createDeployment(k33, 'vap-params', 'three', 3), 'three replicas');
    ok(await k33(['patch', 'configmap', 'replica-limit', '-n', 'vap-params', '-p', '{"data":{"maxReplicas":"4"}}']), 'raise the limit');
    await eventually('the raised limit', async () => (await createDeployment(k33, 'vap-params', 'four', 4)).code === 0, 10_000);
  });

  it('writes status.typeChecking: a field the kind does not have is a warning', async () => {
    const warning = async () => (await k33(['get', 'validatingadmissionpolicy', 'replica-typo', '-o', 'json'])).stdout;
    await eventually('the type checking', async () => (await warning()).includes('typeChecking'), 10_000);
    const status = (JSON.parse(await warning()) as { status: Record<string, unknown> }).status;
    assert.deepEqual(status, {
      observedGeneration: 1,
      typeChecking: {
        expressionWarnings: [
          {
            fieldRef: 'spec.validations[0].expression',
            warning:
              "apps/v1, Kind=Deployment: ERROR: <input>:1:12: undefined field 'replicass'\n | object.spec.replicass <= 5\n | ...........^",
          },
        ],
      },
    });
  });

  it('refuses a policy whose expression does not compile, and lists policies and bindings', async () => {
    const bad = policy('broken', { validations: [{ expression: 'object.spec.replicas <= ' }] });
    const r = await k30(['apply', '-f', '-'], { input: JSON.stringify(bad) });
    assert.notEqual(r.code, 0);
    assert.match(
      r.stderr,
      /The ValidatingAdmissionPolicy "broken" is invalid: spec.validations\[0\].expression: Invalid value: "object.spec.replicas <= ": compilation failed: ERROR: <input>:1:\d+: Syntax error: /,
    );
    const policies = ok(await k33(['get', 'validatingadmissionpolicies']), 'get policies');
    assert.match(policies, /NAME\s+VALIDATIONS\s+PARAMKIND\s+AGE/);
    assert.match(policies, /replica-param\s+1\s+v1\/ConfigMap/);
    assert.match(
      ok(await k30(['get', 'validatingadmissionpolicybindings']), 'get bindings'),
      /replica-param-binding\s+replica-param\s+\*\/replica-limit/,
    );
  });
});
