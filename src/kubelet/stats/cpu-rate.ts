/**
 * usageNanoCores from two samples of a cumulative CPU counter (what cAdvisor and the CRI stats
 * provider compute): (Δ usageCoreNanoSeconds) / (Δ seconds). The previous sample is kept per
 * key (container ID, or the node), so each Summary is a rate over the time since the last one.
 */

export interface CpuSample {
  /** Epoch ms. */
  timestamp: number;
  usageCoreNanoSeconds: number;
}

export class CpuRates {
  readonly #previous = new Map<string, CpuSample>();

  /** Records the sample; returns the rate since the previous one, if there is one and time passed. */
  observe(key: string, sample: CpuSample): number | undefined {
    const prev = this.#previous.get(key);
    if (!prev || sample.timestamp >= prev.timestamp) this.#previous.set(key, sample);
    if (!prev || sample.timestamp <= prev.timestamp || sample.usageCoreNanoSeconds < prev.usageCoreNanoSeconds) return undefined;
    return Math.round(((sample.usageCoreNanoSeconds - prev.usageCoreNanoSeconds) * 1000) / (sample.timestamp - prev.timestamp));
  }

  has(key: string): boolean {
    return this.#previous.has(key);
  }

  /** Forgets every key not in `live` (containers that are gone). */
  retain(live: Set<string>): void {
    for (const key of this.#previous.keys()) if (!live.has(key)) this.#previous.delete(key);
  }
}
