/**
 * The container runtime of real nodes: a CRI v1 client (RuntimeService and ImageService,
 * `runtime.v1`) over the runtime's unix socket, e.g. containerd's. It implements
 * runtime/interface.ts by translating field for field (convert.ts) and passes
 * runtime/testing/conformance.ts against a real containerd (cri-runtime.test.ts).
 *
 *   const runtime = new CriRuntime({ endpoint: 'unix:///run/containerd/containerd.sock' });
 *   await runtime.version('v1');   // { runtimeName: 'containerd', runtimeVersion: '1.6.20~ds1', … }
 *   …
 *   runtime.close();
 */
import type { AuthConfig, Image, ImageFilter, ImageSpec, PodSandboxConfig, Runtime } from '../interface.js';
import { CriConnection } from './connection.js';
import type { ContainerEventsOptions } from './container-events.js';
import { CriImageService } from './image-service.js';
import { CriRuntimeService } from './runtime-service.js';

export interface CriRuntimeOptions {
  /** `unix:///path/to/socket` (the kubelet's --container-runtime-endpoint). */
  endpoint: string;
  /** The deadline of each call (the kubelet's --runtime-request-timeout); default 2 min. */
  timeoutMs?: number;
  /** The deadline of PullImage; default 30 min. */
  pullTimeoutMs?: number;
  /** The longest wait between reconnection attempts after the runtime went away; default 5 s. */
  maxReconnectBackoffMs?: number;
  /** How GetContainerEvents reopens a broken stream. */
  events?: ContainerEventsOptions;
}

export const DEFAULT_RUNTIME_REQUEST_TIMEOUT_MS = 2 * 60_000;

export class CriRuntime extends CriRuntimeService implements Runtime {
  readonly #conn: CriConnection;
  readonly #images: CriImageService;

  constructor(options: CriRuntimeOptions) {
    const timeoutMs = options.timeoutMs ?? DEFAULT_RUNTIME_REQUEST_TIMEOUT_MS;
    const conn = new CriConnection({
      endpoint: options.endpoint,
      ...(options.maxReconnectBackoffMs === undefined ? {} : { maxReconnectBackoffMs: options.maxReconnectBackoffMs }),
    });
    super(conn, { timeoutMs, ...(options.events ? { events: options.events } : {}) });
    this.#conn = conn;
    this.#images = new CriImageService(conn, { timeoutMs, pullTimeoutMs: options.pullTimeoutMs ?? 30 * 60_000 });
  }

  listImages(filter?: ImageFilter): Promise<Image[]> {
    return this.#images.listImages(filter);
  }

  imageStatus(image: ImageSpec, verbose?: boolean): Promise<Image | undefined> {
    return this.#images.imageStatus(image, verbose);
  }

  pullImage(image: ImageSpec, auth?: AuthConfig, sandboxConfig?: PodSandboxConfig): Promise<string> {
    return this.#images.pullImage(image, auth, sandboxConfig);
  }

  removeImage(image: ImageSpec): Promise<void> {
    return this.#images.removeImage(image);
  }

  /** Closes the connection; calls afterwards fail. */
  close(): void {
    this.#conn.close();
  }
}
