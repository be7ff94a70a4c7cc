/**
 * The container runtime contract of the kubelet, shaped after CRI (k8s.io/cri-api, runtime.v1):
 * RuntimeService (sandboxes, containers, exec, status) and ImageService. Method names and
 * arguments follow the Go `RuntimeService`/`ImageManagerService` of cri-api/pkg/apis, message
 * types are named like CRI's protobuf messages, so a CRI gRPC client (containerd) implements
 * this interface by translating field for field. The fake runtime (runtime/fake) implements it
 * without processes; both pass runtime/testing/conformance.ts.
 *
 * Differences from the wire protocol: timestamps are Unix epoch milliseconds (CRI sends
 * nanoseconds; an implementation converts), enums are string unions, and failures throw
 * RuntimeError with a gRPC-like stable code.
 */

import type { Duplex, Readable, Writable } from 'node:stream';

/** A label or annotation map. */
export type StringMap = Record<string, string>;

export interface KeyValue {
  key: string;
  value: string;
}

/** PodSandboxMetadata: the pod a sandbox belongs to. `attempt` counts re-creations. */
export interface PodSandboxMetadata {
  name: string;
  uid: string;
  namespace: string;
  attempt: number;
}

export interface PortMapping {
  protocol: 'TCP' | 'UDP' | 'SCTP';
  containerPort: number;
  hostPort?: number;
  hostIp?: string;
}

export interface DNSConfig {
  servers: string[];
  searches: string[];
  options: string[];
}

/** PodSandboxConfig: everything the runtime needs to create a pod's sandbox (network namespace, cgroup parent…). */
export interface PodSandboxConfig {
  metadata: PodSandboxMetadata;
  hostname?: string;
  logDirectory?: string;
  dnsConfig?: DNSConfig;
  portMappings?: PortMapping[];
  labels?: StringMap;
  /** The pod's annotations, passed through as the kubelet does. */
  annotations?: StringMap;
  /** Linux-specific settings: host namespaces and the cgroup parent. */
  linux?: {
    cgroupParent?: string;
    hostNetwork?: boolean;
    /** The node's PID namespace (spec.hostPID). */
    hostPID?: boolean;
    /** The node's IPC namespace (spec.hostIPC). */
    hostIPC?: boolean;
    /** One PID namespace for the pod's containers (spec.shareProcessNamespace). */
    shareProcessNamespace?: boolean;
    securityContext?: LinuxSandboxSecurityContext;
    /** Namespaced sysctls for the sandbox (name → value). */
    sysctls?: StringMap;
  };
}

/** SecurityProfile: a seccomp (or AppArmor) profile: the runtime's default, none, or a file on the node. */
export interface SecurityProfile {
  profileType: 'RuntimeDefault' | 'Unconfined' | 'Localhost';
  /** The profile's path on the node, for Localhost. */
  localhostRef?: string;
}

/** LinuxSandboxSecurityContext, less the namespaces (PodSandboxConfig.linux has them). */
export interface LinuxSandboxSecurityContext {
  seccomp?: SecurityProfile;
  runAsUser?: number;
  runAsGroup?: number;
  supplementalGroups?: number[];
  readonlyRootfs?: boolean;
  /** Must be true when a container of the sandbox is privileged. */
  privileged?: boolean;
}

export type PodSandboxState = 'SANDBOX_READY' | 'SANDBOX_NOTREADY';

/** PodSandbox: a sandbox as ListPodSandbox returns it. */
export interface PodSandbox {
  id: string;
  metadata: PodSandboxMetadata;
  state: PodSandboxState;
  createdAt: number;
  labels: StringMap;
  annotations: StringMap;
  runtimeHandler: string;
}

export interface PodSandboxNetworkStatus {
  /** The primary pod IP. */
  ip: string;
  additionalIps: { ip: string }[];
}

/** PodSandboxStatus: a sandbox's state and network. */
export interface PodSandboxStatus extends PodSandbox {
  network?: PodSandboxNetworkStatus;
}

export interface PodSandboxFilter {
  id?: string;
  state?: PodSandboxState;
  /** Every key=value must match the sandbox's labels. */
  labelSelector?: StringMap;
}

/** ImageSpec: an image reference, e.g. "docker.io/library/nginx:latest". */
export interface ImageSpec {
  image: string;
  annotations?: StringMap;
}

export interface ContainerMetadata {
  name: string;
  /** How many times this container was (re)created in the sandbox: the kubelet's restartCount. */
  attempt: number;
}

export interface Mount {
  containerPath: string;
  hostPath: string;
  readonly?: boolean;
}

/** LinuxContainerResources: the container's cgroup settings. */
export interface LinuxContainerResources {
  cpuPeriod?: number;
  cpuQuota?: number;
  cpuShares?: number;
  memoryLimitInBytes?: number;
  oomScoreAdj?: number;
}

/** LinuxContainerSecurityContext, less the namespaces (the sandbox's config has them). */
export interface LinuxContainerSecurityContext {
  capabilities?: { addCapabilities: string[]; dropCapabilities: string[] };
  privileged?: boolean;
  runAsUser?: number;
  runAsGroup?: number;
  readonlyRootfs?: boolean;
  supplementalGroups?: number[];
  noNewPrivs?: boolean;
  seccomp?: SecurityProfile;
}

/** ContainerConfig: one container to create in a sandbox. */
export interface ContainerConfig {
  metadata: ContainerMetadata;
  image: ImageSpec;
  command?: string[];
  args?: string[];
  workingDir?: string;
  envs?: KeyValue[];
  mounts?: Mount[];
  labels?: StringMap;
  annotations?: StringMap;
  logPath?: string;
  stdin?: boolean;
  stdinOnce?: boolean;
  tty?: boolean;
  linux?: { resources?: LinuxContainerResources; securityContext?: LinuxContainerSecurityContext };
}

export type ContainerState = 'CONTAINER_CREATED' | 'CONTAINER_RUNNING' | 'CONTAINER_EXITED' | 'CONTAINER_UNKNOWN';

/** Container: a container as ListContainers returns it. */
export interface Container {
  id: string;
  podSandboxId: string;
  metadata: ContainerMetadata;
  image: ImageSpec;
  /** The resolved image (an image ID or digest reference). */
  imageRef: string;
  state: ContainerState;
  createdAt: number;
  labels: StringMap;
  annotations: StringMap;
}

/** ContainerStatus: a container's state; `startedAt`/`finishedAt` are 0 until they happen. */
export interface ContainerStatus {
  id: string;
  metadata: ContainerMetadata;
  state: ContainerState;
  createdAt: number;
  startedAt: number;
  finishedAt: number;
  /** Valid once EXITED. */
  exitCode: number;
  image: ImageSpec;
  imageRef: string;
  /** A brief CamelCase reason for the state, e.g. "Completed", "Error", "OOMKilled". */
  reason: string;
  message: string;
  labels: StringMap;
  annotations: StringMap;
  mounts: Mount[];
  logPath: string;
}

export interface ContainerFilter {
  id?: string;
  state?: ContainerState;
  podSandboxId?: string;
  labelSelector?: StringMap;
}

export interface ExecSyncResponse {
  stdout: Uint8Array;
  stderr: Uint8Array;
  exitCode: number;
}

/** A terminal size, as the resize stream carries it (remotecommand.TerminalSize). */
export interface TerminalSize {
  Width: number;
  Height: number;
}

/**
 * The streams of an exec or attach, as the kubelet's streaming server terminated them from the
 * client's protocol (SPDY or WebSocket). Absent streams were not asked for. `stdin` ends when
 * the client closes it; `resize` (tty only) yields TerminalSize objects (object mode).
 */
export interface StreamingIO {
  stdin?: Readable;
  stdout?: Writable;
  stderr?: Writable;
  tty: boolean;
  resize?: Readable;
}

/** Image: an image the runtime holds. */
export interface Image {
  id: string;
  repoTags: string[];
  repoDigests: string[];
  size: number;
  spec?: ImageSpec;
  pinned: boolean;
  /** The image's user as a uid, when its config names a numeric one. */
  uid?: number;
  /** The image's user as a name, when its config names a non-numeric one. */
  username?: string;
}

export interface ImageFilter {
  image?: ImageSpec;
}

export interface AuthConfig {
  username?: string;
  password?: string;
  auth?: string;
  serverAddress?: string;
  identityToken?: string;
  registryToken?: string;
}

export interface RuntimeCondition {
  /** RuntimeReady or NetworkReady. */
  type: string;
  status: boolean;
  reason: string;
  message: string;
}

export interface RuntimeStatus {
  conditions: RuntimeCondition[];
  /** With verbose: the runtime's own details (containerd: "config", its CRI config as JSON, with sandboxImage). */
  info?: StringMap;
}

export interface VersionResponse {
  /** The CRI API version the runtime speaks, e.g. "0.1.0". */
  version: string;
  runtimeName: string;
  runtimeVersion: string;
  runtimeApiVersion: string;
}

export type ContainerEventType =
  | 'CONTAINER_CREATED_EVENT'
  | 'CONTAINER_STARTED_EVENT'
  | 'CONTAINER_STOPPED_EVENT'
  | 'CONTAINER_DELETED_EVENT';

/** ContainerEventResponse: one event of GetContainerEvents (the evented PLEG). */
export interface ContainerEventResponse {
  containerId: string;
  containerEventType: ContainerEventType;
  createdAt: number;
  podSandboxStatus?: PodSandboxStatus;
  containersStatuses: ContainerStatus[];
}

/**
 * Stable failure codes, after the gRPC status codes CRI runtimes return. `DeadlineExceeded`: the
 * call's deadline passed (and ExecSync's command ran past its timeout: an exec probe timeout);
 * `Unimplemented`: the runtime does not serve the method; `Unavailable`: the runtime cannot be
 * reached (e.g. containerd restarting).
 */
export type RuntimeErrorCode =
  | 'NotFound'
  | 'AlreadyExists'
  | 'InvalidArgument'
  | 'FailedPrecondition'
  | 'Unavailable'
  | 'DeadlineExceeded'
  | 'Unimplemented'
  | 'Unknown';

export class RuntimeError extends Error {
  readonly code: RuntimeErrorCode;

  constructor(code: RuntimeErrorCode, message: string) {
    super(message);
    this.name = 'RuntimeError';
    this.code = code;
  }
}

export function isRuntimeError(err: unknown, code?: RuntimeErrorCode): err is RuntimeError {
  return err instanceof RuntimeError && (code === undefined || err.code === code);
}

/** RuntimeConfig: what the kubelet tells the runtime once known; today only the node's pod CIDR. */
export interface RuntimeConfig {
  networkConfig?: { podCidr: string };
}

export interface ContainerStatsFilter {
  id?: string;
  podSandboxId?: string;
  labelSelector?: StringMap;
}

/** CpuUsage; `timestamp` in ms, the usage counters in nanoseconds (undefined when the runtime did not say). */
export interface CpuUsage {
  timestamp: number;
  usageCoreNanoSeconds?: number;
  usageNanoCores?: number;
}

export interface MemoryUsage {
  timestamp: number;
  workingSetBytes?: number;
  availableBytes?: number;
  usageBytes?: number;
  rssBytes?: number;
  pageFaults?: number;
  majorPageFaults?: number;
}

export interface FilesystemUsage {
  timestamp: number;
  mountpoint: string;
  usedBytes?: number;
  inodesUsed?: number;
}

/** ContainerStats: a container's resource usage (ListContainerStats). */
export interface ContainerStats {
  attributes: { id: string; metadata: ContainerMetadata; labels: StringMap; annotations: StringMap };
  cpu?: CpuUsage;
  memory?: MemoryUsage;
  writableLayer?: FilesystemUsage;
}

/** CRI RuntimeService. */
export interface RuntimeService {
  /** Version: the runtime's name and version (`containerd` / `fake`), and the CRI version it speaks. */
  version(apiVersion: string): Promise<VersionResponse>;
  /** Status: RuntimeReady and NetworkReady conditions. */
  status(verbose?: boolean): Promise<RuntimeStatus>;
  /** UpdateRuntimeConfig: hands the runtime the node's pod CIDR (spec.podCIDR) for sandbox IPs. */
  updateRuntimeConfig(config: RuntimeConfig): Promise<void>;

  /** RunPodSandbox: creates and starts a pod-level sandbox (network namespace, pod IP); returns its id. */
  runPodSandbox(config: PodSandboxConfig, runtimeHandler?: string): Promise<string>;
  /** StopPodSandbox: stops the sandbox's containers and releases its network; idempotent. */
  stopPodSandbox(podSandboxId: string): Promise<void>;
  /** RemovePodSandbox: removes a sandbox and its containers (stopping them first); idempotent, NotFound is not an error. */
  removePodSandbox(podSandboxId: string): Promise<void>;
  /** PodSandboxStatus: the sandbox's state and IPs; throws NotFound for an unknown id. */
  podSandboxStatus(podSandboxId: string, verbose?: boolean): Promise<PodSandboxStatus>;
  /** ListPodSandbox: the sandboxes matching the filter (all when none). */
  listPodSandbox(filter?: PodSandboxFilter): Promise<PodSandbox[]>;

  /** CreateContainer: creates a container in a READY sandbox (state CREATED); returns its id. */
  createContainer(podSandboxId: string, config: ContainerConfig, sandboxConfig: PodSandboxConfig): Promise<string>;
  /** StartContainer: starts a CREATED container (state RUNNING); FailedPrecondition otherwise. */
  startContainer(containerId: string): Promise<void>;
  /** StopContainer: stops a running container, killing it after `timeout` seconds; idempotent once EXITED. */
  stopContainer(containerId: string, timeout: number): Promise<void>;
  /** RemoveContainer: removes a container (stopping it first if running); NotFound is not an error. */
  removeContainer(containerId: string): Promise<void>;
  /** ListContainers: the containers matching the filter (all when none). */
  listContainers(filter?: ContainerFilter): Promise<Container[]>;
  /** ContainerStatus: throws NotFound for an unknown id. */
  containerStatus(containerId: string, verbose?: boolean): Promise<ContainerStatus>;
  /** ExecSync: runs a command in a RUNNING container and returns its output and exit code. */
  execSync(containerId: string, cmd: string[], timeoutSeconds: number): Promise<ExecSyncResponse>;
  /**
   * GetContainerEvents: streams container lifecycle events (the evented PLEG) until the signal
   * aborts. A runtime without events may never call `onEvent`; the kubelet then relists.
   */
  getContainerEvents(onEvent: (event: ContainerEventResponse) => void, signal: AbortSignal): void;
  /**
   * Exec: runs a command in a RUNNING container with the client's streams attached (CRI's Exec,
   * plus the streaming the kubelet does with the URL it returns); resolves with the exit code
   * once the command ended and its output is written.
   */
  exec(containerId: string, cmd: string[], io: StreamingIO): Promise<number>;
  /** Attach: attaches the streams to a RUNNING container's main process; resolves when the attach ends. */
  attach(containerId: string, io: StreamingIO): Promise<void>;
  /**
   * PortForward: connects `stream` to `port` inside the sandbox's network namespace; resolves when
   * either side closed, rejects with why the connection failed.
   */
  portForward(podSandboxId: string, port: number, stream: Duplex): Promise<void>;
  /** ReopenContainerLog: the runtime reopens the container's log file (after the kubelet renamed it to rotate). */
  reopenContainerLog(containerId: string): Promise<void>;
  /** ListContainerStats: resource usage of the containers matching the filter (all running ones when none). */
  listContainerStats(filter?: ContainerStatsFilter): Promise<ContainerStats[]>;
}

/** CRI ImageService. */
export interface ImageService {
  /** ListImages: the images the runtime holds, filtered by reference. */
  listImages(filter?: ImageFilter): Promise<Image[]>;
  /** ImageStatus: the image, or undefined when the runtime does not have it. */
  imageStatus(image: ImageSpec, verbose?: boolean): Promise<Image | undefined>;
  /** PullImage: fetches an image; returns its image reference (id). */
  pullImage(image: ImageSpec, auth?: AuthConfig, sandboxConfig?: PodSandboxConfig): Promise<string>;
  /** RemoveImage: removes an image; idempotent. */
  removeImage(image: ImageSpec): Promise<void>;
}

/** A container runtime: both CRI services, as the kubelet holds them. */
export interface Runtime extends RuntimeService, ImageService {}
