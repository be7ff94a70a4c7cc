/** The fake ImageService: pulls succeed at once and record the image; sizes are 0 bytes. */
import { createHash } from 'node:crypto';
import { normalizeImage } from '../../images.js';
import type { AuthConfig, Image, ImageFilter, ImageService, ImageSpec, PodSandboxConfig } from '../interface.js';
import { cloneJson } from '../../../machinery/clone.js';

function digestOf(ref: string): string {
  return createHash('sha256').update(ref).digest('hex');
}

export class FakeImageService implements ImageService {
  /** By id ("sha256:…"). */
  readonly #images = new Map<string, Image>();
  /** By normalized tag or digest reference, to id. */
  readonly #refs = new Map<string, string>();
  /** Every PullImage call, in order (normalized references), for tests. */
  readonly pulls: string[] = [];
  /** The credentials of every PullImage call, in order, for tests. */
  readonly pullAuths: (AuthConfig | undefined)[] = [];
  /** Set by tests: a pull fails with the error this returns (e.g. a registry that wants other credentials). */
  pullError: ((ref: string, auth: AuthConfig | undefined) => Error | undefined) | undefined;

  /** The image a reference names (tag, digest reference or id), if held. */
  lookup(image: string): Image | undefined {
    const byId = this.#images.get(image);
    if (byId) return byId;
    const id = this.#refs.get(normalizeImage(image));
    return id === undefined ? undefined : this.#images.get(id);
  }

  async listImages(filter?: ImageFilter): Promise<Image[]> {
    if (filter?.image?.image) {
      const one = this.lookup(filter.image.image);
      return one ? [cloneJson(one)] : [];
    }
    return [...this.#images.values()].map((i) => cloneJson(i));
  }

  async imageStatus(image: ImageSpec): Promise<Image | undefined> {
    const found = this.lookup(image.image);
    return found ? cloneJson(found) : undefined;
  }

  async pullImage(image: ImageSpec, auth?: AuthConfig, _sandboxConfig?: PodSandboxConfig): Promise<string> {
    const ref = normalizeImage(image.image);
    this.pulls.push(ref);
    this.pullAuths.push(auth);
    const failure = this.pullError?.(ref, auth);
    if (failure) throw failure;
    const existing = this.lookup(ref);
    if (existing) return existing.id;
    const hex = digestOf(ref);
    const id = `sha256:${hex}`;
    const repo = ref.includes('@') ? ref.slice(0, ref.indexOf('@')) : ref.slice(0, ref.lastIndexOf(':'));
    const digestRef = `${repo}@sha256:${hex}`;
    const record: Image = {
      id,
      repoTags: ref.includes('@') ? [] : [ref],
      repoDigests: [digestRef],
      size: 0,
      spec: { image: ref },
      pinned: false,
    };
    this.#images.set(id, record);
    this.#refs.set(ref, id);
    this.#refs.set(digestRef, id);
    return id;
  }

  async removeImage(image: ImageSpec): Promise<void> {
    const found = this.lookup(image.image);
    if (!found) return;
    this.#images.delete(found.id);
    for (const [ref, id] of this.#refs) if (id === found.id) this.#refs.delete(ref);
  }
}
