/**
 * The FailedScheduling message (upstream framework.FitError.Error()):
 * `0/3 nodes are available: 1 node(s) had untolerated taint {k: v}, 2 Insufficient cpu. preemption: …`
 * Reasons are counted across nodes and the "count reason" strings sorted as strings, as upstream.
 */
import type { NodeToStatus } from './interface.js';

export const ERR_NO_NODES_AVAILABLE = 'no nodes available to schedule pods';

export interface Diagnosis {
  nodeToStatus: NodeToStatus;
  /** Set when a PreFilter plugin rejected the pod (then per-node reasons are not listed). */
  preFilterMsg?: string;
  /** The PostFilter (preemption) outcome message, e.g. `preemption: 0/3 nodes are available: …`. */
  postFilterMsg?: string;
  /** Plugins that rejected the pod; the queue moves it on their events. */
  unschedulablePlugins: Set<string>;
}

export function formatFitError(numAllNodes: number, nodeToStatus: NodeToStatus, preFilterMsg = '', postFilterMsg = ''): string {
  let msg = `0/${numAllNodes} nodes are available:`;
  if (preFilterMsg) {
    msg += ` ${preFilterMsg}.`;
  } else {
    const counts = new Map<string, number>();
    for (const status of nodeToStatus.values()) for (const r of status.reasons) counts.set(r, (counts.get(r) ?? 0) + 1);
    const parts = [...counts].map(([reason, n]) => `${n} ${reason}`).sort();
    if (parts.length > 0) msg += ` ${parts.join(', ')}.`;
  }
  // The preemption message is itself a FitError message; end the whole with one period, as upstream's events read.
  if (postFilterMsg) msg += ` ${postFilterMsg.replace(/\.$/, '')}.`;
  return msg;
}

/** A scheduling attempt in which no node fits. */
export class FitError extends Error {
  readonly code = 'FitError';
  readonly numAllNodes: number;
  readonly diagnosis: Diagnosis;

  constructor(numAllNodes: number, diagnosis: Diagnosis) {
    super(formatFitError(numAllNodes, diagnosis.nodeToStatus, diagnosis.preFilterMsg, diagnosis.postFilterMsg));
    this.numAllNodes = numAllNodes;
    this.diagnosis = diagnosis;
    this.name = 'FitError';
  }
}
