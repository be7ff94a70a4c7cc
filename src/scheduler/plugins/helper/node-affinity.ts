/**
 * Node selector matching (upstream component-helpers nodeaffinity): terms are ORed, requirements
 * in a term ANDed, a term without requirements matches nothing; matchFields knows metadata.name.
 */
import type { Node, NodeSelectorRequirement, NodeSelectorTerm, Pod } from '../../types.js';

function requirementMatches(r: NodeSelectorRequirement, labels: Record<string, string>): boolean {
  const has = Object.hasOwn(labels, r.key);
  const v = labels[r.key];
  const values = r.values ?? [];
  switch (r.operator) {
    case 'In':
      return has && values.includes(v!);
    case 'NotIn':
      return !has || !values.includes(v!);
    case 'Exists':
      return has;
    case 'DoesNotExist':
      return !has;
    case 'Gt':
    case 'Lt': {
      if (!has || values.length !== 1) return false;
      const a = Number.parseInt(v!, 10);
      const b = Number.parseInt(values[0]!, 10);
      if (!/^-?\d+$/.test(v!) || !/^-?\d+$/.test(values[0]!)) return false;
      return r.operator === 'Gt' ? a > b : a < b;
    }
    default:
      return false;
  }
}

export function nodeSelectorTermMatches(term: NodeSelectorTerm, node: Node): boolean {
  const exprs = term.matchExpressions ?? [];
  const fields = term.matchFields ?? [];
  if (exprs.length === 0 && fields.length === 0) return false;
  const labels = node.metadata.labels ?? {};
  for (const r of exprs) if (!requirementMatches(r, labels)) return false;
  if (fields.length > 0) {
    const f = { 'metadata.name': node.metadata.name ?? '' };
    for (const r of fields) {
      if (r.key !== 'metadata.name' || (r.operator !== 'In' && r.operator !== 'NotIn')) return false;
      if (!requirementMatches(r, f)) return false;
    }
  }
  return true;
}

export function nodeSelectorTermsMatch(terms: readonly NodeSelectorTerm[], node: Node): boolean {
  for (const t of terms) if (nodeSelectorTermMatches(t, node)) return true;
  return false;
}

/** A pod's spec.nodeSelector and required node affinity, checked together. */
export class RequiredNodeAffinity {
  readonly #selector: [string, string][];
  readonly #terms: readonly NodeSelectorTerm[] | undefined;

  constructor(pod: Pod) {
    this.#selector = Object.entries(pod.spec.nodeSelector ?? {});
    this.#terms = pod.spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
  }

  get isEmpty(): boolean {
    return this.#selector.length === 0 && this.#terms === undefined;
  }

  match(node: Node): boolean {
    const labels = node.metadata.labels ?? {};
    for (const [k, v] of this.#selector) if (labels[k] !== v) return false;
    if (this.#terms === undefined) return true;
    return nodeSelectorTermsMatch(this.#terms, node);
  }
}
