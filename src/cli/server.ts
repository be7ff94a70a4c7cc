/**
 * `k8ts server`: storage, PKI, the API server and everything it keeps in place. Prints one
 * ready line, and shuts down cleanly on SIGTERM/SIGINT.
 */
import { readFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import { setMaxListeners } from 'node:events';
import { openStorage } from '../storage/index.js';
import { loadEncryptionConfiguration } from '../apiserver/encryption/config.js';
import { ensurePki, ensureAdminKubeconfig, ensureKubeconfig, readCertificateAuthority, type PkiPaths } from '../pki/index.js';
import { kubeletServerTLS } from '../kubelet/server/serving-cert.js';
import { firstHostIPv4 } from '../kubelet/host-node.js';
import { DefaultTolerationSeconds } from '../controllers/node-lifecycle/default-toleration-seconds.js';
import { builtinResources } from '../api/catalog.js';
import { ApiRegistry } from '../apiserver/api-registry.js';
import type { ResourceStore } from '../apiserver/registry/store.js';
import { ApiServer, type VersionInfo } from '../apiserver/server.js';
import { createOpenApiRoutes } from '../apiserver/openapi/index.js';
import { startCustomResources } from '../apiserver/crd/index.js';
import { TokenIssuer } from '../apiserver/serviceaccount/tokens.js';
import { serviceAccountIssuer, startAuthentication } from './authn-flags.js';
import { BootstrapAuthorizer } from '../apiserver/authz/bootstrap.js';
import { RbacAuthorizer, UnionAuthorizer } from '../apiserver/authz/rbac/authorizer.js';
import { NodeAuthorization } from '../apiserver/authz/node/node-authorization.js';
import { RuleResolver } from '../apiserver/authz/rbac/resolver.js';
import { RegistryRbacObjects } from '../apiserver/authz/rbac/registry-objects.js';
import { RbacEscalationPrevention } from '../apiserver/authz/rbac/escalation.js';
import { reconcileBootstrapPolicy } from '../apiserver/authz/rbac/reconcile.js';
import { ServiceAllocation } from '../apiserver/allocators/service-allocation.js';
import { bootstrapCluster } from '../apiserver/bootstrap.js';
import { startCompactor } from '../apiserver/compactor.js';
import { AdmissionChain } from '../apiserver/admission/interface.js';
import { NamespaceLifecycle } from '../apiserver/admission/namespace-lifecycle.js';
import { CertificateSigningRequestRequestor } from '../apiserver/admission/csr-requestor.js';
import { CertificateSubjectRestriction } from '../apiserver/admission/certificate-subject-restriction.js';
import { CertificateApproval, CertificateSigning } from '../apiserver/admission/certificate-signer-authorization.js';
import { PriorityAdmission } from '../apiserver/admission/priority.js';
import { DefaultStorageClassAdmission } from '../apiserver/admission/default-storage-class.js';
import { StorageObjectInUseProtection } from '../apiserver/admission/storage-object-in-use-protection.js';
import { PersistentVolumeClaimResize } from '../apiserver/admission/persistent-volume-claim-resize.js';
import { ValidatingAdmissionPolicyAdmission } from '../apiserver/admission/validating-policy/plugin.js';
import { registryPolicySources } from '../apiserver/admission/validating-policy/sources.js';
import { startPolicyStatus } from '../apiserver/admission/validating-policy/policy-status.js';
import { ServiceAccountAdmission } from '../apiserver/admission/service-account.js';
import { LimitRanger } from '../apiserver/admission/limit-ranger.js';
import { ResourceQuotaAdmission } from '../apiserver/admission/resource-quota.js';
import { PodSecurity } from '../apiserver/admission/pod-security/pod-security.js';
import { parsePodSecurityConfiguration } from '../apiserver/admission/pod-security/config.js';
import { loadAdmissionConfiguration } from '../apiserver/admission/admission-config.js';
import { webhookAdmissionPlugins } from '../apiserver/admission/webhook/plugins.js';
import { CelMatchConditionEvaluator } from '../apiserver/cel/match-conditions.js';
import { managedFieldsTracker } from '../apiserver/registry/managed-fields-tracker.js';
import { realNodeAdvice, realNodeUnavailable } from '../kubelet/containerd/prerequisites.js';
import { hostNodeName } from '../kubelet/host-node.js';
import { nodeServices, realNodeOptions } from './node-services.js';
import { ensureRealNodeKubeconfigs, ensureSimulatedNodesKubeconfig } from './node-identities.js';
import type { KubeletClientConfig } from '../apiserver/kubelet/kubelet-connection.js';
import { MetricsStorage } from '../apiserver/metrics/metrics-storage.js';
import { MetricsApi } from '../apiserver/metrics/metrics-api.js';
import { MetricsScraper } from '../apiserver/metrics/scraper.js';
import { defaultClusterDNS, parseServerFlags, type ServerFlags } from './server-flags.js';
import { startAuditor } from './audit-flags.js';
import { startFlowControl } from './flowcontrol-flags.js';
import { cidrContains, parseCidr } from '../apiserver/allocators/cidr.js';
import { type ComponentsOptions, runComponents } from './components.js';
import { collectableResources } from '../controllers/collectable.js';
import { startComponentsThread, superviseComponentsThread } from './components-thread.js';

export const VERSION: VersionInfo = {
  major: '1',
  minor: '33',
  gitVersion: 'v1.33.0-k8ts.0',
  gitCommit: '0000000000000000000000000000000000000000',
  gitTreeState: 'clean',
  buildDate: '2026-11-21T00:00:00Z',
  goVersion: `node${process.versions.node}`,
  compiler: 'tsc',
  platform: `${process.platform}/${process.arch === 'x64' ? 'amd64' : process.arch}`,
};

export interface RunningServer {
  url: string;
  kubeconfig: string;
  stop(): Promise<void>;
}

/** The address clients use: a wildcard bind address means loopback. */
function clientHost(bindAddress: string): string {
  if (bindAddress === '0.0.0.0' || bindAddress === '') return '127.0.0.1';
  if (bindAddress === '::') return '::1';
  return bindAddress;
}

function urlHost(host: string): string {
  return isIP(host) === 6 ? `[${host}]` : host;
}

export interface StartOptions {
  /**
   * The CLI's entry module: when given, the controller manager, scheduler and simulated nodes
   * run on a worker thread that loads it; otherwise on the server's own thread.
   */
  componentsEntry?: URL;
}

/** The components the flags ask for, each with its own identity's kubeconfig. */
async function componentsOptions(flags: ServerFlags, url: string, pki: PkiPaths): Promise<ComponentsOptions> {
  const options: ComponentsOptions = {};
  if (flags.controllers) {
    // least privilege: RBAC's system:kube-controller-manager and system:kube-scheduler roles
    options.controlPlane = {
      controllerManagerKubeconfig: await ensureKubeconfig(flags.dataDir, url, pki, {
        file: 'controller-manager.conf',
        user: 'system:kube-controller-manager',
        groups: [],
      }),
      useServiceAccountCredentials: flags.useServiceAccountCredentials,
      schedulerKubeconfig: await ensureKubeconfig(flags.dataDir, url, pki, {
        file: 'scheduler.conf',
        user: 'system:kube-scheduler',
        groups: [],
      }),
      clusterCIDR: flags.clusterCIDR,
      nodeMonitorGracePeriodMs: flags.nodeMonitorGracePeriodMs,
      horizontalPodAutoscaler: flags.autoscaling.horizontalPodAutoscaler,
      resourceQuotaSyncPeriodMs: flags.resourceQuotaSyncPeriodMs,
      resources: collectableResources(builtinResources),
      serviceAccountPrivateKeyFile: pki.serviceAccountKey,
      rootCAFile: pki.caCert,
      clusterSigningCertFile: pki.caCert,
      clusterSigningKeyFile: pki.caKey,
      clusterSigningDurationMs: flags.clusterSigningDurationMs,
    };
  }
  if (flags.runtime === 'fake' && flags.fakeNodes > 0) {
    const kubeconfig = await ensureSimulatedNodesKubeconfig(flags.dataDir, url, pki);
    const ca = await readCertificateAuthority(pki);
    const tls = await kubeletServerTLS(hostNodeName(), [], ca.certPem, ca);
    // simulated nodes' kubelets are reached at the engine's one server (their Hostname address)
    options.fakeNodes = { kubeconfig, nodes: flags.fakeNodes, kubeletServer: { tls, port: flags.kubeletPort, hosts: ['127.0.0.1'] } };
  }
  if (flags.runtime === 'containerd' || flags.runtime === 'auto') {
    const unavailable = await realNodeUnavailable();
    if (unavailable) {
      console.error(
        `k8ts: starting without a node: ${realNodeAdvice(unavailable)}, or use --runtime fake --fake-nodes N (--disable-agent: a control plane only)`,
      );
      return options;
    }
    const nodeName = flags.nodeName ?? hostNodeName();
    const { kubelet: kubeconfig, identities } = await ensureRealNodeKubeconfigs(flags.dataDir, url, pki, nodeName);
    const ca = await readCertificateAuthority(pki);
    const nodeIP = flags.nodeIP ?? firstHostIPv4() ?? '127.0.0.1';
    options.realNode = {
      kubeconfig,
      identities,
      kubeletServer: { tls: await kubeletServerTLS(nodeName, [nodeIP], ca.certPem, ca), port: flags.kubeletPort },
      ...realNodeOptions(flags, nodeName),
      services: nodeServices(flags, kubeDNSServiceIP(flags)),
    };
  }
  return options;
}

function mustLookup(registry: ApiRegistry, plural: string): ResourceStore {
  const store = registry.lookup('rbac.authorization.k8s.io', 'v1', plural);
  if (!store) throw new Error(`${plural} not served`);
  return store;
}

/** kube-dns' cluster IP: the first --cluster-dns address when the service CIDR has it, else the CIDR's 10th address. */
function kubeDNSServiceIP(flags: ServerFlags): string {
  const first = flags.clusterDNS[0];
  return first && cidrContains(parseCidr(flags.serviceCIDR), first) ? first : defaultClusterDNS(flags.serviceCIDR);
}

/** Runs the components until `signal` aborts: on a worker thread when `entry` is given. */
async function runComponentsOn(entry: URL | undefined, options: ComponentsOptions, signal: AbortSignal): Promise<void> {
  if (!options.controlPlane && !options.fakeNodes && !options.realNode) return;
  if (!entry) return runComponents(options, signal);
  await superviseComponentsThread(() => startComponentsThread(entry, options), signal);
}

export async function startServer(flags: ServerFlags, options: StartOptions = {}): Promise<RunningServer> {
  const encryption = flags.encryptionProviderConfig ? await loadEncryptionConfiguration(flags.encryptionProviderConfig) : undefined;
  const admissionConfig = flags.admissionControlConfigFile ? await loadAdmissionConfiguration(flags.admissionControlConfigFile) : undefined;
  const podSecurityConfig = admissionConfig?.get('PodSecurity');
  const storage = await openStorage(flags.datastoreEndpoint, flags.dataDir);
  const allocation = new ServiceAllocation({ serviceCIDR: flags.serviceCIDR, nodePortRange: flags.serviceNodePortRange });
  const pki = await ensurePki({
    dir: flags.dataDir,
    bindAddress: flags.bindAddress,
    serviceIP: allocation.firstIP,
    clusterDomain: flags.clusterDomain,
  });
  const admission = new AdmissionChain();
  const registry = new ApiRegistry({ storage, tracker: managedFieldsTracker, admission, ...(encryption ? { encryption } : {}) });
  // system:masters (the bootstrap authorizer), then Node, then RBAC, over the registry's watch caches
  const resolver = new RuleResolver({ objects: new RegistryRbacObjects({ registry }) });
  const node = new NodeAuthorization({ registry });
  const authorizer = new UnionAuthorizer([new BootstrapAuthorizer(), node.authorizer, new RbacAuthorizer({ resolver })]);
  admission.add(new RbacEscalationPrevention({ resolver, authorizer }));
  admission.add(new NamespaceLifecycle(() => registry.lookup('', 'v1', 'namespaces')?.cache));
  admission.add(new CertificateSigningRequestRequestor());
  admission.add(new CertificateSubjectRestriction());
  admission.add(new CertificateApproval({ authorizer }));
  admission.add(new CertificateSigning({ authorizer }));
  admission.add(node.restriction);
  admission.add(new PriorityAdmission(() => registry.lookup('scheduling.k8s.io', 'v1', 'priorityclasses')?.cache));
  admission.add(new DefaultTolerationSeconds({}));
  admission.add(new DefaultStorageClassAdmission(() => registry.lookup('storage.k8s.io', 'v1', 'storageclasses')?.cache));
  admission.add(new StorageObjectInUseProtection());
  admission.add(new PersistentVolumeClaimResize(() => registry.lookup('storage.k8s.io', 'v1', 'storageclasses')?.cache));
  admission.add(
    new ServiceAccountAdmission({
      // without the controller manager nobody makes the default account: no wait for it
      ...(flags.controllers ? {} : { defaultAccountTries: 1 }),
      lookup: (namespace, name) => {
        const accounts = registry.lookup('', 'v1', 'serviceaccounts');
        return accounts?.cache.get(accounts.key(namespace, name));
      },
    }),
  );
  admission.add(new LimitRanger({ limitRanges: () => registry.lookup('', 'v1', 'limitranges')?.cache }));
  admission.add(
    new PodSecurity({
      namespaces: () => registry.lookup('', 'v1', 'namespaces')?.cache,
      pods: () => registry.lookup('', 'v1', 'pods')?.cache,
      ...(podSecurityConfig ? { configuration: parsePodSecurityConfiguration(podSecurityConfig) } : {}),
    }),
  );
  // after the built-in validating plugins, as upstream's ValidatingAdmissionPolicy
  admission.add(new ValidatingAdmissionPolicyAdmission({ sources: registryPolicySources(registry), authorizer }));
  // the webhooks after the built-in plugins of their phase and ValidatingAdmissionPolicy, as upstream orders them
  const webhooks = webhookAdmissionPlugins({ registry, matchConditions: new CelMatchConditionEvaluator({ authorizer }) });
  admission.add(webhooks.mutating);
  admission.add(webhooks.validating);
  // ResourceQuota last: it charges what every other plugin let through
  const quotas = () => registry.lookup('', 'v1', 'resourcequotas');
  admission.add(new ResourceQuotaAdmission({ quotas, configuration: admissionConfig?.get('ResourceQuota') }));
  await Promise.all(
    builtinResources.map(async (type) => {
      const isServices = type.group === '' && type.plural === 'services';
      const store = await registry.add(type, isServices ? allocation : undefined);
      if (isServices) allocation.follow(store.cache);
    }),
  );
  node.start();
  const [key, cert, ca] = await Promise.all([
    readFile(pki.apiServerKey, 'utf8'),
    readFile(pki.apiServerCert, 'utf8'),
    readFile(pki.caCert, 'utf8'),
  ]);
  const tokens = new TokenIssuer({
    privateKeyPem: await readFile(pki.serviceAccountKey, 'utf8'),
    publicKeyPem: await readFile(pki.serviceAccountPublicKey, 'utf8'),
    issuer: serviceAccountIssuer(flags.authentication, flags.clusterDomain),
  });
  const { authenticators, anonymous, tokenReviewer, issuerDiscovery, tokenGetter } = await startAuthentication({
    flags: flags.authentication,
    registry,
    tokens,
  });
  const nodes = registry.lookup('', 'v1', 'nodes');
  const [kubeletClientCert, kubeletClientKey] = await Promise.all([
    readFile(pki.apiServerKubeletClientCert, 'utf8'),
    readFile(pki.apiServerKubeletClientKey, 'utf8'),
  ]);
  const kubelet: KubeletClientConfig = {
    cert: kubeletClientCert,
    key: kubeletClientKey,
    preferredAddressTypes: flags.kubeletPreferredAddressTypes,
    node: (name) => nodes?.cache.get(nodes.key('', name)),
  };
  const metricsStorage = new MetricsStorage();
  const pods = registry.lookup('', 'v1', 'pods');
  const metrics = nodes && pods ? new MetricsApi({ storage: metricsStorage, nodes, pods }) : undefined;
  const openapi = createOpenApiRoutes(builtinResources);
  await reconcileBootstrapPolicy({
    clusterRoles: mustLookup(registry, 'clusterroles'),
    clusterRoleBindings: mustLookup(registry, 'clusterrolebindings'),
  });
  await startCustomResources({ registry, openapi: openapi.service });
  const audit = await startAuditor(flags.audit, (m) => console.error(m));
  const flowControl = await startFlowControl(flags.flowControl, registry, (m) => console.error(m));
  const server = new ApiServer({
    ...(audit ? { audit } : {}),
    flowControl: flowControl.limiter,
    registry,
    tls: { key, cert, ca },
    services: {
      tokens,
      podDisruptionBudgets: registry.lookup('policy', 'v1', 'poddisruptionbudgets'),
      kubelet,
      ...(metrics ? { metrics } : {}),
      tokenReviewer,
      issuerDiscovery,
      tokenGetter,
    },
    authenticators,
    anonymous,
    authorizer,
    version: VERSION,
    openapi,
  });
  const address = await server.listen(flags.securePort, flags.bindAddress);
  const host = clientHost(flags.bindAddress);
  const url = `https://${urlHost(host)}:${address.port}`;
  const kubeconfig = await ensureAdminKubeconfig(flags.dataDir, url, pki);
  await bootstrapCluster({
    registry,
    serviceIP: allocation.firstIP,
    ...(flags.advertiseAddress ? { endpointIP: flags.advertiseAddress } : {}),
    endpointPort: address.port,
    dnsServiceIP: kubeDNSServiceIP(flags),
  });
  const abort = new AbortController();
  setMaxListeners(0, abort.signal);
  const components = await componentsOptions(flags, url, pki);
  const running = runComponentsOn(options.componentsEntry, components, abort.signal);
  const scraper = new MetricsScraper({
    kubelet,
    nodes: () => (nodes ? nodes.cache.list(nodes.prefix) : []),
    storage: metricsStorage,
    resolutionMs: flags.autoscaling.metricResolutionMs,
    log: (m) => console.error(m),
  });
  const scraping = scraper.run(abort.signal);
  startCompactor({ storage, signal: abort.signal, onError: (err) => console.error(`compaction failed: ${(err as Error).message}`) });
  startPolicyStatus({ registry, signal: abort.signal, log: (m) => console.error(m) });
  return {
    url,
    kubeconfig,
    async stop() {
      abort.abort();
      await Promise.all([running, scraping]);
      await server.close();
      flowControl.stop();
      await audit?.close();
      registry.stop();
      await storage.close();
    },
  };
}

export async function runServer(argv: string[], options: StartOptions = {}): Promise<void> {
  const flags = parseServerFlags(argv);
  const running = await startServer(flags, options);
  console.log(`k8ts ready: ${running.url}  export KUBECONFIG=${running.kubeconfig}`);
  let stopping = false;
  const shutdown = (): void => {
    if (stopping) return;
    stopping = true;
    running.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        console.error(err);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
}
