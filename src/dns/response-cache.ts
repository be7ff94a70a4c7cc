/**
 * The forwarder's cache (CoreDNS' cache plugin as the default Corefile sets it, `cache 30`):
 * upstream responses by question, kept for their smallest TTL capped at 30 s — answers by
 * their records' TTLs, NXDOMAIN and NODATA by the SOA's (RFC 2308) — and served with the TTLs
 * counted down. SERVFAIL and truncated responses are not kept. Oldest entries go first past
 * `maxEntries`.
 */
import dnsPacket, { type Answer, type DecodedPacket, type Question } from 'dns-packet';
import { rcodeNumber } from './interface.js';

export interface ResponseCacheOptions {
  /** The longest any response is kept, in seconds (default 30). */
  maxTTL?: number;
  /** Default 10,000. */
  maxEntries?: number;
  /** Milliseconds since the epoch (tests move it). */
  now?: () => number;
}

interface Entry {
  packet: DecodedPacket;
  storedAt: number;
  expiresAt: number;
}

/** The cache key of a question: lowercase name, type and class. */
export function questionKey(q: Question): string {
  return `${q.name.toLowerCase().replace(/\.$/, '')}|${q.type}|${q.class ?? 'IN'}`;
}

function ttlOf(packet: DecodedPacket): number | undefined {
  const rcode = (packet.flags ?? 0) & 0xf;
  if (rcode !== rcodeNumber.NOERROR && rcode !== rcodeNumber.NXDOMAIN) return undefined;
  if (packet.flag_tc) return undefined;
  const records = (packet.answers ?? []).filter((a) => a.type !== 'OPT') as (Answer & { ttl?: number })[];
  if (records.length > 0) return Math.min(...records.map((a) => a.ttl ?? 0));
  const soa = (packet.authorities ?? []).find((a) => a.type === 'SOA');
  if (soa?.type !== 'SOA') return undefined;
  return Math.min(soa.ttl ?? 0, soa.data.minimum ?? 0);
}

export class ResponseCache {
  readonly #entries = new Map<string, Entry>();
  readonly #maxTTL: number;
  readonly #maxEntries: number;
  readonly #now: () => number;

  constructor(options: ResponseCacheOptions = {}) {
    this.#maxTTL = options.maxTTL ?? 30;
    this.#maxEntries = options.maxEntries ?? 10_000;
    this.#now = options.now ?? Date.now;
  }

  get size(): number {
    return this.#entries.size;
  }

  /** Keeps an upstream response to `question` (if it may be kept). */
  store(question: Question, response: Buffer): void {
    const packet = dnsPacket.decode(response);
    const ttl = ttlOf(packet);
    if (ttl === undefined || ttl <= 0) return;
    const key = questionKey(question);
    this.#entries.delete(key);
    if (this.#entries.size >= this.#maxEntries) {
      const oldest = this.#entries.keys().next();
      if (!oldest.done) this.#entries.delete(oldest.value);
    }
    const now = this.#now();
    this.#entries.set(key, { packet, storedAt: now, expiresAt: now + Math.min(ttl, this.#maxTTL) * 1000 });
  }

  /** The kept response to `question` with id `id` and its TTLs counted down, or undefined. */
  lookup(question: Question, id: number): Buffer | undefined {
    const key = questionKey(question);
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    const now = this.#now();
    if (now >= entry.expiresAt) {
      this.#entries.delete(key);
      return undefined;
    }
    const elapsed = Math.floor((now - entry.storedAt) / 1000);
    const age = (records: Answer[] | undefined): Answer[] =>
      (records ?? []).map((a) => (a.type === 'OPT' ? a : { ...a, ttl: Math.max(0, (a.ttl ?? 0) - elapsed) }));
    const p = entry.packet;
    return dnsPacket.encode({
      id,
      type: 'response',
      flags: p.flags ?? 0,
      questions: p.questions ?? [],
      answers: age(p.answers),
      authorities: age(p.authorities),
      additionals: age(p.additionals),
    });
  }
}
