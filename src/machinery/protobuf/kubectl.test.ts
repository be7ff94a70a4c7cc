/**
 * The codec against the real client: kubectl 1.32 and 1.33 send `create …` and `auth can-i`
 * bodies as protobuf. A recording HTTPS server decodes each body with decodeProtobufObject and
 * the decoded JSON must equal what the same command prints with `--dry-run=client -o json`.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import '../../api/all-types.js';
import { RecordingApiServer, type RecordedPost } from './testing/recording-apiserver.js';

const run = promisify(execFile);

function kubectlDir(): string {
  try {
    return execFileSync('sh', ['-c', 'dirname "$(readlink -f "$(command -v kubectl)")"'], { encoding: 'utf8' }).trim();
  } catch {
    return '';
  }
}

const DIR = kubectlDir();

/** `args` with `flags` added before any `--` (after it they would be the container command). */
function withFlags(args: readonly string[], ...flags: string[]): string[] {
  const dashes = args.indexOf('--');
  return dashes < 0 ? [...args, ...flags] : [...args.slice(0, dashes), ...flags, ...args.slice(dashes)];
}

/**
 * Go prints a nil slice or map without `omitempty` as null (ClusterRole.rules, TokenRequestSpec
 * audiences); the decoder leaves the field out. Drops such nulls from `want` where `got` has no key.
 */
function withoutGoNulls(want: unknown, got: unknown): unknown {
  if (Array.isArray(want)) return want.map((w, i) => withoutGoNulls(w, Array.isArray(got) ? got[i] : undefined));
  if (typeof want !== 'object' || want === null) return want;
  const g = typeof got === 'object' && got !== null ? (got as Record<string, unknown>) : {};
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(want)) {
    if (v === null && !(k in g)) continue;
    out[k] = withoutGoNulls(v, g[k]);
  }
  return out;
}

interface Case {
  readonly args: readonly string[];
  /** Where the POST goes. */
  readonly path: string;
  /** The command has no --dry-run=client; the decoded object must equal this. */
  readonly want?: Record<string, unknown>;
}

const CASES: readonly Case[] = [
  { args: ['create', 'configmap', 'x', '--from-literal=a=b'], path: '/api/v1/namespaces/default/configmaps' },
  { args: ['create', 'secret', 'generic', 's', '--from-literal=k=v'], path: '/api/v1/namespaces/default/secrets' },
  { args: ['create', 'deployment', 'd', '--image=nginx', '--replicas=2'], path: '/apis/apps/v1/namespaces/default/deployments' },
  { args: ['create', 'namespace', 'n'], path: '/api/v1/namespaces' },
  { args: ['create', 'service', 'clusterip', 's', '--tcp=80:8080'], path: '/api/v1/namespaces/default/services' },
  { args: ['create', 'job', 'j', '--image=busybox'], path: '/apis/batch/v1/namespaces/default/jobs' },
  { args: ['create', 'cronjob', 'c', '--image=busybox', '--schedule=*/1 * * * *'], path: '/apis/batch/v1/namespaces/default/cronjobs' },
  { args: ['create', 'role', 'r', '--verb=get', '--resource=pods'], path: '/apis/rbac.authorization.k8s.io/v1/namespaces/default/roles' },
  {
    args: ['create', 'rolebinding', 'rb', '--role=r', '--user=u'],
    path: '/apis/rbac.authorization.k8s.io/v1/namespaces/default/rolebindings',
  },
  { args: ['create', 'clusterrole', 'cr', '--verb=get', '--resource=nodes'], path: '/apis/rbac.authorization.k8s.io/v1/clusterroles' },
  {
    args: ['create', 'clusterrolebinding', 'crb', '--clusterrole=cr', '--user=u'],
    path: '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings',
  },
  { args: ['create', 'quota', 'q', '--hard=pods=2'], path: '/api/v1/namespaces/default/resourcequotas' },
  { args: ['create', 'priorityclass', 'p', '--value=10'], path: '/apis/scheduling.k8s.io/v1/priorityclasses' },
  {
    args: ['create', 'poddisruptionbudget', 'pdb', '--selector=app=x', '--min-available=1'],
    path: '/apis/policy/v1/namespaces/default/poddisruptionbudgets',
  },
  { args: ['create', 'ingress', 'i', '--rule=foo.com/bar=svc1:8080'], path: '/apis/networking.k8s.io/v1/namespaces/default/ingresses' },
  // More fields per kind: bytes maps, intOrString as string, quantities, pointers to zero values.
  {
    args: ['create', 'secret', 'docker-registry', 'reg', '--docker-server=r.io', '--docker-username=u', '--docker-password=p'],
    path: '/api/v1/namespaces/default/secrets',
  },
  {
    args: ['create', 'secret', 'generic', 'opaque', '--type=example.com/x', '--from-literal=empty=', '--from-literal=k=v'],
    path: '/api/v1/namespaces/default/secrets',
  },
  {
    args: ['create', 'deployment', 'd2', '--image=nginx', '--port=80', '--replicas=0', '--', 'sleep', '1'],
    path: '/apis/apps/v1/namespaces/default/deployments',
  },
  { args: ['create', 'deployment', 'd3', '--image=nginx', '--image=redis:7'], path: '/apis/apps/v1/namespaces/default/deployments' },
  { args: ['create', 'service', 'nodeport', 'np', '--tcp=80:http', '--node-port=30080'], path: '/api/v1/namespaces/default/services' },
  { args: ['create', 'service', 'externalname', 'ext', '--external-name=example.com'], path: '/api/v1/namespaces/default/services' },
  { args: ['create', 'job', 'j2', '--image=busybox', '--', 'date', '-u'], path: '/apis/batch/v1/namespaces/default/jobs' },
  {
    args: ['create', 'role', 'r2', '--verb=get,list', '--resource=pods,pods/log', '--resource-name=a', '--resource-name=b'],
    path: '/apis/rbac.authorization.k8s.io/v1/namespaces/default/roles',
  },
  {
    args: ['create', 'clusterrole', 'cr2', '--verb=get', '--non-resource-url=/logs/*'],
    path: '/apis/rbac.authorization.k8s.io/v1/clusterroles',
  },
  {
    args: ['create', 'clusterrole', 'agg', '--aggregation-rule=rbac.example.com/aggregate=true'],
    path: '/apis/rbac.authorization.k8s.io/v1/clusterroles',
  },
  {
    args: ['create', 'rolebinding', 'rb2', '--clusterrole=view', '--serviceaccount=default:sa', '--group=g'],
    path: '/apis/rbac.authorization.k8s.io/v1/namespaces/default/rolebindings',
  },
  {
    args: ['create', 'quota', 'q2', '--hard=cpu=1500m,memory=1Gi,pods=0', '--scopes=BestEffort,NotTerminating'],
    path: '/api/v1/namespaces/default/resourcequotas',
  },
  {
    args: ['create', 'priorityclass', 'p2', '--value=0', '--global-default=true', '--preemption-policy=Never', '--description=d'],
    path: '/apis/scheduling.k8s.io/v1/priorityclasses',
  },
  {
    args: ['create', 'poddisruptionbudget', 'pdb2', '--selector=app=x,tier notin (a,b)', '--max-unavailable=50%'],
    path: '/apis/policy/v1/namespaces/default/poddisruptionbudgets',
  },
  {
    args: [
      'create',
      'ingress',
      'i2',
      '--class=nginx',
      '--default-backend=svc0:http',
      '--annotation=a=b',
      '--rule=foo.com/*=svc1:8080,tls=cert',
      '--rule=/api=svc2:80',
    ],
    path: '/apis/networking.k8s.io/v1/namespaces/default/ingresses',
  },
  {
    args: ['create', 'cronjob', 'c2', '--image=busybox', '--schedule=0 0 * * *', '--restart=Never', '--', 'echo', 'hi'],
    path: '/apis/batch/v1/namespaces/default/cronjobs',
  },
  {
    args: ['create', 'token', 'sa1'],
    path: '/api/v1/namespaces/default/serviceaccounts/sa1/token',
    want: {
      apiVersion: 'authentication.k8s.io/v1',
      kind: 'TokenRequest',
      metadata: { creationTimestamp: null },
      spec: {},
      status: { expirationTimestamp: null, token: '' },
    },
  },
  {
    args: [
      'create',
      'token',
      'sa2',
      '--audience=api',
      '--audience=vault',
      '--duration=10m',
      '--bound-object-kind=Pod',
      '--bound-object-name=p',
      '--bound-object-uid=u-1',
    ],
    path: '/api/v1/namespaces/default/serviceaccounts/sa2/token',
    want: {
      apiVersion: 'authentication.k8s.io/v1',
      kind: 'TokenRequest',
      metadata: { creationTimestamp: null },
      spec: {
        audiences: ['api', 'vault'],
        expirationSeconds: 600,
        boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: 'p', uid: 'u-1' },
      },
      status: { expirationTimestamp: null, token: '' },
    },
  },
  {
    args: ['auth', 'can-i', 'get', 'pods'],
    path: '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews',
    want: {
      apiVersion: 'authorization.k8s.io/v1',
      kind: 'SelfSubjectAccessReview',
      metadata: { creationTimestamp: null },
      spec: { resourceAttributes: { namespace: 'default', verb: 'get', resource: 'pods' } },
      status: { allowed: false },
    },
  },
  {
    args: ['auth', 'can-i', 'update', 'deployments.apps', '--subresource=scale', '-n', 'kube-system'],
    path: '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews',
    want: {
      apiVersion: 'authorization.k8s.io/v1',
      kind: 'SelfSubjectAccessReview',
      metadata: { creationTimestamp: null },
      spec: {
        resourceAttributes: { namespace: 'kube-system', verb: 'update', group: 'apps', resource: 'deployments', subresource: 'scale' },
      },
      status: { allowed: false },
    },
  },
  {
    args: ['auth', 'can-i', 'get', '/logs'],
    path: '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews',
    want: {
      apiVersion: 'authorization.k8s.io/v1',
      kind: 'SelfSubjectAccessReview',
      metadata: { creationTimestamp: null },
      spec: { nonResourceAttributes: { path: '/logs', verb: 'get' } },
      status: { allowed: false },
    },
  },
  {
    args: ['auth', 'can-i', '--list', '-n', 'ns1'],
    path: '/apis/authorization.k8s.io/v1/selfsubjectrulesreviews',
    want: {
      apiVersion: 'authorization.k8s.io/v1',
      kind: 'SelfSubjectRulesReview',
      metadata: { creationTimestamp: null },
      spec: { namespace: 'ns1' },
      status: { incomplete: false },
    },
  },
];

for (const version of ['1.32', '1.33']) {
  const binary = join(DIR, `kubectl.${version}`);
  describe(`kubectl ${version} protobuf bodies decode to its --dry-run=client JSON`, {
    skip: existsSync(binary) ? false : `${binary} not found`,
  }, () => {
    let tmp = '';
    const server = new RecordingApiServer();
    const kubectl = async (args: readonly string[]): Promise<string> => {
      const { stdout } = await run(binary, withFlags(args, '--kubeconfig', server.kubeconfig, '--cache-dir', join(tmp, 'cache')), {
        env: { ...process.env, HOME: tmp, KUBECONFIG: '' },
        timeout: 30_000,
      });
      return stdout;
    };

    before(async () => {
      tmp = await mkdtemp(join(tmpdir(), `k8ts-pb-kubectl-${version}-`));
      await server.start(tmp);
    });
    after(async () => {
      await server.stop();
      await rm(tmp, { recursive: true, force: true });
    });

    for (const c of CASES) {
      test(c.args.join(' '), async () => {
        const before = server.posts.length;
        const isReview = c.args[0] === 'auth';
        const out = await kubectl(isReview ? c.args : withFlags(c.args, '-o', 'json'));
        const posts: RecordedPost[] = server.posts.slice(before).filter((p) => p.path === c.path);
        assert.equal(posts.length, 1, `want one POST to ${c.path}, got ${JSON.stringify(server.posts.slice(before))}`);
        const post = posts[0] ?? assert.fail('no post');
        assert.equal(post.error, undefined);
        assert.match(post.contentType, /^application\/vnd\.kubernetes\.protobuf/, 'kubectl sent protobuf');
        if (isReview && !c.args.includes('--list')) assert.equal(out.trim(), 'yes');
        const want = c.want ?? (JSON.parse(await kubectl(withFlags(c.args, '--dry-run=client', '-o', 'json'))) as Record<string, unknown>);
        assert.deepEqual(post.object, withoutGoNulls(want, post.object));
      });
    }
  });
}
