/**
 * Real kubectl binaries (1.33 and 1.27) against our OpenAPI documents: explain through v3,
 * explain through v2 (gnostic protobuf), and client-side create with strict validation, which
 * makes 1.27 fetch and parse /openapi/v2 to learn that the server validates fields.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, realpathSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import '../../api/all-types.js';
import { appsResources } from '../../api/apps/resources.js';
import { coreResources } from '../../api/core/resources.js';
import { defineResource } from '../../api/define.js';
import { OpenApiService } from './service.js';
import { CRONTAB } from './testing/fixtures.js';
import { startFakeApiServer, type FakeApiServer } from './testing/fake-apiserver.js';

const run = promisify(execFile);

function kubectlDir(): string | undefined {
  try {
    const onPath = execFileSync('sh', ['-c', 'command -v kubectl'], { encoding: 'utf8' }).trim();
    return onPath ? dirname(realpathSync(onPath)) : undefined;
  } catch {
    return undefined;
  }
}

const dir = kubectlDir();
const binary = (version: string): string | undefined => {
  const path = dir ? join(dir, `kubectl.${version}`) : '';
  return path && existsSync(path) ? path : undefined;
};
const K133 = binary('1.33');
const K127 = binary('1.27');

let server: FakeApiServer;
let manifest = '';
let caches = 0;

before(async () => {
  const resources = [...coreResources, ...appsResources];
  const service = new OpenApiService({ resources });
  service.setCustomResource(CRONTAB);
  const crontabs = defineResource({
    group: CRONTAB.group,
    version: CRONTAB.version,
    kind: CRONTAB.kind,
    plural: CRONTAB.plural,
    namespaced: true,
  });
  server = await startFakeApiServer(service, [...resources, crontabs]);
  manifest = join(await mkdtemp(join(server.dir, 'm-')), 'cm.yaml');
  await writeFile(manifest, 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm1\ndata:\n  a: b\n');
});

after(async () => {
  await server?.close();
});

async function kubectl(bin: string, ...args: string[]): Promise<string> {
  const cacheDir = join(server.dir, `cache-${caches++}`);
  try {
    const { stdout } = await run(bin, ['--kubeconfig', server.kubeconfig, '--cache-dir', cacheDir, ...args], {
      maxBuffer: 1 << 24,
      timeout: 60_000,
    });
    return stdout;
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string };
    assert.fail(`kubectl ${args.join(' ')} failed:\n${e.stderr ?? ''}${e.stdout ?? ''}`);
  }
}

function assertIncludes(text: string, wants: readonly string[]): void {
  for (const want of wants) assert.ok(text.includes(want), `want ${JSON.stringify(want)} in:\n${text}`);
}

const POD_CONTAINERS = [
  'KIND:       Pod',
  'FIELD: containers <[]Container>',
  'List of containers belonging to the pod.',
  'imagePullPolicy\t<string>',
  'name\t<string> -required-',
  'resources\t<ResourceRequirements>',
  'ports\t<[]ContainerPort>',
];
const DEPLOYMENT_STRATEGY = [
  'GROUP:      apps',
  'KIND:       Deployment',
  'FIELD: strategy <DeploymentStrategy>',
  'rollingUpdate\t<RollingUpdateDeployment>',
  'type\t<string>',
];

for (const [version, bin] of [
  ['1.33', K133],
  ['1.27', K127],
] as const) {
  test(`kubectl ${version} explain pods.spec.containers (OpenAPI v3)`, {
    skip: bin ? false : `kubectl.${version} not installed`,
  }, async () => {
    assertIncludes(await kubectl(bin as string, 'explain', 'pods.spec.containers'), POD_CONTAINERS);
  });

  test(`kubectl ${version} explain deployment.spec.strategy (OpenAPI v3)`, {
    skip: bin ? false : `kubectl.${version} not installed`,
  }, async () => {
    assertIncludes(await kubectl(bin as string, 'explain', 'deployment.spec.strategy'), DEPLOYMENT_STRATEGY);
  });
}

test('kubectl 1.33 explain a custom resource registered at run time', { skip: K133 ? false : 'kubectl.1.33 not installed' }, async () => {
  const out = await kubectl(K133 as string, 'explain', 'crontabs.spec');
  assertIncludes(out, ['GROUP:      stable.example.com', 'KIND:       CronTab', 'cronSpec\t<string>', 'The cron schedule']);
});

test('kubectl 1.27 explain through OpenAPI v2 protobuf', { skip: K127 ? false : 'kubectl.1.27 not installed' }, async () => {
  const out = await kubectl(K127 as string, 'explain', 'pods.spec.containers', '--output=plaintext-openapiv2');
  assertIncludes(out, [
    'KIND:     Pod',
    'RESOURCE: containers <[]Object>',
    'List of containers belonging to the pod.',
    'imagePullPolicy\t<string>',
    'name\t<string> -required-',
  ]);
  const strategy = await kubectl(K127 as string, 'explain', 'deployment.spec.strategy.rollingUpdate', '--output=plaintext-openapiv2');
  assertIncludes(strategy, ['maxSurge\t<string>', 'maxUnavailable\t<string>']);
});

test('kubectl 1.27 create --validate=strict parses /openapi/v2 and succeeds', {
  skip: K127 ? false : 'kubectl.1.27 not installed',
}, async () => {
  const seen = server.requests.length;
  const out = await kubectl(K127 as string, 'create', '--validate=strict', '--dry-run=client', '-f', manifest, '-o', 'name');
  assert.equal(out.trim(), 'configmap/cm1');
  const v2 = server.requests.slice(seen).find((r) => r.url.startsWith('/openapi/v2'));
  assert.ok(v2, 'kubectl 1.27 fetched /openapi/v2');
  assert.equal(v2.status, 200);
  assert.match(v2.accept, /application\/com\.github\.proto-openapi\.spec\.v2@v1\.0\+protobuf/);
});

test('kubectl 1.33 create --validate=strict uses the v3 fieldValidation check', {
  skip: K133 ? false : 'kubectl.1.33 not installed',
}, async () => {
  const seen = server.requests.length;
  const out = await kubectl(K133 as string, 'create', '--validate=strict', '--dry-run=client', '-f', manifest, '-o', 'name');
  assert.equal(out.trim(), 'configmap/cm1');
  assert.ok(server.requests.slice(seen).some((r) => r.url.startsWith('/openapi/v3/api/v1?hash=') && r.status === 200));
});

test('kubectl 1.27 leaves unknown fields to the server once /openapi/v2 shows fieldValidation', {
  skip: K127 ? false : 'kubectl.1.27 not installed',
}, async () => {
  const bogus = join(dirname(manifest), 'bogus.yaml');
  await writeFile(bogus, 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm2\nbogusField: 1\n');
  const out = await kubectl(K127 as string, 'create', '--validate=strict', '--dry-run=client', '-f', bogus, '-o', 'name');
  assert.equal(out.trim(), 'configmap/cm2');
});
