/**
 * The kubelet's image garbage collection (images/image_gc_manager.go with the default policy):
 * once the image file system's usage reaches the high threshold (85 %), unused images are
 * removed, least recently used first (then oldest detected), until usage is back at the low
 * threshold (80 %). Never removed: images a container (running or not) uses, pinned images
 * (CRI Image.pinned, and the runtime's sandbox image, which containerd 1.6 does not pin), and
 * images first seen less than the minimum age (2 min) ago.
 *
 *   new ImageGC(options: ImageGCOptions)
 *   detectImages(now: number): Promise<void>      // every GC period: first seen / last used
 *   garbageCollect(now: number): Promise<ImageGCResult>
 */
import type { Image, Runtime } from '../runtime/interface.js';

export interface ImageFsStats {
  capacityBytes: number;
  availableBytes: number;
}

export interface ImageGCOptions {
  runtime: Pick<Runtime, 'listImages' | 'listContainers' | 'removeImage'>;
  /** The image file system's size and free space (containerd's root). */
  imageFsStats: () => Promise<ImageFsStats>;
  /** Images never removed besides pinned ones, by reference (the sandbox image). */
  pinned?: string[];
  highThresholdPercent?: number;
  lowThresholdPercent?: number;
  minAgeMs?: number;
}

export interface ImageGCResult {
  /** Bytes asked to free (0 below the high threshold). */
  amountToFree: number;
  freed: number;
  removed: string[];
}

interface ImageRecord {
  firstDetected: number;
  lastUsed: number;
  size: number;
  pinned: boolean;
}

export class ImageGC {
  readonly #o: Required<Omit<ImageGCOptions, 'pinned'>> & { pinned: Set<string> };
  readonly #images = new Map<string, ImageRecord>();

  constructor(options: ImageGCOptions) {
    this.#o = {
      highThresholdPercent: 85,
      lowThresholdPercent: 80,
      minAgeMs: 120_000,
      ...options,
      pinned: new Set(options.pinned ?? []),
    };
  }

  #isPinned(image: Image): boolean {
    return image.pinned || image.repoTags.some((t) => this.#o.pinned.has(t)) || this.#o.pinned.has(image.id);
  }

  /** Records new images and which ones containers use now; returns the ids in use. */
  async detectImages(now: number): Promise<Set<string>> {
    const [images, containers] = await Promise.all([this.#o.runtime.listImages(), this.#o.runtime.listContainers()]);
    const inUse = new Set<string>();
    const refs = new Map<string, string>();
    for (const image of images) for (const ref of [image.id, ...image.repoTags, ...image.repoDigests]) refs.set(ref, image.id);
    for (const c of containers) {
      const id = refs.get(c.imageRef) ?? refs.get(c.image.image);
      if (id) inUse.add(id);
    }
    const seen = new Set<string>();
    for (const image of images) {
      seen.add(image.id);
      const record = this.#images.get(image.id) ?? { firstDetected: now, lastUsed: 0, size: 0, pinned: false };
      record.size = image.size;
      record.pinned = this.#isPinned(image);
      if (inUse.has(image.id)) record.lastUsed = now;
      this.#images.set(image.id, record);
    }
    for (const id of this.#images.keys()) if (!seen.has(id)) this.#images.delete(id);
    return inUse;
  }

  async garbageCollect(now: number): Promise<ImageGCResult> {
    const { capacityBytes, availableBytes } = await this.#o.imageFsStats();
    const result: ImageGCResult = { amountToFree: 0, freed: 0, removed: [] };
    if (capacityBytes <= 0) return result;
    const usagePercent = (100 * (capacityBytes - availableBytes)) / capacityBytes;
    if (usagePercent < this.#o.highThresholdPercent) return result;
    result.amountToFree = Math.floor((capacityBytes * (100 - this.#o.lowThresholdPercent)) / 100) - availableBytes;
    if (result.amountToFree <= 0) return result;
    const inUse = await this.detectImages(now);
    const candidates = [...this.#images]
      .filter(([id, r]) => !inUse.has(id) && !r.pinned && now - r.firstDetected >= this.#o.minAgeMs)
      .sort(([, a], [, b]) => a.lastUsed - b.lastUsed || a.firstDetected - b.firstDetected);
    for (const [id, r] of candidates) {
      if (result.freed >= result.amountToFree) break;
      await this.#o.runtime.removeImage({ image: id });
      this.#images.delete(id);
      result.freed += r.size;
      result.removed.push(id);
    }
    return result;
  }
}
