/**
 * What the apiserver itself keeps in place (upstream's bootstrap controller): the system
 * namespaces, the `kubernetes` Service in default with Endpoints (and an EndpointSlice)
 * pointing at this server, and the kube-dns Service in kube-system (as kubeadm's CoreDNS addon
 * creates it, without a selector: each agent's DNS server adds its own EndpointSlice).
 */
import type { KubeObject } from '../machinery/object.js';
import { isStatusError } from '../machinery/errors.js';
import type { ApiRegistry } from './api-registry.js';
import type { WriteOptions } from './registry/context.js';
import type { ResourceStore } from './registry/store.js';
import { SYSTEM_PRIORITY_CLASSES } from './admission/priority.js';
import { cloneJson } from '../machinery/clone.js';
import { LOCAL_PATH_STORAGE_CLASS } from '../api/storage/local-path-class.js';

export const SYSTEM_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

export interface BootstrapOptions {
  registry: ApiRegistry;
  serviceIP: string;
  /** The address and port clients in the cluster reach the apiserver at; without one, no Endpoints are written. */
  endpointIP?: string;
  endpointPort: number;
  /** kube-dns' cluster IP (the 10th address of the service CIDR, or --cluster-dns'); without one, no kube-dns Service. */
  dnsServiceIP?: string;
}

function systemWrite(): WriteOptions {
  return {
    user: { name: 'system:apiserver', groups: ['system:masters'] },
    dryRun: false,
    fieldManager: 'kube-apiserver',
    fieldValidation: 'Ignore',
    warnings: [],
  };
}

function mustStore(registry: ApiRegistry, group: string, version: string, plural: string): ResourceStore {
  const store = registry.lookup(group, version, plural);
  if (!store) throw new Error(`bootstrap: ${plural} not served`);
  return store;
}

async function ensure(store: ResourceStore, namespace: string, desired: KubeObject, same: (cur: KubeObject) => boolean): Promise<void> {
  const name = desired.metadata.name ?? '';
  const current = await store.read(namespace, name);
  if (!current) {
    try {
      await store.create(namespace, cloneJson(desired), systemWrite());
    } catch (err) {
      if (!isStatusError(err, 'AlreadyExists')) throw err;
    }
    return;
  }
  if (same(current.obj)) return;
  await store.update(
    {
      namespace,
      name,
      tryUpdate: (cur) => {
        for (const [k, v] of Object.entries(desired)) if (k !== 'metadata') cur[k] = cloneJson(v);
        cur.metadata.labels = { ...cur.metadata.labels, ...desired.metadata.labels };
        return cur;
      },
    },
    systemWrite(),
  );
}

/** kube-system/kube-dns with upstream's labels and ports, created when missing. */
async function ensureKubeDNS(registry: ApiRegistry, clusterIP: string): Promise<void> {
  const ports = [
    { name: 'dns', port: 53, protocol: 'UDP', targetPort: 53 },
    { name: 'dns-tcp', port: 53, protocol: 'TCP', targetPort: 53 },
    { name: 'metrics', port: 9153, protocol: 'TCP', targetPort: 9153 },
  ];
  await ensure(
    mustStore(registry, '', 'v1', 'services'),
    'kube-system',
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: {
        name: 'kube-dns',
        namespace: 'kube-system',
        labels: { 'k8s-app': 'kube-dns', 'kubernetes.io/cluster-service': 'true', 'kubernetes.io/name': 'CoreDNS' },
        annotations: { 'prometheus.io/port': '9153', 'prometheus.io/scrape': 'true' },
      },
      spec: { type: 'ClusterIP', clusterIP, ports, sessionAffinity: 'None' },
    },
    // once there, it is the cluster's (a cluster IP cannot change in place)
    () => true,
  );
}

export async function bootstrapCluster(options: BootstrapOptions): Promise<void> {
  const { registry } = options;
  const namespaces = mustStore(registry, '', 'v1', 'namespaces');
  for (const name of SYSTEM_NAMESPACES) {
    await ensure(namespaces, '', { apiVersion: 'v1', kind: 'Namespace', metadata: { name } }, () => true);
  }
  const priorityClasses = mustStore(registry, 'scheduling.k8s.io', 'v1', 'priorityclasses');
  for (const pc of SYSTEM_PRIORITY_CLASSES) {
    await ensure(
      priorityClasses,
      '',
      {
        apiVersion: 'scheduling.k8s.io/v1',
        kind: 'PriorityClass',
        metadata: { name: pc.name },
        value: pc.value,
        description: pc.description,
        preemptionPolicy: 'PreemptLowerPriority',
      },
      () => true,
    );
  }
  // the default class when missing (as k3s' manifest at each start); never changed: a user may change which class is default
  await ensure(mustStore(registry, 'storage.k8s.io', 'v1', 'storageclasses'), '', LOCAL_PATH_STORAGE_CLASS, () => true);
  const port = { name: 'https', port: 443, protocol: 'TCP', targetPort: options.endpointPort };
  const labels = { component: 'apiserver', provider: 'kubernetes' };
  await ensure(
    mustStore(registry, '', 'v1', 'services'),
    'default',
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'kubernetes', namespace: 'default', labels },
      spec: { type: 'ClusterIP', clusterIP: options.serviceIP, ports: [port], sessionAffinity: 'None' },
    },
    (cur) => (cur['spec'] as { clusterIP?: string } | undefined)?.clusterIP === options.serviceIP,
  );
  if (options.dnsServiceIP) {
    // never fatal: a data dir from before may have handed the address to a Service of a user's
    await ensureKubeDNS(registry, options.dnsServiceIP).catch((err: Error) =>
      console.error(`k8ts: no kube-system/kube-dns Service at ${options.dnsServiceIP}: ${err.message}`),
    );
  }
  if (!options.endpointIP) return;
  const subsets = [{ addresses: [{ ip: options.endpointIP }], ports: [{ name: 'https', port: options.endpointPort, protocol: 'TCP' }] }];
  await ensure(
    mustStore(registry, '', 'v1', 'endpoints'),
    'default',
    {
      apiVersion: 'v1',
      kind: 'Endpoints',
      metadata: { name: 'kubernetes', namespace: 'default', labels: { 'endpointslice.kubernetes.io/skip-mirror': 'true' } },
      subsets,
    },
    (cur) => JSON.stringify(cur['subsets']) === JSON.stringify(subsets),
  );
  const slicePorts = [{ name: 'https', port: options.endpointPort, protocol: 'TCP' }];
  const endpoints = [{ addresses: [options.endpointIP], conditions: { ready: true } }];
  await ensure(
    mustStore(registry, 'discovery.k8s.io', 'v1', 'endpointslices'),
    'default',
    {
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: { name: 'kubernetes', namespace: 'default', labels: { 'kubernetes.io/service-name': 'kubernetes' } },
      addressType: 'IPv4',
      endpoints,
      ports: slicePorts,
    },
    (cur) => JSON.stringify(cur['endpoints']) === JSON.stringify(endpoints) && JSON.stringify(cur['ports']) === JSON.stringify(slicePorts),
  );
}
