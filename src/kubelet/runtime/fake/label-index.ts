/**
 * Ids by label pair, so a label-selected list (the kubelet asks for a pod's sandboxes by its uid
 * label on every sync) looks at the matching records only, not at every record of the node.
 */
import type { StringMap } from '../interface.js';

const NONE: ReadonlySet<string> = new Set();

export class LabelIndex {
  readonly #ids = new Map<string, Set<string>>();

  add(id: string, labels: StringMap): void {
    for (const k in labels) {
      const pair = `${k}=${labels[k]}`;
      let ids = this.#ids.get(pair);
      if (!ids) {
        ids = new Set();
        this.#ids.set(pair, ids);
      }
      ids.add(id);
    }
  }

  remove(id: string, labels: StringMap): void {
    for (const k in labels) {
      const pair = `${k}=${labels[k]}`;
      const ids = this.#ids.get(pair);
      if (!ids) continue;
      ids.delete(id);
      if (ids.size === 0) this.#ids.delete(pair);
    }
  }

  /**
   * Ids that may match every pair of the selector (the smallest set of one pair); undefined for
   * an empty selector, which every record matches. Callers still check the other pairs.
   */
  candidates(selector: StringMap | undefined): ReadonlySet<string> | undefined {
    let best: ReadonlySet<string> | undefined;
    for (const k in selector) {
      const ids = this.#ids.get(`${k}=${selector[k]}`);
      if (!ids) return NONE;
      if (!best || ids.size < best.size) best = ids;
    }
    return best;
  }
}
