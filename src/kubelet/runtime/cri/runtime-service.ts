/**
 * CRI RuntimeService over a CriConnection. Deadlines follow upstream's remote runtime client:
 * `timeoutMs` per call (the kubelet's --runtime-request-timeout, 2 min), plus the grace period
 * for StopContainer and the command's timeout for ExecSync (none when the command may run
 * forever).
 */
import {
  type Container,
  type ContainerConfig,
  type ContainerEventResponse,
  type ContainerFilter,
  type ContainerStats,
  type ContainerStatsFilter,
  type ContainerStatus,
  type ExecSyncResponse,
  isRuntimeError,
  type PodSandbox,
  type PodSandboxConfig,
  type PodSandboxFilter,
  type PodSandboxStatus,
  type RuntimeConfig,
  type RuntimeService,
  type RuntimeStatus,
  type VersionResponse,
} from '../interface.js';
import type { Duplex } from 'node:stream';
import type { StreamingIO } from '../interface.js';
import type { CriConnection } from './connection.js';
import { criAttach, criExec, criPortForward } from './streaming.js';
import { type ContainerEventsOptions, watchContainerEvents } from './container-events.js';
import {
  containerConfigToWire,
  containerFilterToWire,
  containerFromWire,
  containerStatusFromWire,
  podSandboxFromWire,
  podSandboxStatusFromWire,
  sandboxConfigToWire,
  sandboxFilterToWire,
  type WireContainer,
  type WireContainerStatus,
  type WirePodSandbox,
  type WirePodSandboxStatus,
} from './convert.js';
import { containerStatsFilterToWire, containerStatsFromWire, type WireContainerStats } from './convert-stats.js';

export interface CriRuntimeServiceOptions {
  timeoutMs: number;
  events?: ContainerEventsOptions;
}

/** NotFound is success for the idempotent removals and stops (the sandbox is already gone). */
async function ignoreNotFound(p: Promise<unknown>): Promise<void> {
  try {
    await p;
  } catch (err) {
    if (!isRuntimeError(err, 'NotFound')) throw err;
  }
}

export class CriRuntimeService implements RuntimeService {
  readonly #conn: CriConnection;
  readonly #options: CriRuntimeServiceOptions;

  constructor(conn: CriConnection, options: CriRuntimeServiceOptions) {
    this.#conn = conn;
    this.#options = options;
  }

  #call<T>(name: string, request: object, timeoutMs: number | undefined = this.#options.timeoutMs): Promise<T> {
    return this.#conn.call<T>('RuntimeService', name, request, timeoutMs);
  }

  version(apiVersion: string): Promise<VersionResponse> {
    return this.#call<VersionResponse>('Version', { version: apiVersion });
  }

  async status(verbose = false): Promise<RuntimeStatus> {
    const res = await this.#call<{ status: RuntimeStatus | null; info?: Record<string, string> }>('Status', { verbose });
    return {
      conditions: (res.status?.conditions ?? []).map((c) => ({ type: c.type, status: c.status, reason: c.reason, message: c.message })),
      ...(verbose && res.info ? { info: res.info } : {}),
    };
  }

  async updateRuntimeConfig(config: RuntimeConfig): Promise<void> {
    await this.#call('UpdateRuntimeConfig', { runtimeConfig: config });
  }

  async runPodSandbox(config: PodSandboxConfig, runtimeHandler = ''): Promise<string> {
    const res = await this.#call<{ podSandboxId: string }>('RunPodSandbox', { config: sandboxConfigToWire(config), runtimeHandler });
    return res.podSandboxId;
  }

  async stopPodSandbox(podSandboxId: string): Promise<void> {
    await ignoreNotFound(this.#call('StopPodSandbox', { podSandboxId }));
  }

  async removePodSandbox(podSandboxId: string): Promise<void> {
    await ignoreNotFound(this.#call('RemovePodSandbox', { podSandboxId }));
  }

  async podSandboxStatus(podSandboxId: string, verbose = false): Promise<PodSandboxStatus> {
    const res = await this.#call<{ status: WirePodSandboxStatus }>('PodSandboxStatus', { podSandboxId, verbose });
    return podSandboxStatusFromWire(res.status);
  }

  async listPodSandbox(filter?: PodSandboxFilter): Promise<PodSandbox[]> {
    const res = await this.#call<{ items: WirePodSandbox[] }>('ListPodSandbox', { filter: sandboxFilterToWire(filter) });
    return res.items.map(podSandboxFromWire);
  }

  async createContainer(podSandboxId: string, config: ContainerConfig, sandboxConfig: PodSandboxConfig): Promise<string> {
    const request = {
      podSandboxId,
      config: containerConfigToWire(config, sandboxConfig),
      sandboxConfig: sandboxConfigToWire(sandboxConfig),
    };
    const res = await this.#call<{ containerId: string }>('CreateContainer', request);
    return res.containerId;
  }

  async startContainer(containerId: string): Promise<void> {
    await this.#call('StartContainer', { containerId });
  }

  async stopContainer(containerId: string, timeout: number): Promise<void> {
    await this.#call('StopContainer', { containerId, timeout }, this.#options.timeoutMs + Math.max(0, timeout) * 1000);
  }

  async removeContainer(containerId: string): Promise<void> {
    await this.#call('RemoveContainer', { containerId });
  }

  async listContainers(filter?: ContainerFilter): Promise<Container[]> {
    const res = await this.#call<{ containers: WireContainer[] }>('ListContainers', { filter: containerFilterToWire(filter) });
    return res.containers.map(containerFromWire);
  }

  async containerStatus(containerId: string, verbose = false): Promise<ContainerStatus> {
    const res = await this.#call<{ status: WireContainerStatus }>('ContainerStatus', { containerId, verbose });
    return containerStatusFromWire(res.status);
  }

  async execSync(containerId: string, cmd: string[], timeoutSeconds: number): Promise<ExecSyncResponse> {
    const deadline = timeoutSeconds > 0 ? this.#options.timeoutMs + timeoutSeconds * 1000 : undefined;
    const res = await this.#call<ExecSyncResponse>('ExecSync', { containerId, cmd, timeout: timeoutSeconds }, deadline);
    return { stdout: res.stdout, stderr: res.stderr, exitCode: res.exitCode };
  }

  exec(containerId: string, cmd: string[], io: StreamingIO): Promise<number> {
    return criExec((name, req) => this.#call(name, req), containerId, cmd, io);
  }

  attach(containerId: string, io: StreamingIO): Promise<void> {
    return criAttach((name, req) => this.#call(name, req), containerId, io);
  }

  portForward(podSandboxId: string, port: number, stream: Duplex): Promise<void> {
    return criPortForward((name, req) => this.#call(name, req), podSandboxId, port, stream);
  }

  getContainerEvents(onEvent: (event: ContainerEventResponse) => void, signal: AbortSignal): void {
    watchContainerEvents(this.#conn, onEvent, signal, this.#options.events);
  }

  async reopenContainerLog(containerId: string): Promise<void> {
    await this.#call('ReopenContainerLog', { containerId });
  }

  async listContainerStats(filter?: ContainerStatsFilter): Promise<ContainerStats[]> {
    const res = await this.#call<{ stats: WireContainerStats[] }>('ListContainerStats', { filter: containerStatsFilterToWire(filter) });
    return res.stats.map(containerStatsFromWire);
  }
}
