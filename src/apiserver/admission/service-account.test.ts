import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ResourceType } from '../../api/resource.js';
import { StatusError } from '../../machinery/errors.js';
import type { KubeObject } from '../../machinery/object.js';
import type { AdmissionAttributes, Operation } from './interface.js';
import { API_ACCESS_MOUNT_PATH, ServiceAccountAdmission, apiAccessVolumeSource } from './service-account.js';

const PODS = { group: '', version: 'v1', plural: 'pods' } as unknown as ResourceType;
type Spec = Record<string, unknown>;

function plugin(accounts: Record<string, KubeObject>, tries = 1) {
  let n = 0;
  return new ServiceAccountAdmission({
    lookup: (ns, name) => accounts[`${ns}/${name}`],
    defaultAccountTries: tries,
    retryIntervalMs: 1,
    volumeName: () => `kube-api-access-${['aaaaa', 'bbbbb'][n++ % 2]}`,
  });
}

function attrs(spec: Spec, options: { annotations?: Record<string, string>; operation?: Operation; subresource?: string } = {}) {
  const object: KubeObject = { metadata: { name: 'p', ...(options.annotations ? { annotations: options.annotations } : {}) }, spec };
  const a: AdmissionAttributes = {
    operation: options.operation ?? 'CREATE',
    type: PODS,
    namespace: 'ns',
    name: 'p',
    subresource: options.subresource ?? '',
    object,
    dryRun: false,
  };
  return a;
}

async function admitted(p: ServiceAccountAdmission, spec: Spec, options?: Parameters<typeof attrs>[1]): Promise<Spec> {
  const a = attrs(spec, options);
  await p.admit(a);
  await p.validate(a);
  return a.object?.['spec'] as Spec;
}

async function refusal(p: ServiceAccountAdmission, spec: Spec, options?: Parameters<typeof attrs>[1]): Promise<string> {
  try {
    await admitted(p, spec, options);
  } catch (err) {
    assert.ok(err instanceof StatusError);
    assert.equal(err.status.code, 403);
    return err.status.message ?? '';
  }
  assert.fail('not refused');
}

const DEFAULT: KubeObject = { metadata: { name: 'default' } };

test('the default account, the kube-api-access volume and its mount in every container', async () => {
  const spec = await admitted(plugin({ 'ns/default': DEFAULT }), { initContainers: [{ name: 'i' }], containers: [{ name: 'c' }] });
  assert.equal(spec['serviceAccountName'], 'default');
  assert.deepEqual(spec['volumes'], [{ name: 'kube-api-access-aaaaa', projected: apiAccessVolumeSource() }]);
  const mount = { name: 'kube-api-access-aaaaa', readOnly: true, mountPath: API_ACCESS_MOUNT_PATH };
  assert.deepEqual(spec['initContainers'], [{ name: 'i', volumeMounts: [mount] }]);
  assert.deepEqual(spec['containers'], [{ name: 'c', volumeMounts: [mount] }]);
  const source = apiAccessVolumeSource() as { sources: Record<string, unknown>[] };
  assert.deepEqual(source.sources[0], { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } });
});

test('no token volume when automount is off on the pod or the account, or every container mounts that path', async () => {
  const accounts = { 'ns/default': DEFAULT, 'ns/off': { metadata: { name: 'off' }, automountServiceAccountToken: false } };
  const p = plugin(accounts);
  assert.equal((await admitted(p, { automountServiceAccountToken: false, containers: [{ name: 'c' }] }))['volumes'], undefined);
  assert.equal((await admitted(p, { serviceAccountName: 'off', containers: [{ name: 'c' }] }))['volumes'], undefined);
  const on = await admitted(p, { serviceAccountName: 'off', automountServiceAccountToken: true, containers: [{ name: 'c' }] });
  assert.equal((on['volumes'] as unknown[]).length, 1, 'the pod’s true wins over the account’s false');
  const own = { name: 'c', volumeMounts: [{ name: 'mine', mountPath: API_ACCESS_MOUNT_PATH }] };
  const spec = await admitted(p, { volumes: [{ name: 'mine', emptyDir: {} }], containers: [own] });
  assert.deepEqual(spec['volumes'], [{ name: 'mine', emptyDir: {} }]);
  const mixed = await admitted(p, { volumes: [{ name: 'kube-api-access-aaaaa', emptyDir: {} }], containers: [own, { name: 'd' }] });
  assert.deepEqual(
    (mixed['volumes'] as { name: string }[]).map((v) => v.name),
    ['kube-api-access-aaaaa', 'kube-api-access-bbbbb'],
    'a name that is taken is made again',
  );
});

test('a missing account is refused; the default one is waited for', async () => {
  const p = plugin({ 'ns/default': DEFAULT });
  assert.equal(
    await refusal(p, { serviceAccountName: 'ghost', containers: [{ name: 'c' }] }),
    'pods "p" is forbidden: error looking up service account ns/ghost: serviceaccount "ghost" not found',
  );
  const accounts: Record<string, KubeObject> = {};
  const waiting = plugin(accounts, 5);
  setTimeout(() => (accounts['ns/default'] = DEFAULT), 1);
  assert.equal((await admitted(waiting, { containers: [{ name: 'c' }] }))['serviceAccountName'], 'default');
});

test('imagePullSecrets come from the account unless the pod has its own', async () => {
  const p = plugin({ 'ns/default': { metadata: { name: 'default' }, imagePullSecrets: [{ name: 'regcred' }] } });
  assert.deepEqual((await admitted(p, { containers: [] }))['imagePullSecrets'], [{ name: 'regcred' }]);
  assert.deepEqual((await admitted(p, { imagePullSecrets: [{ name: 'own' }] }))['imagePullSecrets'], [{ name: 'own' }]);
});

test('mirror pods are left as they are, and may not reference accounts, secrets or tokens', async () => {
  const p = plugin({});
  const annotations = { 'kubernetes.io/config.mirror': 'x' };
  assert.deepEqual(await admitted(p, { containers: [{ name: 'c' }] }, { annotations }), { containers: [{ name: 'c' }] });
  assert.match(await refusal(p, { serviceAccountName: 'default' }, { annotations }), /a mirror pod may not reference service accounts$/);
  const env = [{ name: 'E', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } }];
  assert.match(await refusal(p, { containers: [{ name: 'c', env }] }, { annotations }), /a mirror pod may not reference secrets$/);
  const token = { name: 't', projected: { sources: [{ serviceAccountToken: { path: 'token' } }] } };
  assert.match(await refusal(p, { volumes: [token] }, { annotations }), /may not use ServiceAccountToken volume projections$/);
});

test('kubernetes.io/enforce-mountable-secrets limits the secrets a pod references', async () => {
  const account: KubeObject = {
    metadata: { name: 'default', annotations: { 'kubernetes.io/enforce-mountable-secrets': 'true' } },
    secrets: [{ name: 'ok' }],
    imagePullSecrets: [{ name: 'pull' }],
  };
  const p = plugin({ 'ns/default': account });
  await admitted(p, { volumes: [{ name: 'v', secret: { secretName: 'ok' } }], imagePullSecrets: [{ name: 'pull' }], containers: [] });
  assert.match(
    await refusal(p, { volumes: [{ name: 'v', secret: { secretName: 'no' } }] }),
    /volume with secret.secretName="no" is not allowed because service account default does not reference that secret$/,
  );
  const env = [{ name: 'E', valueFrom: { secretKeyRef: { name: 'no', key: 'k' } } }];
  assert.match(
    await refusal(p, { initContainers: [{ name: 'i', env }] }),
    /init container i with envVar E referencing secret.secretName="no" is not allowed/,
  );
  assert.match(
    await refusal(p, { containers: [{ name: 'c', envFrom: [{ secretRef: { name: 'no' } }] }] }),
    /container c with envFrom referencing secret.secretName="no" is not allowed/,
  );
  assert.match(
    await refusal(p, { imagePullSecrets: [{ name: 'other' }] }),
    /imagePullSecrets\[0\].name="other" is not allowed because service account default does not reference that imagePullSecret$/,
  );
  const ephemeral = { serviceAccountName: 'default', ephemeralContainers: [{ name: 'e', env }] };
  const update = attrs(ephemeral, { operation: 'UPDATE', subresource: 'ephemeralcontainers' });
  await assert.rejects(p.validate(update), /ephemeral container e with envVar E referencing secret.secretName="no" is not allowed/);
});
