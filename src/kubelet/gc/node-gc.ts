/**
 * The garbage collection loops of a real node (kubelet.go StartGarbageCollection): containers
 * and sandboxes every minute (container-gc.ts), images every five minutes (image-gc.ts, which
 * also notes every minute which images containers use, as the image manager's detector does);
 * the thresholds and periods from the node's GarbageCollectionPolicy (the command line's flags).
 * Failures are reported and the loops go on.
 *
 *   runNodeGC(options: NodeGCOptions, signal: AbortSignal): void
 */
import type { Clock } from '../clock.js';
import type { Runtime } from '../runtime/interface.js';
import { garbageCollectContainers } from './container-gc.js';
import { type ImageFsStats, ImageGC } from './image-gc.js';

/**
 * The garbage collection flags of `k8ts server` and `k8ts agent`: upstream kubelet's, and the
 * two periods, which upstream fixes (k8ts' own flags, so that tests need not wait minutes).
 */
export interface GarbageCollectionPolicy {
  /** --image-gc-high-threshold: image GC runs at this disk usage, in percent (85). */
  imageHighThresholdPercent?: number;
  /** --image-gc-low-threshold: and frees down to this one (80). */
  imageLowThresholdPercent?: number;
  /** --minimum-image-ttl-duration: an unused image is kept this long after it was first seen (2 min). */
  imageMinAgeMs?: number;
  /** --maximum-dead-containers-per-container (1; negative: no limit). */
  maxPerPodContainer?: number;
  /** --container-gc-period: default 60 s (upstream's ContainerGCPeriod). */
  containerPeriodMs?: number;
  /** --image-gc-period: default 5 min (upstream's ImageGCPeriod). */
  imagePeriodMs?: number;
}

/** What a node's spec says about its garbage collection. */
export interface NodeGCSpec extends GarbageCollectionPolicy {
  /** The image file system's size and free space. */
  imageFsStats: () => Promise<ImageFsStats>;
  /** Images never removed (the sandbox image). */
  pinnedImages?: string[];
}

export interface NodeGCOptions extends NodeGCSpec {
  runtime: Runtime;
  podExists: (uid: string) => boolean;
  clock: Clock;
  onError: (message: string) => void;
}

/** Runs `fn` every `periodMs` (the first after one period) until the signal aborts. */
export function every(clock: Clock, periodMs: number, fn: () => Promise<void>, signal: AbortSignal): void {
  let cancel: (() => void) | undefined;
  const tick = (): void => {
    void fn().finally(() => {
      if (!signal.aborted) cancel = clock.setTimeout(tick, periodMs);
    });
  };
  signal.addEventListener('abort', () => cancel?.(), { once: true });
  if (!signal.aborted) cancel = clock.setTimeout(tick, periodMs);
}

export function runNodeGC(options: NodeGCOptions, signal: AbortSignal): void {
  const { runtime, clock, onError } = options;
  const images = new ImageGC({
    runtime,
    imageFsStats: options.imageFsStats,
    ...(options.pinnedImages ? { pinned: options.pinnedImages } : {}),
    ...(options.imageMinAgeMs !== undefined ? { minAgeMs: options.imageMinAgeMs } : {}),
    ...(options.imageHighThresholdPercent !== undefined ? { highThresholdPercent: options.imageHighThresholdPercent } : {}),
    ...(options.imageLowThresholdPercent !== undefined ? { lowThresholdPercent: options.imageLowThresholdPercent } : {}),
  });
  const fail = (what: string) => (err: unknown) => onError(`${what}: ${err instanceof Error ? err.message : String(err)}`);
  void images.detectImages(clock.now()).catch(fail('image detection'));
  const containerPeriod = options.containerPeriodMs ?? 60_000;
  every(
    clock,
    containerPeriod,
    async () => {
      const policy = { runtime, podExists: options.podExists, maxPerPodContainer: options.maxPerPodContainer ?? 1 };
      await garbageCollectContainers(policy).catch(fail('container garbage collection'));
      await images.detectImages(clock.now()).catch(fail('image detection'));
    },
    signal,
  );
  every(
    clock,
    options.imagePeriodMs ?? 300_000,
    async () => {
      const r = await images.garbageCollect(clock.now()).catch(fail('image garbage collection'));
      if (r && r.freed < r.amountToFree) {
        onError(
          `Failed to garbage collect required amount of images. Attempted to free ${r.amountToFree} bytes, but only found ${r.freed} bytes eligible to free.`,
        );
      }
    },
    signal,
  );
}
