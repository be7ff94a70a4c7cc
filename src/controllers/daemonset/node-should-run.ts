/**
 * NodeShouldRunDaemonPod (daemon_controller.go): whether a node should run the DaemonSet's pod
 * (nodeName, nodeSelector, required node affinity, NoSchedule and NoExecute taints, with the
 * daemon tolerations added) and whether a pod already there may keep running (a NoSchedule taint
 * alone does not evict it). The scheduler's own predicates decide, as upstream's do.
 */
import type { Node, Pod as SchedulerPod } from '../../scheduler/types.js';
import { RequiredNodeAffinity } from '../../scheduler/plugins/helper/node-affinity.js';
import { doNotScheduleTaints, findMatchingUntoleratedTaint } from '../../scheduler/plugins/helper/taints.js';
import { addDaemonPodTolerations } from './daemon-pod.js';
import type { DaemonSet } from './types.js';

export interface NodeVerdict {
  /** A daemon pod should be created on the node. */
  shouldRun: boolean;
  /** A daemon pod already on the node may stay. */
  shouldContinueRunning: boolean;
}

const NO = { shouldRun: false, shouldContinueRunning: false };

interface DaemonPod {
  tolerations: SchedulerPod['spec']['tolerations'];
  affinity: RequiredNodeAffinity;
}

/** One per DaemonSet object (a sync reads a fresh copy): the checks are made on every node. */
const daemonPods = new WeakMap<DaemonSet, DaemonPod>();

/** NewPod: the template as a pod, with the daemon tolerations (for the predicates only). */
function daemonPod(ds: DaemonSet): DaemonPod {
  let p = daemonPods.get(ds);
  if (!p) {
    const spec = { ...(ds.spec?.template?.spec ?? {}) } as SchedulerPod['spec'];
    addDaemonPodTolerations(spec);
    const pod: SchedulerPod = { metadata: { ...ds.spec?.template?.metadata, namespace: ds.metadata.namespace }, spec };
    p = { tolerations: spec.tolerations, affinity: new RequiredNodeAffinity(pod) };
    daemonPods.set(ds, p);
  }
  return p;
}

export function nodeShouldRunDaemonPod(node: Node, ds: DaemonSet): NodeVerdict {
  const templateNodeName = ds.spec?.template?.spec?.['nodeName'];
  if (templateNodeName && templateNodeName !== node.metadata.name) return NO;
  const pod = daemonPod(ds);
  if (!pod.affinity.match(node)) return NO;
  const taints = node.spec?.taints;
  if (!findMatchingUntoleratedTaint(taints, pod.tolerations, doNotScheduleTaints)) {
    return { shouldRun: true, shouldContinueRunning: true };
  }
  const evicting = findMatchingUntoleratedTaint(taints, pod.tolerations, (t) => t.effect === 'NoExecute');
  return { shouldRun: false, shouldContinueRunning: evicting === undefined };
}
