/**
 * The contracts of encryption at rest (upstream's storage/value): a Transformer turns a stored
 * value into the object's JSON and back. Storage holds text, so a transformer that produces
 * bytes (the encrypting ones) writes them as base64 after its text prefix
 * (`k8s:enc:aescbc:v1:key1:`); upstream writes the raw bytes.
 */

/** What a read made of a stored value. */
export interface FromStorage {
  /** The JSON the value holds. */
  readonly data: string;
  /** The value was not written by the first (writing) transformer: rewrite it to migrate it. */
  readonly stale: boolean;
}

export interface Transformer {
  /**
   * The JSON inside `data` (the stored value after this transformer's prefix).
   * `authenticatedData` is the storage key; transformers that authenticate it bind the value to
   * the key, so a value copied to another key does not read. Throws when the value is not this
   * transformer's or was tampered with.
   */
  fromStorage(data: string, authenticatedData: string): FromStorage;
  /** The stored form of `data` (without the prefix). */
  toStorage(data: string, authenticatedData: string): string;
}

/** A transformer and the prefix that marks the values it wrote ('' for identity). */
export interface PrefixTransformer {
  readonly prefix: string;
  readonly transformer: Transformer;
}

/** The transformer of a group resource (`secrets`, `deployments.apps`); undefined stores as is. */
export type TransformerFor = (group: string, resource: string) => Transformer | undefined;
