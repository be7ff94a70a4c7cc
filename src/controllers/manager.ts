/**
 * The controller manager (kube-controller-manager): one leader at a time, elected on the
 * kube-system/kube-controller-manager Lease, runs every controller over one set of shared
 * informers, through the API like any remote client (DESIGN.md rule 1). Its own identity
 * (system:kube-controller-manager) elects, records events and lists and watches for the
 * informers; each controller writes as its own ServiceAccount (client-builder.ts).
 */
import { componentUserAgent } from '../machinery/platform.js';
import { hostname } from 'node:os';
import { setMaxListeners } from 'node:events';
import { randomUUID } from 'node:crypto';
import type { Clientset, EventRecorder, GroupVersionResource } from '../client/interface.js';
import { HttpsClientset } from '../client/rest.js';
import { loadKubeconfig } from '../client/kubeconfig.js';
import { type ControllerClientBuilder, RootClientBuilder, ServiceAccountClientBuilder } from './client-builder.js';
import { componentInformers, type SharedInformers } from '../client/informer-factory-view.js';
import { RateLimitingQueue } from '../client/workqueue.js';
import { EventBroadcaster } from '../client/events.js';
import { LeaderElector } from '../client/leader-election.js';
import { DeploymentController } from './deployment/deployment-controller.js';
import { ReplicaSetController } from './replicaset/replica-set-controller.js';
import { StatefulSetController } from './statefulset/stateful-set-controller.js';
import { REPLICATION_CONTROLLER_KIND } from './replicaset/kind.js';
import { GarbageCollector } from './garbage-collector/garbage-collector.js';
import type { GCResource } from './garbage-collector/graph.js';
import { NamespaceController } from './namespace/namespace-controller.js';
import { EndpointsController } from './endpoints/endpoints-controller.js';
import { EndpointSliceController } from './endpointslice/endpointslice-controller.js';
import { ServiceAccountsController } from './serviceaccount/serviceaccounts-controller.js';
import { RootCACertPublisher } from './certificates/root-ca-cert-publisher.js';
import { CSRSigningController } from './certificates/csr-signing-controller.js';
import { CSRApprovingController } from './certificates/csr-approving-controller.js';
import { type CertificateAuthority, loadCertificateAuthority } from '../pki/ca.js';
import { NodeLifecycleController } from './node-lifecycle/node-lifecycle-controller.js';
import { TaintEvictionController } from './node-lifecycle/taint-eviction.js';
import { RangeAllocator } from './node-ipam/range-allocator.js';
import { ServiceLBController } from './service-lb/service-lb-controller.js';
import { PersistentVolumeController } from './volume/persistentvolume/pv-controller.js';
import { PVCProtectionController } from './volume/protection/pvc-protection-controller.js';
import { PVProtectionController } from './volume/protection/pv-protection-controller.js';
import { JobController } from './job/job-controller.js';
import { TTLAfterFinishedController } from './ttl-after-finished/ttl-after-finished-controller.js';
import { DisruptionController } from './disruption/disruption-controller.js';
import { CronJobController } from './cronjob/cronjob-controller.js';
import { DaemonSetController } from './daemonset/daemon-set-controller.js';
import { HorizontalController } from './podautoscaler/horizontal.js';
import { ResourceQuotaController } from './resourcequota/resource-quota-controller.js';
import { ClusterRoleAggregationController } from './clusterroleaggregation/clusterrole-aggregation-controller.js';
import type { HorizontalControllerTimings } from './podautoscaler/options.js';
import { ProvisionController } from './volume/provisioner/provision-controller.js';
import { NfsProvisioner } from './volume/nfs/nfs-provisioner.js';
import { TokensController } from './serviceaccount/tokens-controller.js';
import { TokenCleaner } from './bootstrap/token-cleaner.js';
import { LegacyTokenGenerator } from '../apiserver/serviceaccount/legacy-tokens.js';
import { readFile } from 'node:fs/promises';
import { MountedNfsExports } from './volume/nfs/mounted-exports.js';

export interface ControllerManagerOptions {
  /** kubeconfig of the controller manager's identity. */
  kubeconfig: string;
  /**
   * --use-service-account-credentials: each controller acts as its kube-system ServiceAccount
   * (default true, as kubeadm sets it); false: all act as the controller manager.
   */
  useServiceAccountCredentials?: boolean;
  /** The resources the garbage collector and namespace deletion walk (see collectable.ts). */
  resources: readonly GCResource[];
  clusterCIDR: string;
  /** --node-monitor-grace-period of the node lifecycle controller (40 s when absent). */
  nodeMonitorGracePeriodMs?: number;
  /** The --horizontal-pod-autoscaler-* flags (upstream's defaults when absent). */
  horizontalPodAutoscaler?: HorizontalControllerTimings;
  /** --resource-quota-sync-period (5 m when absent). */
  resourceQuotaSyncPeriodMs?: number;
  signal: AbortSignal;
  /** --service-account-private-key-file: the key the token controller signs legacy tokens with (no token controller without). */
  serviceAccountPrivateKeyFile?: string;
  /** --root-ca-file: the CA put in service-account token Secrets' ca.crt. */
  rootCAFile?: string;
  /** --cluster-signing-cert-file and --cluster-signing-key-file: the CA the CSR signing controller signs with (no signing without). */
  clusterSigningCertFile?: string;
  clusterSigningKeyFile?: string;
  /** --cluster-signing-duration (8760h when absent). */
  clusterSigningDurationMs?: number;
  /** Informers shared with other components of the process (pods and nodes with the scheduler). */
  shared?: SharedInformers;
  log?: (message: string) => void;
}

const LEASES: GroupVersionResource = { group: 'coordination.k8s.io', version: 'v1', resource: 'leases' };
const EVENTS: GroupVersionResource = { group: '', version: 'v1', resource: 'events' };

/** The ServiceAccount (upstream's name, bound to system:controller:<name>) each controller acts as. */
export const CONTROLLER_ACCOUNTS = [
  'deployment-controller',
  'replicaset-controller',
  'replication-controller',
  'statefulset-controller',
  'generic-garbage-collector',
  'namespace-controller',
  'endpoint-controller',
  'clusterrole-aggregation-controller',
  'endpointslice-controller',
  'service-account-controller',
  'node-controller',
  'service-lb-controller',
  'persistent-volume-binder',
  'pvc-protection-controller',
  'pv-protection-controller',
  'job-controller',
  'ttl-after-finished-controller',
  'disruption-controller',
  'cronjob-controller',
  'daemon-set-controller',
  'horizontal-pod-autoscaler',
  'nfs-provisioner',
  'token-cleaner',
  'root-ca-cert-publisher',
  'resourcequota-controller',
  'certificate-controller',
] as const;
type ControllerAccount = (typeof CONTROLLER_ACCOUNTS)[number];

/** The builder of the controllers' clients, and what to close after the last term. */
function controllerClientBuilder(options: ControllerManagerOptions, root: Clientset, userAgent: string, log: (m: string) => void) {
  if (options.useServiceAccountCredentials === false) return { builder: new RootClientBuilder({ root }), close: () => {} };
  // the controllers' connections carry no client certificate: their tokens say who they are
  const { cert: _cert, key: _key, token: _token, ...server } = loadKubeconfig(options.kubeconfig);
  const connections = new HttpsClientset({ ...server, userAgent });
  const builder = new ServiceAccountClientBuilder({ root, connections, userAgent, signal: options.signal, log });
  return { builder, close: () => connections.close() };
}

/** Runs for as long as the signal lasts: campaigns for leadership, then runs the controllers. */
export async function runControllerManager(options: ControllerManagerOptions): Promise<void> {
  const log = options.log ?? ((m: string) => console.error(m));
  const userAgent = componentUserAgent('kube-controller-manager');
  const clientset = new HttpsClientset({ kubeconfig: options.kubeconfig, userAgent });
  const clients = controllerClientBuilder(options, clientset, userAgent, log);
  const identity = `${hostname()}_${randomUUID()}`;
  const keys = await tokenKeys(options);
  // one broadcaster for the component's lifetime: the controllers' events and the LeaderElection
  // events on the Lease (source kube-controller-manager)
  const broadcaster = new EventBroadcaster({ client: clientset.resource(EVENTS), log });
  const elector = new LeaderElector({
    client: clientset.resource(LEASES),
    name: 'kube-controller-manager',
    identity,
    recorder: broadcaster.newRecorder({ component: 'kube-controller-manager' }),
    onStartedLeading: (signal) => startControllers(clientset, clients.builder, broadcaster, options, signal, log, keys),
    log,
  });
  try {
    await elector.campaign(options.signal);
  } finally {
    broadcaster.shutdown();
    clients.close();
    clientset.close();
  }
}

interface TokenKeys {
  /** Signs legacy ServiceAccount token Secrets; absent without --service-account-private-key-file. */
  token?: LegacyTokenGenerator;
  /** upstream: --root-ca-file, else the CA of the controller manager's kubeconfig ('' when neither). */
  rootCA: string;
  /** The CSR signing controller's CA; absent without --cluster-signing-cert-file and -key-file. */
  signing?: CertificateAuthority;
}

async function tokenKeys(options: ControllerManagerOptions): Promise<TokenKeys> {
  const rootCA = options.rootCAFile
    ? await readFile(options.rootCAFile, 'utf8')
    : (loadKubeconfig(options.kubeconfig).ca?.toString('utf8') ?? '');
  const { clusterSigningCertFile: certFile, clusterSigningKeyFile: keyFile } = options;
  const signing =
    certFile && keyFile ? await loadCertificateAuthority(await readFile(certFile, 'utf8'), await readFile(keyFile, 'utf8')) : undefined;
  const keyFileSA = options.serviceAccountPrivateKeyFile;
  const token = keyFileSA ? new LegacyTokenGenerator({ privateKeyPem: await readFile(keyFileSA, 'utf8') }) : undefined;
  return { rootCA, ...(token ? { token } : {}), ...(signing ? { signing } : {}) };
}

async function startControllers(
  clientset: Clientset,
  builder: ControllerClientBuilder,
  broadcaster: EventBroadcaster,
  options: ControllerManagerOptions,
  signal: AbortSignal,
  log: (m: string) => void,
  keys: TokenKeys,
): Promise<void> {
  // every controller, informer and queue listens for the same abort
  setMaxListeners(0, signal);
  // handlers on the shared informers end with the term; the shared caches stay warm
  const informers = componentInformers({
    clientset,
    onError: (err) => log(`informer: ${(err as Error).message}`),
    shared: options.shared,
    signal,
  });
  const recorder = (component: string): EventRecorder => broadcaster.newRecorder({ component, host: hostname() });
  const newQueue = () => new RateLimitingQueue();
  const clients = new Map(await Promise.all(CONTROLLER_ACCOUNTS.map(async (name) => [name, await builder.client(name)] as const)));
  // what every controller is made of: its own client, the shared informers, a queue
  const base = (account: ControllerAccount) => ({ client: clients.get(account) as Clientset, informers, newQueue, log });
  const root = { client: clientset, informers, newQueue, log };
  const namespaced = options.resources.filter((r) => r.namespaced).map((r) => r.gvr);

  const runs: Promise<void>[] = [
    new DeploymentController({ ...base('deployment-controller'), recorder: recorder('deployment-controller') }).run(5, signal),
    new ReplicaSetController({ ...base('replicaset-controller'), recorder: recorder('replicaset-controller') }).run(5, signal),
    new ReplicaSetController({
      ...base('replication-controller'),
      kind: REPLICATION_CONTROLLER_KIND,
      recorder: recorder('replication-controller'),
    }).run(5, signal),
    new StatefulSetController({ ...base('statefulset-controller'), recorder: recorder('statefulset-controller') }).run(5, signal),
    new GarbageCollector({ ...base('generic-garbage-collector'), resources: options.resources }).run(signal),
    new NamespaceController({ ...base('namespace-controller'), resources: namespaced }).run(signal),
    new EndpointsController(base('endpoint-controller')).run(signal),
    new ClusterRoleAggregationController(base('clusterrole-aggregation-controller')).run(signal),
    new EndpointSliceController(base('endpointslice-controller')).run(signal),
    new ServiceAccountsController(base('service-account-controller')).run(signal),
    // upstream's tokens controller acts as the controller manager itself
    ...(keys.token ? [new TokensController({ ...root, token: keys.token, rootCA: keys.rootCA }).run(1, signal)] : []),
    new TokenCleaner(base('token-cleaner')).run(signal),
    ...(keys.signing
      ? [
          new CSRSigningController({
            ...base('certificate-controller'),
            ca: keys.signing,
            ...(options.clusterSigningDurationMs ? { durationMs: options.clusterSigningDurationMs } : {}),
          }).run(signal),
        ]
      : []),
    new CSRApprovingController(base('certificate-controller')).run(signal),
    ...(keys.rootCA ? [new RootCACertPublisher({ ...base('root-ca-cert-publisher'), rootCA: keys.rootCA }).run(signal)] : []),
    new NodeLifecycleController({
      ...base('node-controller'),
      recorder: recorder('node-controller'),
      ...(options.nodeMonitorGracePeriodMs ? { nodeMonitorGracePeriodMs: options.nodeMonitorGracePeriodMs } : {}),
    }).run(signal),
    // upstream's taint eviction acts with the node controller's role
    new TaintEvictionController({ ...base('node-controller'), recorder: recorder('taint-eviction-controller') }).run(signal),
    new RangeAllocator({ ...base('node-controller'), recorder: recorder('node-ipam-controller'), clusterCIDR: options.clusterCIDR }).run(
      signal,
    ),
    new ServiceLBController({ ...base('service-lb-controller'), recorder: recorder('service-controller') }).run(signal),
    new PersistentVolumeController({ ...base('persistent-volume-binder'), recorder: recorder('persistentvolume-controller') }).run(signal),
    new PVCProtectionController(base('pvc-protection-controller')).run(signal),
    new PVProtectionController(base('pv-protection-controller')).run(signal),
    new JobController({ ...base('job-controller'), recorder: recorder('job-controller') }).run(5, signal),
    new TTLAfterFinishedController(base('ttl-after-finished-controller')).run(5, signal),
    new DisruptionController({
      ...base('disruption-controller'),
      recorder: recorder('controllermanager'),
      resources: options.resources,
    }).run(signal),
    new CronJobController({ ...base('cronjob-controller'), recorder: recorder('cronjob-controller') }).run(5, signal),
    new DaemonSetController({ ...base('daemon-set-controller'), recorder: recorder('daemonset-controller') }).run(2, signal),
    new HorizontalController({
      ...base('horizontal-pod-autoscaler'),
      mapper: clientset,
      recorder: recorder('horizontal-pod-autoscaler'),
      timings: options.horizontalPodAutoscaler,
    }).run(5, signal),
    new ResourceQuotaController({
      ...base('resourcequota-controller'),
      resources: options.resources,
      ...(options.resourceQuotaSyncPeriodMs ? { resyncPeriodMs: options.resourceQuotaSyncPeriodMs } : {}),
    }).run(signal),
    new ProvisionController({
      ...base('nfs-provisioner'),
      queue: newQueue(),
      recorder: recorder('k8ts.io/nfs'),
      provisioner: new NfsProvisioner({ exports: new MountedNfsExports() }),
    }).run(signal),
  ];
  informers.start(signal);
  await Promise.all(runs);
}
