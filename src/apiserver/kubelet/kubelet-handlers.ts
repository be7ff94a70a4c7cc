/**
 * The API's ways to a node's kubelet: pods/log (GET, PodLogOptions), pods/exec, pods/attach and
 * pods/portforward (HTTP Upgrade, piped through untouched) and nodes/{name}/proxy/{path} (any
 * method, plain or Upgrade). Authorization happened before, on the subresource
 * (pods/log, pods/exec, nodes/proxy …), as for any request.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { asObj, str } from '../../api/core/access.js';
import { newBadRequest, newNotFound } from '../../machinery/errors.js';
import type { KubeObject } from '../../machinery/object.js';
import type { RequestInfo } from '../request-info.js';
import type { ResourceStore } from '../registry/store.js';
import { type KubeletClientConfig, kubeletEndpoint } from './kubelet-connection.js';
import { proxyToKubelet, proxyUpgradeToKubelet } from './kubelet-proxy.js';
import { podContainerName } from './pod-container.js';
import { kubeletLogQuery, podLogOptions } from './pod-log-options.js';

export interface KubeletRequest {
  req: IncomingMessage;
  url: URL;
  info: RequestInfo;
  /** The pods' or nodes' store. */
  store: ResourceStore;
  kubelet: KubeletClientConfig | undefined;
  /** A plain request's response, or an Upgrade's socket. */
  res?: ServerResponse;
  upgrade?: { socket: Duplex; head: Buffer };
}

/** The pods subresources a kubelet serves. */
const POD_KUBELET_SUBRESOURCES = new Set(['log', 'exec', 'attach', 'portforward']);

function client(r: KubeletRequest): KubeletClientConfig {
  if (!r.kubelet) throw newBadRequest('the server has no kubelet client configured');
  return r.kubelet;
}

function nodeEndpoint(r: KubeletRequest, nodeName: string) {
  const c = client(r);
  const node = c.node(nodeName);
  if (!node) throw newNotFound({ group: '', resource: 'nodes' }, nodeName);
  return kubeletEndpoint(node, c.preferredAddressTypes);
}

/** GET pods/{name}/log. */
export async function handlePodLog(r: KubeletRequest): Promise<void> {
  const { info } = r;
  const opts = podLogOptions(r.url.searchParams, info.name);
  const pod = r.store.get(info.namespace, info.name);
  const container = podContainerName(pod, opts.container);
  const res = r.res as ServerResponse;
  const nodeName = str(asObj(pod['spec'])?.['nodeName']);
  if (!nodeName) {
    // not yet scheduled: upstream answers an empty log
    res.writeHead(200, { 'Content-Type': 'text/plain' });
    res.end();
    return;
  }
  const path = `/containerLogs/${enc(info.namespace)}/${enc(info.name)}/${enc(container)}${kubeletLogQuery(opts)}`;
  await proxyToKubelet(
    {
      endpoint: nodeEndpoint(r, nodeName),
      client: client(r),
      path,
      req: r.req,
      resource: 'pods/log',
      name: info.name,
      contentType: 'text/plain',
    },
    res,
  );
}

function enc(s: string): string {
  return encodeURIComponent(s);
}

/** pods/{name}/exec|attach|portforward: an Upgrade to the kubelet's /exec, /attach or /portForward. */
export async function handlePodStream(r: KubeletRequest): Promise<void> {
  const { info } = r;
  const pod: KubeObject = r.store.get(info.namespace, info.name);
  const nodeName = str(asObj(pod['spec'])?.['nodeName']);
  if (!nodeName) throw newBadRequest(`pod ${info.name} does not have a host assigned`);
  const query = new URLSearchParams(r.url.search);
  let path: string;
  if (info.subresource === 'portforward') {
    path = `/portForward/${enc(info.namespace)}/${enc(info.name)}`;
  } else {
    const container = podContainerName(pod, query.get('container') ?? '');
    path = `/${info.subresource}/${enc(info.namespace)}/${enc(info.name)}/${enc(container)}`;
  }
  const search = query.toString();
  const target = {
    endpoint: nodeEndpoint(r, nodeName),
    client: client(r),
    path: search ? `${path}?${search}` : path,
    req: r.req,
    resource: `pods/${info.subresource}`,
    name: info.name,
  };
  if (r.upgrade) return proxyUpgradeToKubelet(target, r.upgrade);
  return proxyToKubelet(target, r.res as ServerResponse);
}

const NODE_PROXY = /^\/api\/v1\/nodes\/([^/]+)\/proxy(\/.*)?$/;

/** nodes/{name}[:port]/proxy/{path}: any method, to the kubelet's {path}. */
export async function handleNodeProxy(r: KubeletRequest): Promise<void> {
  const m = NODE_PROXY.exec(r.url.pathname);
  if (!m) throw newNotFound({ group: '', resource: 'nodes/proxy' }, r.info.name);
  const [nodeName = '', port] = decodeURIComponent(m[1] as string).split(':');
  const endpoint = nodeEndpoint(r, nodeName);
  if (port) endpoint.port = Number(port);
  const target = {
    endpoint,
    client: client(r),
    path: `${m[2] ?? '/'}${r.url.search}`,
    req: r.req,
    resource: 'nodes/proxy',
    name: nodeName,
  };
  if (r.upgrade) return proxyUpgradeToKubelet(target, r.upgrade);
  return proxyToKubelet(target, r.res as ServerResponse);
}

/** Serves the request when it is one of these subresources; false otherwise. */
export async function routeKubeletRequest(r: KubeletRequest): Promise<boolean> {
  const { info } = r;
  if (info.group !== '' || !info.isResourceRequest) return false;
  if (info.resource === 'pods' && POD_KUBELET_SUBRESOURCES.has(info.subresource)) {
    if (info.subresource === 'log') {
      if (r.upgrade || info.verb !== 'get') return false;
      await handlePodLog(r);
    } else {
      await handlePodStream(r);
    }
    return true;
  }
  if (info.resource === 'nodes' && info.subresource === 'proxy') {
    await handleNodeProxy(r);
    return true;
  }
  return false;
}
