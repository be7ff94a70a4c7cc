/**
 * CustomResourceDefinitions end to end against a real `k8ts server` with real kubectl: apply a
 * CRD, wait for Established, then create, print, validate, scale, patch and delete custom
 * resources as against upstream, and delete the CRD with its custom resources.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { startServer, type TestServer } from './support/server.js';
import { kubectl, type Kubectl, type KubectlVersion, ok } from './support/kubectl.js';

const CRD = `
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: crontabs.stable.example.com
spec:
  group: stable.example.com
  scope: Namespaced
  names:
    plural: crontabs
    singular: crontab
    kind: CronTab
    shortNames: [ct]
    categories: [all]
  versions:
  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec:
            type: object
            required: [cronSpec]
            properties:
              cronSpec:
                type: string
                pattern: '^(\\d+|\\*)(/\\d+)?(\\s+(\\d+|\\*)(/\\d+)?){4}$'
              image:
                type: string
              replicas:
                type: integer
                minimum: 0
                maximum: 10
                default: 1
              size:
                type: string
                enum: [small, large]
                default: small
          status:
            type: object
            properties:
              replicas:
                type: integer
              labelSelector:
                type: string
    subresources:
      status: {}
      scale:
        specReplicasPath: .spec.replicas
        statusReplicasPath: .status.replicas
        labelSelectorPath: .status.labelSelector
    additionalPrinterColumns:
    - name: Spec
      type: string
      jsonPath: .spec.cronSpec
    - name: Replicas
      type: integer
      jsonPath: .spec.replicas
    - name: Age
      type: date
      jsonPath: .metadata.creationTimestamp
`;

const CRONTAB = (name: string, extra = ''): string => `
apiVersion: stable.example.com/v1
kind: CronTab
metadata:
  name: ${name}
spec:
  cronSpec: "* * * * */5"
  image: my-awesome-cron-image
${extra}`;

let server: TestServer;
let cacheRoot: string;

before(async () => {
  server = await startServer();
  cacheRoot = await mkdtemp(join(tmpdir(), 'k8ts-crd-cache-'));
});

after(async () => {
  await server?.stop();
  await server?.cleanup();
  if (cacheRoot) await rm(cacheRoot, { recursive: true, force: true });
});

/** The oldest and newest kubectl we support; each run leaves the CRD re-created and empty. */
const VERSIONS: readonly KubectlVersion[] = ['1.27', '1.33'];

for (const version of VERSIONS)
  describe(`CustomResourceDefinitions with kubectl ${version}`, () => {
    let k: Kubectl;
    before(() => {
      k = kubectl(version, server.kubeconfig, join(cacheRoot, version));
    });

    it('applies a CRD and waits for Established', async () => {
      ok(await k(['apply', '-f', '-'], { input: CRD }), 'apply crd');
      ok(await k(['wait', '--for=condition=Established', 'crd/crontabs.stable.example.com', '--timeout=30s']), 'wait');
      const crd = parse(ok(await k(['get', 'crd', 'crontabs.stable.example.com', '-o', 'yaml']), 'get crd')) as {
        status: {
          conditions: { type: string; status: string; reason: string }[];
          acceptedNames: { kind: string; listKind: string };
          storedVersions: string[];
        };
      };
      assert.deepEqual(
        crd.status.conditions.map((c) => [c.type, c.status, c.reason]),
        [
          ['NamesAccepted', 'True', 'NoConflicts'],
          ['Established', 'True', 'InitialNamesAccepted'],
        ],
      );
      assert.equal(crd.status.acceptedNames.listKind, 'CronTabList');
      assert.deepEqual(crd.status.storedVersions, ['v1']);
    });

    it('lists the custom resource in api-resources', async () => {
      const out = ok(await k(['api-resources', '--api-group=stable.example.com']), 'api-resources');
      assert.match(out, /crontabs\s+ct\s+stable\.example\.com\/v1\s+true\s+CronTab/);
    });

    it('creates a custom resource with apply and prints the printer columns', async () => {
      // kubectl validates strictly by default: the server refuses unknown fields …
      const strict = await k(['apply', '-f', '-'], { input: CRONTAB('my-cron', '  unknownField: dropped') });
      assert.notEqual(strict.code, 0);
      assert.match(strict.stderr, /strict decoding error: unknown field "spec\.unknownField"/);
      // … and prunes them when told to ignore them
      assert.match(
        ok(await k(['apply', '--validate=false', '-f', '-'], { input: CRONTAB('my-cron', '  unknownField: dropped') }), 'apply cr'),
        /crontab\.stable\.example\.com\/my-cron created/,
      );
      const table = ok(await k(['get', 'crontabs']), 'get crontabs');
      const [header, row] = table.trim().split('\n');
      assert.match(header ?? '', /^NAME\s+SPEC\s+REPLICAS\s+AGE$/);
      assert.match(row ?? '', /^my-cron\s+\* \* \* \* \*\/5\s+1\s+\d+s$/);
      assert.match(ok(await k(['get', 'ct', 'my-cron', '-o', 'name']), 'short name'), /^crontab\.stable\.example\.com\/my-cron$/m);
    });

    it('shows defaults applied and unknown fields pruned', async () => {
      const obj = parse(ok(await k(['get', 'crontabs', 'my-cron', '-o', 'yaml']), 'get -o yaml')) as {
        spec: Record<string, unknown>;
        metadata: { generation: number };
      };
      assert.deepEqual(obj.spec, { cronSpec: '* * * * */5', image: 'my-awesome-cron-image', replicas: 1, size: 'small' });
      assert.equal(obj.metadata.generation, 1);
    });

    it('rejects invalid fields with upstream messages', async () => {
      const r = await k(['apply', '-f', '-'], { input: CRONTAB('bad-cron', '  replicas: "three"\n  size: medium') });
      assert.notEqual(r.code, 0);
      assert.match(r.stderr, /The CronTab "bad-cron" is invalid: /);
      assert.match(r.stderr, /spec\.replicas: Invalid value: "string": spec\.replicas in body must be of type integer: "string"/);
      assert.match(r.stderr, /spec\.size: Unsupported value: "medium": supported values: "small", "large"/);
      const strict = await k(['create', '--validate=strict', '-f', '-'], { input: CRONTAB('strict-cron', '  bogus: 1') });
      assert.notEqual(strict.code, 0);
      assert.match(strict.stderr, /unknown field "spec\.bogus"/);
    });

    it('scales through the scale subresource', async () => {
      assert.match(ok(await k(['scale', 'crontab/my-cron', '--replicas=3']), 'scale'), /crontab\.stable\.example\.com\/my-cron scaled/);
      const obj = parse(ok(await k(['get', 'crontab', 'my-cron', '-o', 'yaml']), 'get')) as {
        spec: { replicas: number };
        metadata: { generation: number };
      };
      assert.equal(obj.spec.replicas, 3);
      assert.equal(obj.metadata.generation, 2);
    });

    it('patches with merge and JSON patches, refuses strategic merge', async () => {
      ok(await k(['patch', 'crontab', 'my-cron', '--type=merge', '-p', '{"spec":{"image":"other"}}']), 'merge patch');
      ok(
        await k(['patch', 'crontab', 'my-cron', '--type=json', '-p', '[{"op":"replace","path":"/spec/size","value":"large"}]']),
        'json patch',
      );
      const obj = parse(ok(await k(['get', 'crontab', 'my-cron', '-o', 'yaml']), 'get')) as { spec: { image: string; size: string } };
      assert.equal(obj.spec.image, 'other');
      assert.equal(obj.spec.size, 'large');
      const smp = await k(['patch', 'crontab', 'my-cron', '--type=strategic', '-p', '{"spec":{"image":"x"}}']);
      assert.notEqual(smp.code, 0);
      assert.match(
        smp.stderr,
        /the body of the request was in an unknown format - accepted media types include: application\/json-patch\+json, application\/merge-patch\+json, application\/apply-patch\+yaml/,
      );
    });

    it('keeps status behind the status subresource', async () => {
      ok(await k(['patch', 'crontab', 'my-cron', '--type=merge', '-p', '{"status":{"replicas":7}}']), 'main patch');
      let obj = parse(ok(await k(['get', 'crontab', 'my-cron', '-o', 'yaml']), 'get')) as { status?: { replicas?: number } };
      assert.equal(obj.status?.replicas, undefined);
      ok(
        await k([
          'patch',
          'crontab',
          'my-cron',
          '--subresource=status',
          '--type=merge',
          '-p',
          '{"status":{"replicas":3,"labelSelector":"app=cron"}}',
        ]),
        'status patch',
      );
      obj = parse(ok(await k(['get', 'crontab', 'my-cron', '-o', 'yaml']), 'get')) as { status?: { replicas?: number } };
      assert.equal(obj.status?.replicas, 3);
    });

    it('applies server-side', async () => {
      ok(await k(['apply', '--server-side', '--field-manager=e2e', '-f', '-'], { input: CRONTAB('ssa-cron') }), 'server-side apply');
      const obj = parse(ok(await k(['get', 'crontab', 'ssa-cron', '-o', 'yaml']), 'get')) as { spec: { replicas: number } };
      assert.equal(obj.spec.replicas, 1);
    });

    it('deletes the custom resources with the CRD', async () => {
      ok(await k(['delete', 'crd', 'crontabs.stable.example.com', '--timeout=60s']), 'delete crd');
      const r = await k(['get', 'crd', 'crontabs.stable.example.com']);
      assert.notEqual(r.code, 0);
      assert.match(r.stderr, /NotFound|not found/);
      ok(await k(['apply', '-f', '-'], { input: CRD }), 're-apply crd');
      ok(await k(['wait', '--for=condition=Established', 'crd/crontabs.stable.example.com', '--timeout=30s']), 'wait again');
      const list = ok(await k(['get', 'crontabs', '-A', '-o', 'name']), 'list after re-create');
      assert.equal(list.trim(), '');
    });
  });
