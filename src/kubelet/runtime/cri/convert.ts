/**
 * Field-for-field translation between runtime/interface.ts and the CRI wire messages of
 * proto.ts: requests are built as protobufjs plain objects (camelCase names, enums by name);
 * responses arrive decoded by connection.ts (int64 as decimal strings, enums by name, absent
 * messages null). Timestamps are nanoseconds on the wire and milliseconds here.
 */
import type {
  Container,
  ContainerConfig,
  ContainerEventResponse,
  ContainerEventType,
  ContainerFilter,
  ContainerMetadata,
  ContainerState,
  ContainerStatus,
  Image,
  ImageSpec,
  Mount,
  PodSandbox,
  PodSandboxConfig,
  PodSandboxFilter,
  PodSandboxMetadata,
  PodSandboxState,
  PodSandboxStatus,
  StringMap,
} from '../interface.js';

/** An int64 as decoded: a decimal string (a number when small enough, from other decoders). */
type Int64 = string | number;

/** Unix nanoseconds → milliseconds (whole, rounded down); 0 stays 0 ("not set"). */
export function msFromNanos(ns: Int64): number {
  if (typeof ns === 'number') return Math.floor(ns / 1e6);
  return ns === '0' || ns === '' ? 0 : Number(BigInt(ns) / 1_000_000n);
}

interface WireImageSpec {
  image: string;
  annotations: StringMap;
}

export interface WirePodSandbox {
  id: string;
  metadata: PodSandboxMetadata | null;
  state: PodSandboxState;
  createdAt: Int64;
  labels: StringMap;
  annotations: StringMap;
  runtimeHandler: string;
}

export interface WirePodSandboxStatus extends WirePodSandbox {
  network: { ip: string; additionalIps: { ip: string }[] } | null;
}

export interface WireContainer {
  id: string;
  podSandboxId: string;
  metadata: ContainerMetadata | null;
  image: WireImageSpec | null;
  imageRef: string;
  state: ContainerState;
  createdAt: Int64;
  labels: StringMap;
  annotations: StringMap;
}

export interface WireContainerStatus {
  id: string;
  metadata: ContainerMetadata | null;
  state: ContainerState;
  createdAt: Int64;
  startedAt: Int64;
  finishedAt: Int64;
  exitCode: number;
  image: WireImageSpec | null;
  imageRef: string;
  reason: string;
  message: string;
  labels: StringMap;
  annotations: StringMap;
  mounts: { containerPath: string; hostPath: string; readonly: boolean }[];
  logPath: string;
}

export interface WireContainerEvent {
  containerId: string;
  containerEventType: ContainerEventType;
  createdAt: Int64;
  podSandboxStatus: WirePodSandboxStatus | null;
  containersStatuses: WireContainerStatus[];
}

export interface WireImage {
  id: string;
  repoTags: string[];
  repoDigests: string[];
  size: Int64;
  spec: WireImageSpec | null;
  pinned: boolean;
  uid?: { value: Int64 } | null;
  username?: string;
}

// ---- requests ----

/**
 * The pod's namespaces, as the kubelet sets them (NamespacesForPod): the node's network, PID and
 * IPC namespaces for hostNetwork, hostPID and hostIPC pods; otherwise one network and IPC
 * namespace per pod and a PID namespace per container (per pod with shareProcessNamespace).
 */
function namespaceOptions(sandbox: PodSandboxConfig): object {
  const l = sandbox.linux;
  return {
    network: l?.hostNetwork ? 'NODE' : 'POD',
    pid: l?.hostPID ? 'NODE' : l?.shareProcessNamespace ? 'POD' : 'CONTAINER',
    ipc: l?.hostIPC ? 'NODE' : 'POD',
  };
}

/** An optional int64 as CRI's Int64Value wrapper. */
function int64Value(v: number | undefined): object | undefined {
  return v === undefined ? undefined : { value: v };
}

function sandboxSecurityContextToWire(c: PodSandboxConfig): object {
  const sc = c.linux?.securityContext;
  return {
    namespaceOptions: namespaceOptions(c),
    runAsUser: int64Value(sc?.runAsUser),
    runAsGroup: int64Value(sc?.runAsGroup),
    readonlyRootfs: sc?.readonlyRootfs === true,
    supplementalGroups: sc?.supplementalGroups ?? [],
    privileged: sc?.privileged === true,
    seccomp: sc?.seccomp,
  };
}

function containerLinuxToWire(c: ContainerConfig, sandbox: PodSandboxConfig): object {
  const sc = c.linux?.securityContext;
  return {
    resources: c.linux?.resources,
    securityContext: {
      namespaceOptions: namespaceOptions(sandbox),
      capabilities: sc?.capabilities,
      privileged: sc?.privileged === true,
      runAsUser: int64Value(sc?.runAsUser),
      runAsGroup: int64Value(sc?.runAsGroup),
      readonlyRootfs: sc?.readonlyRootfs === true,
      supplementalGroups: sc?.supplementalGroups ?? [],
      noNewPrivs: sc?.noNewPrivs === true,
      seccomp: sc?.seccomp,
    },
  };
}

export function imageSpecToWire(spec: ImageSpec): object {
  return { image: spec.image, annotations: spec.annotations ?? {} };
}

/** As upstream's kubelet, no hostname for a pod on the node's network (runc refuses one without a UTS namespace). */
export function sandboxConfigToWire(c: PodSandboxConfig): object {
  return {
    metadata: c.metadata,
    hostname: c.linux?.hostNetwork ? '' : (c.hostname ?? ''),
    logDirectory: c.logDirectory ?? '',
    dnsConfig: c.dnsConfig,
    portMappings: (c.portMappings ?? []).map((p) => ({
      protocol: p.protocol,
      containerPort: p.containerPort,
      hostPort: p.hostPort ?? 0,
      hostIp: p.hostIp ?? '',
    })),
    labels: c.labels ?? {},
    annotations: c.annotations ?? {},
    linux: { cgroupParent: c.linux?.cgroupParent ?? '', securityContext: sandboxSecurityContextToWire(c), sysctls: c.linux?.sysctls ?? {} },
  };
}

export function containerConfigToWire(c: ContainerConfig, sandbox: PodSandboxConfig): object {
  return {
    metadata: c.metadata,
    image: imageSpecToWire(c.image),
    command: c.command ?? [],
    args: c.args ?? [],
    workingDir: c.workingDir ?? '',
    envs: c.envs ?? [],
    mounts: (c.mounts ?? []).map((m) => ({ containerPath: m.containerPath, hostPath: m.hostPath, readonly: m.readonly === true })),
    labels: c.labels ?? {},
    annotations: c.annotations ?? {},
    logPath: c.logPath ?? '',
    stdin: c.stdin === true,
    stdinOnce: c.stdinOnce === true,
    tty: c.tty === true,
    linux: containerLinuxToWire(c, sandbox),
  };
}

export function sandboxFilterToWire(f: PodSandboxFilter | undefined): object | undefined {
  if (!f) return undefined;
  return { id: f.id ?? '', ...(f.state ? { state: { state: f.state } } : {}), labelSelector: f.labelSelector ?? {} };
}

export function containerFilterToWire(f: ContainerFilter | undefined): object | undefined {
  if (!f) return undefined;
  return {
    id: f.id ?? '',
    ...(f.state ? { state: { state: f.state } } : {}),
    podSandboxId: f.podSandboxId ?? '',
    labelSelector: f.labelSelector ?? {},
  };
}

// ---- responses ----

function imageSpecFromWire(w: WireImageSpec | null): ImageSpec {
  if (!w) return { image: '' };
  return Object.keys(w.annotations).length > 0 ? { image: w.image, annotations: w.annotations } : { image: w.image };
}

function sandboxMetadataFromWire(m: PodSandboxMetadata | null): PodSandboxMetadata {
  return { name: m?.name ?? '', uid: m?.uid ?? '', namespace: m?.namespace ?? '', attempt: m?.attempt ?? 0 };
}

function containerMetadataFromWire(m: ContainerMetadata | null): ContainerMetadata {
  return { name: m?.name ?? '', attempt: m?.attempt ?? 0 };
}

export function podSandboxFromWire(w: WirePodSandbox): PodSandbox {
  return {
    id: w.id,
    metadata: sandboxMetadataFromWire(w.metadata),
    state: w.state,
    createdAt: msFromNanos(w.createdAt),
    labels: w.labels,
    annotations: w.annotations,
    runtimeHandler: w.runtimeHandler,
  };
}

export function podSandboxStatusFromWire(w: WirePodSandboxStatus): PodSandboxStatus {
  const status: PodSandboxStatus = podSandboxFromWire(w);
  if (w.network) status.network = { ip: w.network.ip, additionalIps: w.network.additionalIps.map((a) => ({ ip: a.ip })) };
  return status;
}

export function containerFromWire(w: WireContainer): Container {
  return {
    id: w.id,
    podSandboxId: w.podSandboxId,
    metadata: containerMetadataFromWire(w.metadata),
    image: imageSpecFromWire(w.image),
    imageRef: w.imageRef,
    state: w.state,
    createdAt: msFromNanos(w.createdAt),
    labels: w.labels,
    annotations: w.annotations,
  };
}

export function containerStatusFromWire(w: WireContainerStatus): ContainerStatus {
  return {
    id: w.id,
    metadata: containerMetadataFromWire(w.metadata),
    state: w.state,
    createdAt: msFromNanos(w.createdAt),
    startedAt: msFromNanos(w.startedAt),
    finishedAt: msFromNanos(w.finishedAt),
    exitCode: w.exitCode,
    image: imageSpecFromWire(w.image),
    imageRef: w.imageRef,
    reason: w.reason,
    message: w.message,
    labels: w.labels,
    annotations: w.annotations,
    mounts: w.mounts.map((m): Mount => ({ containerPath: m.containerPath, hostPath: m.hostPath, readonly: m.readonly })),
    logPath: w.logPath,
  };
}

export function containerEventFromWire(w: WireContainerEvent): ContainerEventResponse {
  return {
    containerId: w.containerId,
    containerEventType: w.containerEventType,
    createdAt: msFromNanos(w.createdAt),
    ...(w.podSandboxStatus ? { podSandboxStatus: podSandboxStatusFromWire(w.podSandboxStatus) } : {}),
    containersStatuses: w.containersStatuses.map(containerStatusFromWire),
  };
}

export function imageFromWire(w: WireImage): Image {
  return {
    id: w.id,
    repoTags: w.repoTags,
    repoDigests: w.repoDigests,
    size: Number(w.size),
    ...(w.spec?.image ? { spec: imageSpecFromWire(w.spec) } : {}),
    pinned: w.pinned,
    ...(w.uid ? { uid: Number(w.uid.value) } : {}),
    ...(w.username ? { username: w.username } : {}),
  };
}
