/** CRI ImageService over a CriConnection: ListImages, ImageStatus, PullImage, RemoveImage. */
import { normalizeImage } from '../../images.js';
import type { AuthConfig, Image, ImageFilter, ImageService, ImageSpec, PodSandboxConfig } from '../interface.js';
import type { CriConnection } from './connection.js';
import { imageFromWire, imageSpecToWire, sandboxConfigToWire, type WireImage } from './convert.js';

/** Whether `ref` (an id, a tag or a digest reference, normalized as the runtime does) names the image. */
function imageMatches(image: Image, ref: string): boolean {
  if (image.id === ref || image.id === `sha256:${ref}`) return true;
  const name = normalizeImage(ref);
  return image.repoTags.includes(name) || image.repoDigests.includes(name);
}

export interface CriImageServiceOptions {
  /** The deadline of ListImages, ImageStatus and RemoveImage. */
  timeoutMs: number;
  /** The deadline of PullImage (a pull moves whole layers). */
  pullTimeoutMs: number;
}

export class CriImageService implements ImageService {
  readonly #conn: CriConnection;
  readonly #options: CriImageServiceOptions;

  constructor(conn: CriConnection, options: CriImageServiceOptions) {
    this.#conn = conn;
    this.#options = options;
  }

  /** The filter is applied here too: containerd 1.6 ignores it and lists every image. */
  async listImages(filter?: ImageFilter): Promise<Image[]> {
    const request = filter?.image ? { filter: { image: imageSpecToWire(filter.image) } } : {};
    const res = await this.#conn.call<{ images: WireImage[] }>('ImageService', 'ListImages', request, this.#options.timeoutMs);
    const images = res.images.map(imageFromWire);
    const ref = filter?.image?.image;
    return ref ? images.filter((i) => imageMatches(i, ref)) : images;
  }

  async imageStatus(image: ImageSpec, verbose = false): Promise<Image | undefined> {
    const request = { image: imageSpecToWire(image), verbose };
    const res = await this.#conn.call<{ image: WireImage | null }>('ImageService', 'ImageStatus', request, this.#options.timeoutMs);
    // a runtime answers a missing image with no image (not an error)
    return res.image?.id ? imageFromWire(res.image) : undefined;
  }

  async pullImage(image: ImageSpec, auth?: AuthConfig, sandboxConfig?: PodSandboxConfig): Promise<string> {
    const request = {
      image: imageSpecToWire(image),
      auth,
      sandboxConfig: sandboxConfig ? sandboxConfigToWire(sandboxConfig) : undefined,
    };
    const res = await this.#conn.call<{ imageRef: string }>('ImageService', 'PullImage', request, this.#options.pullTimeoutMs);
    return res.imageRef;
  }

  async removeImage(image: ImageSpec): Promise<void> {
    await this.#conn.call('ImageService', 'RemoveImage', { image: imageSpecToWire(image) }, this.#options.timeoutMs);
  }
}
