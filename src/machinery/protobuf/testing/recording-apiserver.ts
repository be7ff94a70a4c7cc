/**
 * A tiny HTTPS apiserver for tests with real kubectl: it answers legacy discovery for the
 * resources `kubectl create …` and `kubectl auth can-i` touch, records every POST body, decodes
 * protobuf bodies with decodeProtobufObject and replies 201 with the decoded object as JSON.
 */
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFile } from 'node:fs/promises';
import { ensureAdminKubeconfig, ensurePki } from '../../../pki/index.js';
import { isStatusError } from '../../errors.js';
import { decodeProtobufObject } from '../index.js';

export interface RecordedPost {
  readonly path: string;
  readonly contentType: string;
  /** The body decoded to JSON (from protobuf or JSON), or the decode error's message. */
  readonly object?: Record<string, unknown>;
  readonly error?: string;
}

interface Resource {
  name: string;
  kind: string;
  namespaced: boolean;
  verbs: string[];
  group?: string;
  version?: string;
}

const CRUD = ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'];
const r = (name: string, kind: string, namespaced: boolean, verbs = CRUD): Resource => ({ name, kind, namespaced, verbs });

/** group/version → resources; "" group is /api/v1. */
const RESOURCES: Record<string, Resource[]> = {
  v1: [
    r('configmaps', 'ConfigMap', true),
    r('secrets', 'Secret', true),
    r('namespaces', 'Namespace', false),
    r('services', 'Service', true),
    r('pods', 'Pod', true),
    r('nodes', 'Node', false),
    r('resourcequotas', 'ResourceQuota', true),
    r('serviceaccounts', 'ServiceAccount', true),
    {
      name: 'serviceaccounts/token',
      kind: 'TokenRequest',
      namespaced: true,
      verbs: ['create'],
      group: 'authentication.k8s.io',
      version: 'v1',
    },
  ],
  'apps/v1': [r('deployments', 'Deployment', true)],
  'batch/v1': [r('jobs', 'Job', true), r('cronjobs', 'CronJob', true)],
  'rbac.authorization.k8s.io/v1': [
    r('roles', 'Role', true),
    r('rolebindings', 'RoleBinding', true),
    r('clusterroles', 'ClusterRole', false),
    r('clusterrolebindings', 'ClusterRoleBinding', false),
  ],
  'scheduling.k8s.io/v1': [r('priorityclasses', 'PriorityClass', false)],
  'policy/v1': [r('poddisruptionbudgets', 'PodDisruptionBudget', true)],
  'networking.k8s.io/v1': [r('ingresses', 'Ingress', true)],
  'authorization.k8s.io/v1': [
    r('selfsubjectaccessreviews', 'SelfSubjectAccessReview', false, ['create']),
    r('selfsubjectrulesreviews', 'SelfSubjectRulesReview', false, ['create']),
  ],
};

function discovery(path: string): unknown {
  if (path === '/api') return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [] };
  if (path === '/apis') {
    const groups = Object.keys(RESOURCES)
      .filter((gv) => gv.includes('/'))
      .map((gv) => {
        const [name = '', version = ''] = gv.split('/');
        const v = { groupVersion: gv, version };
        return { name, versions: [v], preferredVersion: v };
      });
    return { kind: 'APIGroupList', apiVersion: 'v1', groups };
  }
  const gv = path === '/api/v1' ? 'v1' : path.startsWith('/apis/') ? path.slice('/apis/'.length) : undefined;
  const list = gv === undefined ? undefined : RESOURCES[gv];
  if (!list) return undefined;
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: gv,
    resources: list.map((x) => ({
      name: x.name,
      singularName: x.name.includes('/') ? '' : x.kind.toLowerCase(),
      namespaced: x.namespaced,
      kind: x.kind,
      verbs: x.verbs,
      ...(x.group !== undefined ? { group: x.group, version: x.version } : {}),
    })),
  };
}

function send(res: ServerResponse, code: number, body: unknown): void {
  res.writeHead(code, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

/** What the server answers for a decoded POST: the object back, or a plausible review result. */
function reply(obj: Record<string, unknown>): Record<string, unknown> {
  switch (obj['kind']) {
    case 'SelfSubjectAccessReview':
      return { ...obj, status: { allowed: true } };
    case 'SelfSubjectRulesReview':
      return { ...obj, status: { resourceRules: [], nonResourceRules: [], incomplete: false } };
    case 'TokenRequest':
      return { ...obj, status: { token: 'header.payload.signature', expirationTimestamp: '2030-01-01T00:00:00Z' } };
    default:
      return obj;
  }
}

export class RecordingApiServer {
  readonly posts: RecordedPost[] = [];
  #server: Server | undefined;
  #kubeconfig = '';

  get kubeconfig(): string {
    return this.#kubeconfig;
  }

  /** Generates PKI in `dir`, listens on 127.0.0.1:0 and writes DIR/admin.conf. */
  async start(dir: string): Promise<void> {
    const pki = await ensurePki({
      dir,
      bindAddress: '127.0.0.1',
      serviceIP: '10.96.0.1',
      clusterDomain: 'cluster.local',
      hostAddresses: [],
    });
    const [key, cert] = await Promise.all([readFile(pki.apiServerKey, 'utf8'), readFile(pki.apiServerCert, 'utf8')]);
    const server = createServer({ key, cert }, (req, res) => void this.#handle(req, res));
    this.#server = server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    this.#kubeconfig = await ensureAdminKubeconfig(dir, `https://127.0.0.1:${port}`, pki);
  }

  async stop(): Promise<void> {
    const server = this.#server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    if (req.method === 'GET') {
      if (path === '/version') return send(res, 200, { major: '1', minor: '33', gitVersion: 'v1.33.0-k8ts', platform: 'linux/amd64' });
      const doc = discovery(path);
      return doc === undefined
        ? send(res, 404, { kind: 'Status', apiVersion: 'v1', status: 'Failure', code: 404, reason: 'NotFound' })
        : send(res, 200, doc);
    }
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const contentType = req.headers['content-type'] ?? '';
    try {
      const object = contentType.startsWith('application/vnd.kubernetes.protobuf')
        ? decodeProtobufObject(body)
        : (JSON.parse(body.toString('utf8')) as Record<string, unknown>);
      this.posts.push({ path, contentType, object });
      send(res, 201, reply(object));
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      this.posts.push({ path, contentType, error: message });
      send(res, isStatusError(err) ? err.code : 500, { kind: 'Status', apiVersion: 'v1', status: 'Failure', message, code: 400 });
    }
  }
}
