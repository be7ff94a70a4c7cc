/**
 * The fake container runtime of simulated nodes: CRI semantics without processes. Sandboxes get
 * an IP from the node's pod CIDR (host-local style, released when the sandbox stops); containers
 * run until stopped unless an exit program says otherwise (simulate.ts); every state change is a
 * GetContainerEvents event. Timers go through the injected Clock, so thousands of runtimes in one
 * process share a single process timer.
 *
 * Stopping behaves as containerd's does to a process: StopContainer with a timeout sends SIGTERM,
 * on which a simulated process dies at once (exit 143, reason Error); StopContainer with timeout 0,
 * StopPodSandbox and RemoveContainer SIGKILL it (exit 137, reason Error).
 */
import { randomUUID } from 'node:crypto';
import type { Duplex } from 'node:stream';
import { type Clock, sharedClock } from '../../clock.js';
import { normalizeImage } from '../../images.js';
import {
  type Container,
  type ContainerConfig,
  type ContainerEventResponse,
  type ContainerEventType,
  type ContainerFilter,
  type ContainerStats,
  type ContainerStatsFilter,
  type ContainerStatus,
  type ExecSyncResponse,
  type PodSandbox,
  type PodSandboxConfig,
  type PodSandboxFilter,
  type PodSandboxStatus,
  type Runtime,
  type RuntimeConfig,
  RuntimeError,
  type RuntimeStatus,
  type StreamingIO,
  type StringMap,
  type VersionResponse,
} from '../interface.js';
import { simulateExec } from './fake-exec.js';
import { FakeImageService } from './fake-images.js';
import { IPPool } from './ip-pool.js';
import { LabelIndex } from './label-index.js';
import { type ExitProgram, exitProgramFor, type SimulatedUsage, usageFor } from './simulate.js';
import { cloneJson } from '../../../machinery/clone.js';

export const FAKE_RUNTIME_NAME = 'fake';
export const FAKE_RUNTIME_VERSION = '0.1.0';
/** 128 + the signal: how a process killed by SIGTERM or SIGKILL exits. */
const EXIT_SIGTERM = 143;
const EXIT_SIGKILL = 137;

export interface FakeRuntimeOptions {
  /** The node's IP: the sandbox IP of hostNetwork pods. */
  nodeIP: string;
  /** The pod CIDR, if known now (otherwise UpdateRuntimeConfig hands it over). */
  podCIDR?: string;
  clock?: Clock;
}

interface SandboxRecord {
  status: PodSandboxStatus;
  config: PodSandboxConfig;
  /** The pool the IP came from, until released. */
  pool: IPPool | undefined;
  containers: Set<string>;
}

interface ContainerRecord {
  status: ContainerStatus;
  podSandboxId: string;
  program: ExitProgram | undefined;
  usage: SimulatedUsage;
  cancelExit: (() => void) | undefined;
}

/** 64 hex digits, like containerd's ids (from the cached entropy randomUUID draws on). */
function newId(): string {
  return `${randomUUID()}${randomUUID()}`.replaceAll('-', '');
}

function matchLabels(labels: StringMap, selector: StringMap | undefined): boolean {
  if (!selector) return true;
  for (const k in selector) if (labels[k] !== selector[k]) return false;
  return true;
}

export class FakeRuntime extends FakeImageService implements Runtime {
  readonly #clock: Clock;
  readonly #nodeIP: string;
  #pool: IPPool | undefined;
  readonly #sandboxes = new Map<string, SandboxRecord>();
  readonly #sandboxLabels = new LabelIndex();
  readonly #containers = new Map<string, ContainerRecord>();
  readonly #listeners = new Set<(e: ContainerEventResponse) => void>();

  constructor(options: FakeRuntimeOptions) {
    super();
    this.#clock = options.clock ?? sharedClock;
    this.#nodeIP = options.nodeIP;
    if (options.podCIDR) this.#pool = new IPPool(options.podCIDR);
  }

  /** The pod CIDR sandboxes get IPs from, if set. */
  get podCIDR(): string | undefined {
    return this.#pool?.cidr;
  }

  async version(_apiVersion: string): Promise<VersionResponse> {
    return { version: '0.1.0', runtimeName: FAKE_RUNTIME_NAME, runtimeVersion: FAKE_RUNTIME_VERSION, runtimeApiVersion: 'v1' };
  }

  async status(): Promise<RuntimeStatus> {
    const network = this.#pool
      ? { type: 'NetworkReady', status: true, reason: '', message: '' }
      : { type: 'NetworkReady', status: false, reason: 'NetworkPluginNotReady', message: 'Network plugin returns error: no pod CIDR' };
    return { conditions: [{ type: 'RuntimeReady', status: true, reason: '', message: '' }, network] };
  }

  async updateRuntimeConfig(config: RuntimeConfig): Promise<void> {
    const cidr = config.networkConfig?.podCidr;
    if (cidr && cidr !== this.#pool?.cidr) this.#pool = new IPPool(cidr);
  }

  async runPodSandbox(config: PodSandboxConfig, runtimeHandler = ''): Promise<string> {
    const hostNetwork = config.linux?.hostNetwork === true;
    if (!hostNetwork && !this.#pool) throw new RuntimeError('Unavailable', 'network is not ready: no pod CIDR');
    const pool = hostNetwork ? undefined : this.#pool;
    const ip = pool ? pool.allocate() : this.#nodeIP;
    const id = newId();
    const status: PodSandboxStatus = {
      id,
      metadata: { ...config.metadata },
      state: 'SANDBOX_READY',
      createdAt: this.#clock.now(),
      labels: { ...config.labels },
      annotations: { ...config.annotations },
      runtimeHandler,
      network: { ip, additionalIps: [] },
    };
    this.#sandboxes.set(id, { status, config: cloneJson(config), pool, containers: new Set() });
    this.#sandboxLabels.add(id, status.labels);
    return id;
  }

  async stopPodSandbox(podSandboxId: string): Promise<void> {
    const sb = this.#sandboxes.get(podSandboxId);
    if (!sb) return;
    for (const cid of sb.containers) this.#exit(cid, EXIT_SIGKILL, true);
    if (sb.pool && sb.status.network) sb.pool.release(sb.status.network.ip);
    sb.pool = undefined;
    sb.status.state = 'SANDBOX_NOTREADY';
  }

  async removePodSandbox(podSandboxId: string): Promise<void> {
    const sb = this.#sandboxes.get(podSandboxId);
    if (!sb) return;
    await this.stopPodSandbox(podSandboxId);
    for (const cid of [...sb.containers]) await this.removeContainer(cid);
    this.#sandboxes.delete(podSandboxId);
    this.#sandboxLabels.remove(podSandboxId, sb.status.labels);
  }

  async podSandboxStatus(podSandboxId: string): Promise<PodSandboxStatus> {
    const sb = this.#sandboxes.get(podSandboxId);
    if (!sb) throw new RuntimeError('NotFound', `an error occurred when try to find sandbox: not found: ${podSandboxId}`);
    return cloneJson(sb.status);
  }

  async listPodSandbox(filter?: PodSandboxFilter): Promise<PodSandbox[]> {
    const out: PodSandbox[] = [];
    for (const id of this.#sandboxIds(filter)) {
      const status = this.#sandboxes.get(id)?.status;
      if (!status) continue;
      if (filter?.state && status.state !== filter.state) continue;
      if (!matchLabels(status.labels, filter?.labelSelector)) continue;
      const { network: _network, ...item } = status;
      out.push(cloneJson(item));
    }
    return out;
  }

  /** The sandboxes a filter can match: by id, else by label, else all. */
  #sandboxIds(filter: PodSandboxFilter | undefined): Iterable<string> {
    if (filter?.id) return [filter.id];
    return this.#sandboxLabels.candidates(filter?.labelSelector) ?? this.#sandboxes.keys();
  }

  /** The containers a filter can match: by id, else those of its sandbox, else all. */
  #containerIds(filter: ContainerFilter | undefined): Iterable<string> {
    if (filter?.id) return [filter.id];
    if (filter?.podSandboxId) return this.#sandboxes.get(filter.podSandboxId)?.containers ?? [];
    return this.#containers.keys();
  }

  async createContainer(podSandboxId: string, config: ContainerConfig, sandboxConfig: PodSandboxConfig): Promise<string> {
    const sb = this.#sandboxes.get(podSandboxId);
    if (!sb) throw new RuntimeError('NotFound', `failed to find sandbox ${podSandboxId}`);
    if (sb.status.state !== 'SANDBOX_READY') throw new RuntimeError('FailedPrecondition', `sandbox ${podSandboxId} is not ready`);
    const image = this.lookup(config.image.image);
    if (!image) throw new RuntimeError('NotFound', `failed to get image "${config.image.image}": not found`);
    for (const cid of sb.containers) {
      const m = this.#containers.get(cid)?.status.metadata;
      if (m?.name === config.metadata.name && m.attempt === config.metadata.attempt) {
        throw new RuntimeError(
          'AlreadyExists',
          `container name "${config.metadata.name}" attempt ${m.attempt} is reserved in sandbox ${podSandboxId}`,
        );
      }
    }
    const labels = { ...config.labels };
    const annotations = { ...config.annotations };
    const program = exitProgramFor(config.metadata.name, labels, annotations, sandboxConfig.annotations ?? {});
    const usage = usageFor(config.metadata.name, annotations, sandboxConfig.annotations ?? {});
    const id = newId();
    const status: ContainerStatus = {
      id,
      metadata: { ...config.metadata },
      state: 'CONTAINER_CREATED',
      createdAt: this.#clock.now(),
      startedAt: 0,
      finishedAt: 0,
      exitCode: 0,
      image: { image: image.repoTags[0] ?? normalizeImage(config.image.image) },
      imageRef: image.repoDigests[0] ?? image.id,
      reason: '',
      message: '',
      labels,
      annotations,
      mounts: cloneJson(config.mounts ?? []),
      logPath: config.logPath ?? '',
    };
    this.#containers.set(id, { status, podSandboxId, program, usage, cancelExit: undefined });
    sb.containers.add(id);
    this.#emit(id, 'CONTAINER_CREATED_EVENT');
    return id;
  }

  async startContainer(containerId: string): Promise<void> {
    const c = this.#container(containerId);
    if (c.status.state !== 'CONTAINER_CREATED') {
      throw new RuntimeError('FailedPrecondition', `container ${containerId} is in ${c.status.state} state, not CONTAINER_CREATED`);
    }
    c.status.state = 'CONTAINER_RUNNING';
    c.status.startedAt = this.#clock.now();
    this.#emit(containerId, 'CONTAINER_STARTED_EVENT');
    if (c.program) this.#scheduleExit(c, c.program);
  }

  /** Reprograms a container's exit (tests, fault injection): exits `afterMs` from now with `exitCode`. */
  programExit(containerId: string, program: ExitProgram): void {
    const c = this.#container(containerId);
    c.program = program;
    if (c.status.state === 'CONTAINER_RUNNING') this.#scheduleExit(c, program, this.#clock.now());
  }

  async stopContainer(containerId: string, timeout: number): Promise<void> {
    this.#container(containerId);
    this.#exit(containerId, timeout > 0 ? EXIT_SIGTERM : EXIT_SIGKILL, true);
  }

  async removeContainer(containerId: string): Promise<void> {
    const c = this.#containers.get(containerId);
    if (!c) return;
    this.#exit(containerId, EXIT_SIGKILL, true);
    this.#containers.delete(containerId);
    this.#sandboxes.get(c.podSandboxId)?.containers.delete(containerId);
    this.#emit(containerId, 'CONTAINER_DELETED_EVENT', c);
  }

  async listContainers(filter?: ContainerFilter): Promise<Container[]> {
    const out: Container[] = [];
    for (const id of this.#containerIds(filter)) {
      const c = this.#containers.get(id);
      if (!c) continue;
      const s = c.status;
      if (filter?.state && s.state !== filter.state) continue;
      if (filter?.podSandboxId && c.podSandboxId !== filter.podSandboxId) continue;
      if (!matchLabels(s.labels, filter?.labelSelector)) continue;
      out.push({
        id,
        podSandboxId: c.podSandboxId,
        metadata: { ...s.metadata },
        image: { ...s.image },
        imageRef: s.imageRef,
        state: s.state,
        createdAt: s.createdAt,
        labels: { ...s.labels },
        annotations: { ...s.annotations },
      });
    }
    return out;
  }

  async containerStatus(containerId: string): Promise<ContainerStatus> {
    return cloneJson(this.#container(containerId).status);
  }

  async execSync(containerId: string, _cmd: string[], _timeoutSeconds: number): Promise<ExecSyncResponse> {
    const c = this.#container(containerId);
    if (c.status.state !== 'CONTAINER_RUNNING') {
      throw new RuntimeError('FailedPrecondition', `container ${containerId} is not running`);
    }
    return { stdout: new Uint8Array(), stderr: new Uint8Array(), exitCode: 0 };
  }

  async exec(containerId: string, cmd: string[], io: StreamingIO): Promise<number> {
    const c = this.#container(containerId);
    if (c.status.state !== 'CONTAINER_RUNNING') throw new RuntimeError('FailedPrecondition', `container ${containerId} is not running`);
    const sandbox = this.#sandboxes.get(c.podSandboxId)?.config;
    return simulateExec(cmd, io, sandbox?.hostname ?? sandbox?.metadata.name ?? '');
  }

  async attach(_containerId: string, _io: StreamingIO): Promise<void> {
    throw new RuntimeError('Unimplemented', 'simulated containers have no process to attach to');
  }

  async portForward(_podSandboxId: string, _port: number, _stream: Duplex): Promise<void> {
    throw new RuntimeError('Unimplemented', 'simulated pods have no network namespace to forward to');
  }

  async reopenContainerLog(containerId: string): Promise<void> {
    const c = this.#container(containerId);
    if (c.status.state !== 'CONTAINER_RUNNING') throw new RuntimeError('FailedPrecondition', `container ${containerId} is not running`);
  }

  /** Simulated usage of the running containers (simulate.ts usageFor): a steady rate of CPU since the start, steady memory. */
  async listContainerStats(filter?: ContainerStatsFilter): Promise<ContainerStats[]> {
    const now = this.#clock.now();
    const out: ContainerStats[] = [];
    for (const id of this.#containerIds(filter)) {
      const c = this.#containers.get(id);
      if (c?.status.state !== 'CONTAINER_RUNNING') continue;
      if (filter?.podSandboxId && c.podSandboxId !== filter.podSandboxId) continue;
      if (filter?.labelSelector && Object.entries(filter.labelSelector).some(([k, v]) => c.status.labels[k] !== v)) continue;
      const s = c.status;
      out.push({
        attributes: { id, metadata: { ...s.metadata }, labels: { ...s.labels }, annotations: { ...s.annotations } },
        cpu: {
          timestamp: now,
          usageCoreNanoSeconds: (Math.max(0, now - s.startedAt) * c.usage.nanoCores) / 1000,
          usageNanoCores: c.usage.nanoCores,
        },
        memory: {
          timestamp: now,
          workingSetBytes: c.usage.memoryBytes,
          usageBytes: c.usage.memoryBytes,
          rssBytes: c.usage.memoryBytes,
        },
      });
    }
    return out;
  }

  getContainerEvents(onEvent: (event: ContainerEventResponse) => void, signal: AbortSignal): void {
    if (signal.aborted) return;
    this.#listeners.add(onEvent);
    signal.addEventListener('abort', () => this.#listeners.delete(onEvent), { once: true });
  }

  #container(id: string): ContainerRecord {
    const c = this.#containers.get(id);
    if (!c) throw new RuntimeError('NotFound', `an error occurred when try to find container "${id}": not found`);
    return c;
  }

  #scheduleExit(c: ContainerRecord, program: ExitProgram, from = c.status.startedAt): void {
    c.cancelExit?.();
    const id = c.status.id;
    c.cancelExit = this.#clock.setTimeout(() => this.#exit(id, program.exitCode, false), from + program.afterMs - this.#clock.now());
  }

  /** Moves a container to EXITED (a CREATED or RUNNING one); `stopped` marks a StopContainer/StopPodSandbox. */
  #exit(id: string, exitCode: number, stopped: boolean): void {
    const c = this.#containers.get(id);
    if (!c || c.status.state === 'CONTAINER_EXITED') return;
    c.cancelExit?.();
    c.cancelExit = undefined;
    const s = c.status;
    s.state = 'CONTAINER_EXITED';
    s.finishedAt = this.#clock.now();
    if (!s.startedAt && !stopped) s.startedAt = s.finishedAt;
    s.exitCode = exitCode;
    s.reason = exitCode === 0 ? 'Completed' : 'Error';
    this.#emit(id, 'CONTAINER_STOPPED_EVENT');
  }

  #emit(containerId: string, type: ContainerEventType, record = this.#containers.get(containerId)): void {
    if (this.#listeners.size === 0 || !record) return;
    const sb = this.#sandboxes.get(record.podSandboxId);
    const event: ContainerEventResponse = {
      containerId,
      containerEventType: type,
      createdAt: this.#clock.now(),
      ...(sb ? { podSandboxStatus: cloneJson(sb.status) } : {}),
      containersStatuses: [cloneJson(record.status)],
    };
    for (const l of this.#listeners) l(event);
  }
}
