/** Per-cycle scratch space shared between a pod's extension points (upstream framework.CycleState). */
export class CycleState {
  readonly #data = new Map<string, unknown>();
  /** Plugins whose PreFilter returned Skip: their Filter is not run. */
  readonly skipFilterPlugins = new Set<string>();
  /** Plugins whose PreScore returned Skip: their Score is not run. */
  readonly skipScorePlugins = new Set<string>();
  #filtersOf: readonly { readonly name: string }[] | undefined;
  #filtersSkipped = 0;
  #filters: readonly { readonly name: string }[] = [];

  /**
   * `plugins` without those skipped at PreFilter, worked out once per cycle rather than once per
   * node (the skip set only grows, during PreFilter, before any Filter runs).
   */
  filterPluginsToRun<P extends { readonly name: string }>(plugins: readonly P[]): readonly P[] {
    const skip = this.skipFilterPlugins;
    if (this.#filtersOf !== plugins || this.#filtersSkipped !== skip.size) {
      this.#filtersOf = plugins;
      this.#filtersSkipped = skip.size;
      this.#filters = skip.size === 0 ? plugins : plugins.filter((p) => !skip.has(p.name));
    }
    return this.#filters as readonly P[];
  }

  read<T>(key: string): T | undefined {
    return this.#data.get(key) as T | undefined;
  }

  write(key: string, value: unknown): void {
    this.#data.set(key, value);
  }

  delete(key: string): void {
    this.#data.delete(key);
  }

  /** A copy for a dry run: values with a `clone()` method are cloned, others shared. */
  clone(): CycleState {
    const c = new CycleState();
    for (const [k, v] of this.#data) c.#data.set(k, isCloneable(v) ? v.clone() : v);
    for (const p of this.skipFilterPlugins) c.skipFilterPlugins.add(p);
    for (const p of this.skipScorePlugins) c.skipScorePlugins.add(p);
    return c;
  }
}

/** Cycle state a plugin changes during preemption's dry run must be cloneable. */
export interface StateData {
  clone(): unknown;
}

function isCloneable(v: unknown): v is StateData {
  return typeof v === 'object' && v !== null && typeof (v as { clone?: unknown }).clone === 'function';
}
