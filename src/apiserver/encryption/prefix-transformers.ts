/**
 * Upstream's prefix transformers and identity provider: the first transformer writes; a read
 * uses the first transformer whose prefix the value starts with, trying later ones when it
 * fails (two aescbc entries share a prefix while a key is rotated). Identity (prefix '') refuses
 * values that are encrypted, so an identity-first configuration still reads them.
 */
import type { FromStorage, PrefixTransformer, Transformer } from './interface.js';

const ENCRYPTED_PREFIX = 'k8s:enc:';

/** The identity provider: values are the JSON itself. */
export const identityTransformer: Transformer = {
  fromStorage(data: string): FromStorage {
    if (data.startsWith(ENCRYPTED_PREFIX)) throw new Error('identity transformer tried to read encrypted data');
    return { data, stale: false };
  },
  toStorage(data: string): string {
    return data;
  },
};

export class PrefixTransformers implements Transformer {
  readonly #transformers: readonly PrefixTransformer[];

  constructor(transformers: readonly PrefixTransformer[]) {
    if (transformers.length === 0) throw new Error('at least one transformer is required');
    this.#transformers = transformers;
  }

  fromStorage(data: string, authenticatedData: string): FromStorage {
    const errors: string[] = [];
    for (const [i, { prefix, transformer }] of this.#transformers.entries()) {
      if (!data.startsWith(prefix)) continue;
      try {
        const result = transformer.fromStorage(data.slice(prefix.length), authenticatedData);
        return { data: result.data, stale: result.stale || i !== 0 };
      } catch (err) {
        if (prefix !== '') errors.push((err as Error).message);
      }
    }
    if (errors.length === 1) throw new Error(errors[0]);
    if (errors.length > 1) throw new Error(`[${errors.join(', ')}]`);
    throw new Error('no matching prefix found');
  }

  toStorage(data: string, authenticatedData: string): string {
    const first = this.#transformers[0] as PrefixTransformer;
    return first.prefix + first.transformer.toStorage(data, authenticatedData);
  }
}
