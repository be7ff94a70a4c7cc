/**
 * A tiny HTTPS apiserver for driving real kubectl binaries against our OpenAPI routes: legacy
 * discovery of the given resources, /version, the OpenAPI handler, 404 for everything else.
 * Every request is recorded with its Accept header and status.
 */
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ResourceType } from '../../../api/resource.js';
import { ALL_VERBS } from '../../../api/resource.js';
import { ensurePki } from '../../../pki/layout.js';
import { ensureAdminKubeconfig } from '../../../pki/kubeconfig.js';
import { handleOpenApi } from '../routes.js';
import type { OpenApiService } from '../service.js';

export interface SeenRequest {
  method: string;
  url: string;
  accept: string;
  status: number;
}

export interface FakeApiServer {
  readonly url: string;
  readonly kubeconfig: string;
  readonly dir: string;
  readonly requests: SeenRequest[];
  close(): Promise<void>;
}

function json(res: import('node:http').ServerResponse, body: unknown, code = 200): void {
  const text = JSON.stringify(body);
  res.writeHead(code, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

function resourceList(groupVersion: string, resources: readonly ResourceType[]): unknown {
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion,
    resources: resources.map((r) => ({
      name: r.plural,
      singularName: r.singular,
      namespaced: r.namespaced,
      kind: r.kind,
      verbs: r.verbs ?? ALL_VERBS,
      ...(r.shortNames ? { shortNames: r.shortNames } : {}),
    })),
  };
}

export async function startFakeApiServer(service: OpenApiService, resources: readonly ResourceType[]): Promise<FakeApiServer> {
  const dir = await mkdtemp(join(tmpdir(), 'k8ts-openapi-'));
  const pki = await ensurePki({ dir, bindAddress: '127.0.0.1', serviceIP: '10.96.0.1', clusterDomain: 'cluster.local' });
  const [key, cert] = await Promise.all([readFile(pki.apiServerKey, 'utf8'), readFile(pki.apiServerCert, 'utf8')]);
  const byGroupVersion = new Map<string, ResourceType[]>();
  for (const r of resources) {
    const gv = r.group === '' ? r.version : `${r.group}/${r.version}`;
    byGroupVersion.set(gv, [...(byGroupVersion.get(gv) ?? []), r]);
  }
  const requests: SeenRequest[] = [];
  let port = 0;
  const server: Server = createServer({ key, cert }, (req, res) => {
    const url = new URL(req.url ?? '/', 'https://127.0.0.1');
    res.on('finish', () =>
      requests.push({ method: req.method ?? '', url: req.url ?? '', accept: req.headers.accept ?? '', status: res.statusCode }),
    );
    const path = url.pathname;
    if (handleOpenApi(service, req, res, url)) return;
    if (path === '/version') return json(res, { major: '1', minor: '33', gitVersion: 'v1.33.0', platform: 'linux/amd64' });
    if (path === '/api') {
      return json(res, {
        kind: 'APIVersions',
        versions: ['v1'],
        serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: `127.0.0.1:${port}` }],
      });
    }
    if (path === '/apis') {
      const groups = [...byGroupVersion.keys()]
        .filter((gv) => gv.includes('/'))
        .map((gv) => {
          const [name, version] = gv.split('/') as [string, string];
          const v = { groupVersion: gv, version };
          return { name, versions: [v], preferredVersion: v };
        });
      return json(res, { kind: 'APIGroupList', apiVersion: 'v1', groups });
    }
    const gv = path.startsWith('/api/') ? path.slice(5) : path.startsWith('/apis/') ? path.slice(6) : undefined;
    const list = gv === undefined ? undefined : byGroupVersion.get(gv);
    if (gv !== undefined && list) return json(res, resourceList(gv, list));
    json(
      res,
      {
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        reason: 'NotFound',
        message: 'the server could not find the requested resource',
        code: 404,
      },
      404,
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
  const url = `https://127.0.0.1:${port}`;
  const kubeconfig = await ensureAdminKubeconfig(dir, url, pki);
  return {
    url,
    kubeconfig,
    dir,
    requests,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await rm(dir, { recursive: true, force: true });
    },
  };
}
