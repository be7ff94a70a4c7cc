/**
 * The core kubectl scenario against a real `k8ts server`, with every kubectl from 1.27 to
 * 1.33: generator commands, apply (client-side, edited, server-side), every get output,
 * watch, label/annotate/patch, scale, diff, replace, delete with each cascade, explain,
 * api-resources, auth can-i, and errors printed as against upstream.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { readKubeconfig } from './support/http.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { REPO, startServer, type TestServer } from './support/server.js';
import { KUBECTL_VERSIONS, kubectl, kubectlBinary, type Kubectl, ok } from './support/kubectl.js';

const FIXTURES = join(REPO, 'test', 'fixtures');

/** A kubeconfig for the same server that authenticates with a bearer token only. */
async function tokenKubeconfig(admin: string, token: string, path: string): Promise<string> {
  const tls = readKubeconfig(admin);
  const config = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'k8ts', cluster: { server: tls.server, 'certificate-authority-data': tls.ca.toString('base64') } }],
    users: [{ name: 'token', user: { token } }],
    contexts: [{ name: 'token', context: { cluster: 'k8ts', user: 'token' } }],
    'current-context': 'token',
  };
  await writeFile(path, JSON.stringify(config), { mode: 0o600 });
  return path;
}

let server: TestServer;
let cacheRoot: string;

before(async () => {
  server = await startServer();
  cacheRoot = await mkdtemp(join(tmpdir(), 'k8ts-kubectl-cache-'));
});

after(async () => {
  await server?.stop();
  await server?.cleanup();
  if (cacheRoot) await rm(cacheRoot, { recursive: true, force: true });
});

for (const version of KUBECTL_VERSIONS) {
  describe(`kubectl ${version}`, () => {
    const ns = `e2e-${version.replace('.', '-')}`;
    let k: Kubectl;
    const n = (args: string[]): string[] => ['-n', ns, ...args];

    before(() => {
      k = kubectl(version, server.kubeconfig, join(cacheRoot, version));
    });

    it('creates a namespace and objects with generator commands', async () => {
      assert.match(ok(await k(['create', 'namespace', ns]), 'create ns'), new RegExp(`namespace/${ns} created`));
      assert.match(ok(await k(n(['create', 'configmap', 'cm1', '--from-literal=a=b'])), 'create cm'), /configmap\/cm1 created/);
      assert.match(ok(await k(n(['create', 'secret', 'generic', 's1', '--from-literal=k=v'])), 'create secret'), /secret\/s1 created/);
      assert.match(
        ok(await k(n(['create', 'deployment', 'web', '--image=nginx', '--replicas=2'])), 'create deploy'),
        /deployment.apps\/web created/,
      );
      const secret = JSON.parse(ok(await k(n(['get', 'secret', 's1', '-o', 'json'])), 'get secret')) as {
        data: Record<string, string>;
        type: string;
      };
      assert.equal(Buffer.from(secret.data['k'] ?? '', 'base64').toString(), 'v');
      assert.equal(secret.type, 'Opaque');
    });

    it('applies a multi-document file, an edited one, then server-side', async () => {
      const first = ok(await k(n(['apply', '-f', join(FIXTURES, 'app.yaml')])), 'apply');
      assert.match(first, /configmap\/app-config created/);
      assert.match(first, /service\/shop created/);
      assert.match(first, /deployment.apps\/shop created/);
      const second = ok(await k(n(['apply', '-f', join(FIXTURES, 'app-edited.yaml')])), 'apply edited');
      assert.match(second, /configmap\/app-config configured/);
      assert.match(second, /service\/shop unchanged/);
      assert.match(second, /deployment.apps\/shop configured/);
      assert.equal(ok(await k(n(['get', 'cm', 'app-config', '-o', 'jsonpath={.data.mode}'])), 'get mode'), 'green');
      const env = ok(await k(n(['get', 'deploy', 'shop', '-o', 'jsonpath={.spec.template.spec.containers[0].env[0].value}'])), 'get env');
      assert.equal(env, 'green');
      // kubectl takes over what client-side apply owned when the values still agree
      const ssa = ok(await k(n(['apply', '--server-side', '-f', join(FIXTURES, 'app-edited.yaml')])), 'apply --server-side');
      assert.match(ssa, /configmap\/app-config serverside-applied/);
      const intruder = await k(n(['apply', '--server-side', '--field-manager=intruder', '-f', join(FIXTURES, 'app.yaml')]));
      assert.notEqual(intruder.code, 0);
      assert.match(intruder.stderr, /Apply failed with \d+ conflicts?: conflicts? with "kubectl"/);
      const forced = ok(
        await k(n(['apply', '--server-side', '--field-manager=intruder', '--force-conflicts', '-f', join(FIXTURES, 'app-edited.yaml')])),
        'apply --force-conflicts',
      );
      assert.match(forced, /configmap\/app-config serverside-applied/);
      const cm = JSON.parse(ok(await k(n(['get', 'cm', 'app-config', '-o', 'json', '--show-managed-fields'])), 'get cm')) as {
        metadata: { managedFields: { manager: string; operation: string }[] };
      };
      assert.ok(cm.metadata.managedFields.some((e) => e.manager === 'intruder' && e.operation === 'Apply'));
    });

    it('gets in every output format', async () => {
      const table = ok(await k(n(['get', 'configmaps'])), 'get cm');
      assert.match(table, /^NAME\s+DATA\s+AGE/m);
      assert.match(table, /^cm1\s+1\s+\S+/m);
      const wide = ok(await k(n(['get', 'svc', '-o', 'wide'])), 'get svc -o wide');
      assert.match(wide, /^NAME\s+TYPE\s+CLUSTER-IP\s+EXTERNAL-IP\s+PORT\(S\)\s+AGE\s+SELECTOR/m);
      assert.match(wide, /^shop\s+ClusterIP\s+10\.\d+\.\d+\.\d+\s+<none>\s+80\/TCP\s+\S+\s+app=shop/m);
      const yaml = ok(await k(n(['get', 'cm', 'cm1', '-o', 'yaml'])), 'get -o yaml');
      assert.match(yaml, /^kind: ConfigMap$/m);
      assert.match(yaml, /^ {2}a: b$/m);
      const json = JSON.parse(ok(await k(n(['get', 'cm', '-o', 'json'])), 'get -o json')) as { kind: string; items: unknown[] };
      assert.equal(json.kind, 'List');
      assert.ok(json.items.length >= 2);
      assert.equal(ok(await k(n(['get', 'deploy', 'web', '-o', 'jsonpath={.spec.replicas}'])), 'jsonpath'), '2');
      const cc = ok(await k(n(['get', 'cm', '-o', 'custom-columns=NAME:.metadata.name,NS:.metadata.namespace'])), 'custom-columns');
      assert.match(cc, new RegExp(`^cm1\\s+${ns}$`, 'm'));
      const labelled = ok(await k(n(['get', 'cm', '-l', 'app=shop', '-o', 'name'])), 'get -l');
      assert.equal(labelled.trim(), 'configmap/app-config');
      const setBased = ok(await k(n(['get', 'cm', '-l', 'app in (shop,other)', '-o', 'name'])), 'get -l set');
      assert.equal(setBased.trim(), 'configmap/app-config');
      const byName = ok(await k(n(['get', 'cm', '--field-selector', 'metadata.name=cm1', '-o', 'name'])), 'field selector');
      assert.equal(byName.trim(), 'configmap/cm1');
      const all = ok(await k(['get', 'cm', '-A']), 'get -A');
      assert.match(all, /^NAMESPACE\s+NAME\s+DATA\s+AGE/m);
      assert.match(all, new RegExp(`^${ns}\\s+cm1\\s`, 'm'));
      const sorted = ok(await k(n(['get', 'cm', '--sort-by=.metadata.name', '-o', 'name'])), 'sort-by');
      const names = sorted.trim().split('\n');
      assert.deepEqual(names, [...names].sort());
      const missing = await k(n(['get', 'cm', 'nope']));
      assert.equal(missing.code, 1);
      assert.equal(missing.stderr.trim(), 'Error from server (NotFound): configmaps "nope" not found');
    });

    it('watches ADDED, MODIFIED and DELETED', async () => {
      const bin = kubectlBinary(version);
      const child = spawn(bin, [
        '--kubeconfig',
        server.kubeconfig,
        '--cache-dir',
        join(cacheRoot, version),
        '-n',
        ns,
        'get',
        'cm',
        '-w',
        '--output-watch-events',
        '-l',
        'watch=me',
      ]);
      let out = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      const until = async (re: RegExp): Promise<void> => {
        const deadline = Date.now() + 15_000;
        while (!re.test(out)) {
          if (Date.now() > deadline) throw new Error(`watch output never matched ${re}: ${out}`);
          await new Promise((r) => setTimeout(r, 50));
        }
      };
      try {
        await new Promise((r) => setTimeout(r, 500));
        ok(await k(n(['create', 'configmap', 'watched', '--from-literal=x=1'])), 'create watched');
        ok(await k(n(['label', 'cm', 'watched', 'watch=me'])), 'label watched');
        await until(/ADDED\s+watched/);
        ok(await k(n(['annotate', 'cm', 'watched', 'note=1'])), 'annotate watched');
        await until(/MODIFIED\s+watched/);
        ok(await k(n(['delete', 'cm', 'watched'])), 'delete watched');
        await until(/DELETED\s+watched/);
      } finally {
        child.kill('SIGTERM');
      }
    });

    it('labels, annotates and patches', async () => {
      assert.match(ok(await k(n(['label', 'cm', 'cm1', 'tier=gold'])), 'label'), /configmap\/cm1 labeled/);
      assert.match(
        ok(await k(n(['annotate', 'cm', 'cm1', 'owner=team-a'])), 'annotate'),
        /configmap\/cm1 annotated?/ /* 1.27 prints "annotate" */,
      );
      ok(await k(n(['patch', 'cm', 'cm1', '--type', 'json', '-p', '[{"op":"add","path":"/data/j","value":"1"}]'])), 'json patch');
      ok(await k(n(['patch', 'cm', 'cm1', '--type', 'merge', '-p', '{"data":{"m":"2"}}'])), 'merge patch');
      ok(
        await k(
          n([
            'patch',
            'deploy',
            'web',
            '--type',
            'strategic',
            '-p',
            '{"spec":{"template":{"spec":{"containers":[{"name":"nginx","image":"nginx:1.27"}]}}}}',
          ]),
        ),
        'strategic patch',
      );
      const cm = JSON.parse(ok(await k(n(['get', 'cm', 'cm1', '-o', 'json'])), 'get')) as {
        data: Record<string, string>;
        metadata: { labels: Record<string, string>; annotations: Record<string, string> };
      };
      assert.deepEqual(cm.data, { a: 'b', j: '1', m: '2' });
      assert.equal(cm.metadata.labels['tier'], 'gold');
      assert.equal(cm.metadata.annotations['owner'], 'team-a');
      const image = ok(await k(n(['get', 'deploy', 'web', '-o', 'jsonpath={.spec.template.spec.containers[*].image}'])), 'image');
      assert.equal(image, 'nginx:1.27');
      const bad = await k(n(['patch', 'cm', 'cm1', '--type', 'json', '-p', '[{"op":"remove","path":"/data/nothere"}]']));
      assert.notEqual(bad.code, 0);
    });

    it('scales, diffs and replaces', async () => {
      assert.match(ok(await k(n(['scale', 'deploy', 'web', '--replicas=3'])), 'scale'), /deployment.apps\/web scaled/);
      assert.equal(ok(await k(n(['get', 'deploy', 'web', '-o', 'jsonpath={.spec.replicas}'])), 'replicas'), '3');
      ok(await k(n(['scale', 'deploy', 'web', '--current-replicas=3', '--replicas=1'])), 'scale --current-replicas');
      const same = await k(n(['diff', '-f', join(FIXTURES, 'app-edited.yaml')]));
      assert.equal(same.code, 0, `diff of an applied file should be empty: ${same.stdout}${same.stderr}`);
      const changed = await k(n(['diff', '-f', join(FIXTURES, 'app.yaml')]));
      assert.equal(changed.code, 1, changed.stderr);
      assert.match(changed.stdout, /-\s+mode: green\n\+\s+mode: blue/);
      const cm = JSON.parse(ok(await k(n(['get', 'cm', 'cm1', '-o', 'json'])), 'get')) as { data: Record<string, string> };
      cm.data['replaced'] = 'yes';
      assert.match(ok(await k(n(['replace', '-f', '-']), { input: JSON.stringify(cm) }), 'replace'), /configmap\/cm1 replaced/);
      const stale = { ...cm, metadata: { ...(cm as unknown as { metadata: object }).metadata, resourceVersion: '1' } };
      const conflict = await k(n(['replace', '-f', '-']), { input: JSON.stringify(stale) });
      assert.notEqual(conflict.code, 0);
      assert.match(
        conflict.stderr,
        /Error from server \(Conflict\): .*Operation cannot be fulfilled on configmaps "cm1": the object has been modified; please apply your changes to the latest version and try again/,
      );
    });

    it('deletes with each cascade mode', async () => {
      ok(await k(n(['create', 'configmap', 'c-bg'])), 'create c-bg');
      assert.match(
        ok(await k(n(['delete', 'cm', 'c-bg', '--cascade=background', '--wait=true', '--timeout=30s'])), 'delete'),
        /configmap "c-bg" deleted/,
      );
      assert.equal((await k(n(['get', 'cm', 'c-bg']))).code, 1);
      // foreground and orphan go through finalizers that the garbage collector completes
      for (const [name, cascade] of [
        ['c-fg', 'foreground'],
        ['c-orphan', 'orphan'],
      ] as const) {
        ok(await k(n(['create', 'configmap', name])), `create ${name}`);
        const out = ok(
          await k(n(['delete', 'cm', name, `--cascade=${cascade}`, '--wait=true', '--timeout=30s'])),
          `delete --cascade=${cascade}`,
        );
        assert.match(out, new RegExp(`configmap "${name}" deleted`));
        assert.equal((await k(n(['get', 'cm', name]))).code, 1, `${name} is gone`);
      }
      const dry = ok(await k(n(['delete', 'cm', 'cm1', '--dry-run=server'])), 'delete --dry-run=server');
      assert.match(dry, /configmap "cm1" deleted \(server dry run\)/);
      ok(await k(n(['get', 'cm', 'cm1'])), 'cm1 survives a dry run');
    });

    it('explains, lists api-resources and answers can-i', async () => {
      const explain = ok(await k(['explain', 'pods.spec.containers']), 'explain');
      assert.match(explain, /image/);
      assert.match(explain, /imagePullPolicy/);
      const resources = ok(await k(['api-resources']), 'api-resources');
      assert.match(resources, /^deployments\s+deploy\s+apps\/v1\s+true\s+Deployment$/m);
      assert.match(resources, /^configmaps\s+cm\s+v1\s+true\s+ConfigMap$/m);
      assert.equal(ok(await k(['auth', 'can-i', 'create', 'deployments']), 'can-i').trim(), 'yes');
      const versions = ok(await k(['api-versions']), 'api-versions');
      assert.match(versions, /^apps\/v1$/m);
    });

    it('issues service-account tokens that authenticate', async () => {
      ok(await k(n(['create', 'serviceaccount', 'robot'])), 'create sa');
      const token = ok(await k(n(['create', 'token', 'robot', '--duration=15m'])), 'create token').trim();
      assert.match(token, /^[\w-]+\.[\w-]+\.[\w-]+$/);
      const robot = kubectl(
        version,
        await tokenKubeconfig(server.kubeconfig, token, join(cacheRoot, `${version}-robot.conf`)),
        join(cacheRoot, `${version}-robot`),
      );
      const asRobot = await robot(n(['get', 'configmaps']));
      assert.equal(asRobot.code, 1);
      assert.match(
        asRobot.stderr,
        new RegExp(`User "system:serviceaccount:${ns}:robot" cannot list resource "configmaps" in API group "" in the namespace "${ns}"`),
      );
      const forged = kubectl(
        version,
        await tokenKubeconfig(server.kubeconfig, `${token}x`, join(cacheRoot, `${version}-forged.conf`)),
        join(cacheRoot, `${version}-forged`),
      );
      assert.match((await forged(n(['get', 'configmaps']))).stderr, /error: You must be logged in to the server/);
    });

    it('reports invalid input as upstream', async () => {
      const invalid = await k(n(['create', 'configmap', 'Bad_Name']));
      assert.equal(invalid.code, 1);
      assert.match(
        invalid.stderr,
        /ConfigMap "Bad_Name" is invalid:[\s\S]*metadata\.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain must consist of/,
      );
      const exists = await k(n(['create', 'configmap', 'cm1']));
      // generator commands print "error: failed to create configmap: …", create -f "Error from server (AlreadyExists): …"
      assert.match(exists.stderr, /configmaps "cm1" already exists/);
      const existsFile = await k(n(['create', '-f', '-']), { input: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm1\n' });
      assert.match(existsFile.stderr, /Error from server \(AlreadyExists\): error when creating "STDIN": configmaps "cm1" already exists/);
      const strict = await k(n(['apply', '-f', '-']), { input: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: strict\nbogus: 1\n' });
      assert.notEqual(strict.code, 0);
      assert.match(strict.stderr, /unknown field "bogus"/);
      ok(await k(n(['get', 'cm'])), 'server still serves');
    });

    it('deletes the namespace', async () => {
      ok(await k(['delete', 'namespace', ns, '--wait=false']), 'delete ns');
    });
  });
}
