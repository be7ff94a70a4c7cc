/**
 * Tokens whose signature was checked a moment ago, as upstream's tokencache spares
 * kube-apiserver a JWT verification per request (success TTL 10 s): the controllers'
 * ServiceAccount tokens come with every request they make, and an ES256 check costs some
 * hundred microseconds. Only the signature and claims checks are remembered, never longer than
 * the token's `exp`; whether its ServiceAccount (or bound object) still exists is asked on every
 * request. Keys are SHA-256 digests, never tokens.
 */
import { createHash } from 'node:crypto';

const TTL_MS = 10_000;
const MAX_ENTRIES = 4096;

export class VerifiedTokens<T> {
  readonly #entries = new Map<string, { value: T; until: number }>();
  readonly #now: () => number;

  constructor(options: { now?: () => number } = {}) {
    this.#now = options.now ?? Date.now;
  }

  /** The key of a token checked for these audiences. */
  key(token: string, audiences: readonly string[]): string {
    return createHash('sha256').update(token).update('\n').update(audiences.join('\n')).digest('base64');
  }

  get(key: string): T | undefined {
    const hit = this.#entries.get(key);
    if (!hit) return undefined;
    if (hit.until > this.#now()) return hit.value;
    this.#entries.delete(key);
    return undefined;
  }

  /** Remembers a verified token for 10 s, or until `expiresAtMs` when sooner; the oldest entry goes when full. */
  set(key: string, value: T, expiresAtMs: number): void {
    const until = Math.min(this.#now() + TTL_MS, expiresAtMs);
    if (until <= this.#now()) return;
    if (this.#entries.size >= MAX_ENTRIES) {
      const oldest = this.#entries.keys().next().value;
      if (oldest !== undefined) this.#entries.delete(oldest);
    }
    this.#entries.set(key, { value, until });
  }
}
