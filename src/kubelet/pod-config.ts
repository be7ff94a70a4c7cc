/**
 * The runtime configs of a pod from its whole spec, on top of container-config.ts's base
 * (kuberuntime generatePodSandboxConfig, generateContainerConfig): the sandbox's hostname, DNS
 * (dns.ts), host namespaces and security context; a container's environment (container-env.ts)
 * with `$(VAR)` expanded in command and args, its cgroup resources and OOM score (qos.ts), its
 * security context and the runAsNonRoot check (security-context.ts), and the kubelet-managed
 * /etc/hosts (etc-hosts.ts). Failures of the spec throw CreateContainerConfigError.
 *
 *   generatePodSandboxConfig(ctx, pod, attempt): Promise<PodSandboxConfig>
 *   generateContainerConfig(ctx, pod, container, imageRef, attempt, isInit, sandbox): Promise<ContainerConfig>
 */
import { readFile, rm, rmdir } from 'node:fs/promises';
import { join } from 'node:path';
import { asObj, objs, str, type Obj } from '../api/core/access.js';
import type { EventRecorder } from '../client/interface.js';
import type { KubeObject } from '../machinery/object.js';
import { parseQuantity } from '../machinery/quantity.js';
import { containerConfigFor, sandboxConfigFor } from './container-config.js';
import { makeEnvironmentVariables } from './container-env.js';
import { kernelHostname, parseResolvConf, podDNSConfig, wantsClusterDNS } from './dns.js';
import type { NodeAllocatable } from './downward-api.js';
import { ETC_HOSTS_PATH, writePodHostsFile } from './etc-hosts.js';
import { expandContainerCommandAndArgs } from './expansion.js';
import { ensurePodCgroup, podCgroupName, removePodCgroup } from './pod-cgroups.js';
import type { PodObjects } from './pod-objects.js';
import { linuxContainerResources } from './qos.js';
import { sandboxSysctls } from './sysctls.js';
import type { ContainerConfig, Mount, PodSandboxConfig, PodSandboxStatus, Runtime } from './runtime/interface.js';
import {
  formatPod,
  imageUser,
  linuxContainerSecurityContext,
  linuxSandboxSecurityContext,
  verifyRunAsNonRoot,
} from './security-context.js';

/** The kubelet's settings for pod configs (flags of the server and the agent). */
export interface PodConfigOptions {
  /** --cluster-dns: the cluster DNS servers; none makes ClusterFirst pods use the node's resolv.conf. */
  clusterDNS?: string[];
  /** --cluster-domain (default cluster.local). */
  clusterDomain?: string;
  /** The node's resolv.conf (Default dnsPolicy, and searches for ClusterFirst); unset: the runtime's default DNS. */
  resolvConf?: string;
  /** Where the pods' directories are (DIR/<uid>/etc-hosts); unset: no managed /etc/hosts. */
  podsDir?: string;
  /** The node's allocatable cpu and memory (resourceFieldRef defaults, the OOM score of Burstable pods). */
  allocatable?: NodeAllocatable;
  /** The cgroup the QoS hierarchy (kubepods/…) goes under; unset: no pod cgroups, the runtime's default. */
  cgroupRoot?: string;
  /** Where Localhost seccomp profiles are (upstream's <root-dir>/seccomp). */
  seccompProfileRoot?: string;
  /** A real directory for pods' logs (DATA/log/pods), made before each sandbox; unset: the virtual /var/log/pods. */
  podLogsDir?: string;
}

export interface PodConfigContext {
  runtime: Runtime;
  recorder: EventRecorder;
  objects: PodObjects;
  /** The node's IP (status.hostIP; the pod IP of hostNetwork pods). */
  nodeIP: string;
  config: PodConfigOptions;
}

const DEFAULT_CLUSTER_DOMAIN = 'cluster.local';
/** Without a known node size, the OOM score of Burstable pods is computed against 256 GiB. */
const DEFAULT_MEMORY_CAPACITY = 256 * 1024 ** 3;

function clusterDomain(o: PodConfigOptions): string {
  return o.clusterDomain ?? DEFAULT_CLUSTER_DOMAIN;
}

export async function generatePodSandboxConfig(ctx: PodConfigContext, pod: KubeObject, attempt: number): Promise<PodSandboxConfig> {
  const config = sandboxConfigFor(pod, attempt, ctx.config.podLogsDir);
  const spec = asObj(pod['spec']) ?? {};
  config.hostname = kernelHostname(pod, clusterDomain(ctx.config));
  if (ctx.config.resolvConf !== undefined) {
    const host = parseResolvConf(await readFile(ctx.config.resolvConf, 'utf8').catch(() => ''));
    if (!ctx.config.clusterDNS?.length && wantsClusterDNS(pod)) {
      const message =
        'kubelet does not have ClusterDNS IP configured and cannot create Pod using "ClusterFirst" policy. Falling back to "Default" policy.';
      ctx.recorder.event(pod, 'Warning', 'MissingClusterDNS', `pod: "${formatPod(pod)}". ${message}`);
    }
    config.dnsConfig = podDNSConfig(pod, { clusterDNS: ctx.config.clusterDNS ?? [], clusterDomain: clusterDomain(ctx.config), host });
  }
  config.linux = {
    ...config.linux,
    ...(ctx.config.cgroupRoot ? { cgroupParent: podCgroupName(pod, ctx.config.cgroupRoot) } : {}),
    hostPID: spec['hostPID'] === true,
    hostIPC: spec['hostIPC'] === true,
    shareProcessNamespace: spec['shareProcessNamespace'] === true,
    securityContext: linuxSandboxSecurityContext(pod, ctx.config.seccompProfileRoot),
    sysctls: sandboxSysctls(pod),
  };
  return config;
}

/** The pod's IPs: the sandbox's, or the node's for a pod on the host network. */
function podIPsOf(pod: KubeObject, sandbox: PodSandboxStatus | undefined, nodeIP: string): string[] {
  const ips = sandbox?.network?.ip ? [sandbox.network.ip, ...sandbox.network.additionalIps.map((a) => a.ip)] : [];
  if (ips.length === 0 && asObj(pod['spec'])?.['hostNetwork'] === true) return [nodeIP];
  return ips;
}

/** DIR/<uid>/etc-hosts. */
export function podHostsFile(podsDir: string, uid: string): string {
  return join(podsDir, uid, 'etc-hosts');
}

/** Makes the pod's cgroup with its limits before its sandbox starts (when the kubelet manages pod cgroups). */
export async function preparePodSandbox(ctx: PodConfigContext, pod: KubeObject): Promise<void> {
  if (ctx.config.cgroupRoot) await ensurePodCgroup(pod, ctx.config.cgroupRoot);
}

/** Removes what the kubelet made for a pod — its hosts file (and directory once empty), its cgroup — once it is gone. */
export async function removePodResources(config: PodConfigOptions, uid: string): Promise<void> {
  if (!uid) return;
  if (config.cgroupRoot) await removePodCgroup(uid, config.cgroupRoot);
  if (!config.podsDir) return;
  await rm(podHostsFile(config.podsDir, uid), { force: true });
  await rmdir(join(config.podsDir, uid)).catch(() => undefined);
}

function memoryCapacity(o: PodConfigOptions): number {
  return o.allocatable ? parseQuantity(o.allocatable.memory).value() : DEFAULT_MEMORY_CAPACITY;
}

export async function generateContainerConfig(
  ctx: PodConfigContext,
  pod: KubeObject,
  c: Obj,
  imageRef: string,
  attempt: number,
  isInit: boolean,
  sandbox: PodSandboxStatus | undefined,
  volumeMounts: Mount[] = [],
): Promise<ContainerConfig> {
  const config = containerConfigFor(pod, c, imageRef, attempt, isInit, volumeMounts);
  verifyRunAsNonRoot(pod, c, imageUser(await ctx.runtime.imageStatus({ image: imageRef })));
  const podIPs = podIPsOf(pod, sandbox, ctx.nodeIP);
  config.envs = await makeEnvironmentVariables({
    pod,
    container: c,
    objects: ctx.objects,
    recorder: ctx.recorder,
    hostIPs: [ctx.nodeIP],
    podIPs,
    ...(ctx.config.allocatable ? { allocatable: ctx.config.allocatable } : {}),
  });
  const expanded = expandContainerCommandAndArgs(config.command ?? [], config.args ?? [], config.envs);
  config.command = expanded.command;
  config.args = expanded.args;
  config.linux = {
    resources: linuxContainerResources(pod, c, memoryCapacity(ctx.config)),
    securityContext: linuxContainerSecurityContext(pod, c, ctx.config.seccompProfileRoot),
  };
  const mountsHosts = objs(c['volumeMounts']).some((m) => str(m['mountPath']) === ETC_HOSTS_PATH);
  if (ctx.config.podsDir && podIPs.length > 0 && !mountsHosts) {
    const file = podHostsFile(ctx.config.podsDir, pod.metadata.uid ?? '');
    await writePodHostsFile(file, pod, { podIPs, clusterDomain: clusterDomain(ctx.config) });
    config.mounts = [...(config.mounts ?? []), { containerPath: ETC_HOSTS_PATH, hostPath: file }];
  }
  return config;
}
