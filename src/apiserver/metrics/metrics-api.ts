/**
 * metrics.k8s.io/v1beta1 as metrics-server serves it: NodeMetrics (`nodes`) and PodMetrics
 * (`pods`), get and list, label selectors and the metadata.name / metadata.namespace field
 * selectors over the nodes and pods the apiserver knows, objects carrying their node's or pod's
 * labels, pods only while Running. A missing node or pod is that object's NotFound; one without
 * metrics yet is the metrics kind's NotFound ("ns/name" for pods). Tables have metrics-server's
 * columns: Name, cpu, memory, Window.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ResourceType, TableColumn } from '../../api/resource.js';
import { defineResource } from '../../api/define.js';
import { asObj, str } from '../../api/core/access.js';
import { newMethodNotSupported, newNotAcceptable, newNotFound } from '../../machinery/errors.js';
import type { KubeObject } from '../../machinery/object.js';
import { newQuantity, newScaledQuantity, parseQuantity } from '../../machinery/quantity.js';
import { rfc3339 } from '../../machinery/time.js';
import { formatGoDuration } from '../../machinery/protobuf/go-duration.js';
import { sendJSON, sendYAML } from '../http/respond.js';
import { negotiateRendering } from '../negotiation.js';
import type { RequestInfo } from '../request-info.js';
import { namespacePrefix } from '../registry/keys.js';
import { newSelection } from '../registry/selection.js';
import type { ResourceStore } from '../registry/store.js';
import { toTable, parseIncludeObject } from '../table.js';
import type { MetricsStorage, PodUsage, Usage } from './metrics-storage.js';

export const METRICS_GROUP = 'metrics.k8s.io';
const VERSION = 'v1beta1';
const API_VERSION = `${METRICS_GROUP}/${VERSION}`;

function column(name: string, format: string, description = ''): TableColumn {
  return { name, type: 'string', format, description, priority: 0 };
}

const usageOf = (obj: KubeObject): Record<string, string> => (asObj(obj['usage']) ?? {}) as Record<string, string>;

/** NodeMetrics and PodMetrics print the same columns: a pod's usage is its containers' sum. */
const metricsPrinter = {
  columns: [
    column('Name', 'name', 'Name of the resource'),
    column('cpu', 'quantity'),
    column('memory', 'quantity'),
    column('Window', 'duration'),
  ],
  row(obj: KubeObject): unknown[] {
    let usage = usageOf(obj);
    if (Array.isArray(obj['containers'])) {
      const sum = (key: string): string =>
        (obj['containers'] as KubeObject[])
          .map((c) => parseQuantity(usageOf(c)[key] ?? '0'))
          .reduce((a, q) => a.add(q))
          .toString();
      usage = obj['containers'].length > 0 ? { cpu: sum('cpu'), memory: sum('memory') } : {};
    }
    return [obj.metadata.name ?? '', usage['cpu'] ?? '', usage['memory'] ?? '', str(obj['window'])];
  },
};

const group = { group: METRICS_GROUP, version: VERSION, verbs: ['get', 'list'], singular: '', printer: metricsPrinter };
export const NODE_METRICS = defineResource({ ...group, kind: 'NodeMetrics', plural: 'nodes', namespaced: false });
export const POD_METRICS = defineResource({ ...group, kind: 'PodMetrics', plural: 'pods', namespaced: true });
/** For discovery, while the metrics can be served. */
export const METRICS_RESOURCES: readonly ResourceType[] = [NODE_METRICS, POD_METRICS];

function cpuQuantity(nanoCores: number): string {
  return newScaledQuantity(nanoCores, -9).toString();
}

function memoryQuantity(bytes: number): string {
  return newQuantity(bytes, 'BinarySI').toString();
}

function window(ms: number): string {
  return formatGoDuration(BigInt(Math.round(ms)) * 1_000_000n);
}

function nodeMetrics(node: KubeObject, usage: Usage, now: number): KubeObject {
  return {
    kind: 'NodeMetrics',
    apiVersion: API_VERSION,
    metadata: {
      name: node.metadata.name,
      creationTimestamp: rfc3339(now),
      ...(node.metadata.labels ? { labels: node.metadata.labels } : {}),
    },
    timestamp: rfc3339(usage.timestamp),
    window: window(usage.windowMs),
    usage: { cpu: cpuQuantity(usage.cpu), memory: memoryQuantity(usage.memory) },
  };
}

function podMetrics(pod: KubeObject, usage: PodUsage, now: number): KubeObject {
  return {
    kind: 'PodMetrics',
    apiVersion: API_VERSION,
    metadata: {
      name: pod.metadata.name,
      namespace: pod.metadata.namespace,
      creationTimestamp: rfc3339(now),
      ...(pod.metadata.labels ? { labels: pod.metadata.labels } : {}),
    },
    timestamp: rfc3339(usage.timestamp),
    window: window(usage.windowMs),
    containers: usage.containers.map((c) => ({ name: c.name, usage: { cpu: cpuQuantity(c.cpu), memory: memoryQuantity(c.memory) } })),
  };
}

export interface MetricsApiOptions {
  storage: MetricsStorage;
  nodes: ResourceStore;
  pods: ResourceStore;
  now?: () => number;
}

/** Serves metrics.k8s.io requests; the group is in discovery only while `available()`. */
export class MetricsApi {
  readonly #o: MetricsApiOptions;

  constructor(options: MetricsApiOptions) {
    this.#o = options;
  }

  available(): boolean {
    return this.#o.storage.ready();
  }

  #nodeItem(node: KubeObject, now: number): KubeObject | undefined {
    const usage = this.#o.storage.node(node.metadata.name ?? '');
    return usage && nodeMetrics(node, usage, now);
  }

  #podItem(pod: KubeObject, now: number): KubeObject | undefined {
    if (str(asObj(pod['status'])?.['phase']) !== 'Running') return undefined;
    const usage = this.#o.storage.pod(`${pod.metadata.namespace}/${pod.metadata.name}`);
    return usage && podMetrics(pod, usage, now);
  }

  /** Answers a get or list of nodes or pods; other verbs are MethodNotAllowed. */
  serve(req: IncomingMessage, res: ServerResponse, url: URL, info: RequestInfo): void {
    const type = info.resource === 'nodes' ? NODE_METRICS : info.resource === 'pods' ? POD_METRICS : undefined;
    if (!type || info.version !== VERSION || info.subresource)
      throw newNotFound({ group: METRICS_GROUP, resource: info.resource }, info.name);
    if (info.verb !== 'get' && info.verb !== 'list')
      throw newMethodNotSupported({ group: METRICS_GROUP, resource: info.resource }, info.verb);
    const now = (this.#o.now ?? Date.now)();
    const source = type === NODE_METRICS ? this.#o.nodes : this.#o.pods;
    const item = (obj: KubeObject) => (type === NODE_METRICS ? this.#nodeItem(obj, now) : this.#podItem(obj, now));
    const rendering = negotiateRendering(req.headers.accept);
    if (!rendering || rendering.kind === 'partial') {
      throw newNotAcceptable('only the following media types are accepted: application/json, application/yaml');
    }
    const namespace = type.namespaced ? info.namespace : '';
    if (info.verb === 'get') {
      const obj = source.cache.get(source.key(namespace, info.name));
      if (!obj) throw newNotFound({ group: '', resource: source.type.plural }, info.name);
      const metrics = item(obj);
      if (!metrics)
        throw newNotFound({ group: METRICS_GROUP, resource: type.kind.toLowerCase() }, namespace ? `${namespace}/${info.name}` : info.name);
      return respond(res, rendering, type, [metrics], metrics);
    }
    const selection = newSelection(
      type,
      url.searchParams.get('labelSelector') ?? undefined,
      url.searchParams.get('fieldSelector') ?? undefined,
    );
    const items = source.cache
      .list(namespacePrefix(source.prefix, namespace))
      .filter((o) => selection.matches(o))
      .flatMap((o) => item(o) ?? []);
    respond(res, rendering, type, items, { kind: `${type.kind}List`, apiVersion: API_VERSION, metadata: {}, items });
  }
}

function respond(
  res: ServerResponse,
  rendering: NonNullable<ReturnType<typeof negotiateRendering>>,
  type: ResourceType,
  items: KubeObject[],
  body: unknown,
): void {
  if (rendering.kind === 'table') {
    const table = toTable(type, items, { include: parseIncludeObject(null), version: rendering.version });
    sendJSON(res, 200, table, `application/json;as=Table;v=${rendering.version};g=meta.k8s.io`);
  } else if (rendering.kind === 'object' && rendering.format === 'yaml') sendYAML(res, 200, body);
  else sendJSON(res, 200, body);
}
