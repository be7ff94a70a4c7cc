/**
 * The kubelet's admission of a new pod (kubelet.go canAdmitPod, lifecycle predicateAdmitHandler):
 * a pod asking for a sysctl that is not safe is rejected (sysctls.ts); a pod whose host ports are taken by a pod this node already admitted is rejected — phase
 * Failed, reason `NodePorts`, message `Pod was rejected: Predicate NodePorts failed` and a
 * Warning event — instead of running with a port that another pod holds. The port check is the
 * scheduler's NodePorts filter (0.0.0.0 conflicts with every IP), as upstream's kubelet reuses it.
 */
import { asObj, objs } from '../api/core/access.js';
import type { KubeObject } from '../machinery/object.js';
import { NodeInfo } from '../scheduler/framework/node-info.js';
import { PodInfo } from '../scheduler/framework/pod-info.js';
import { NODE_PORTS } from '../scheduler/plugins/node-ports.js';
import type { Pod } from '../scheduler/types.js';
import { forbiddenSysctl, SYSCTL_FORBIDDEN_REASON } from './sysctls.js';

export type AdmitResult = { admit: true } | { admit: false; reason: string; message: string };

/** A quick look before the scheduler's PodInfo is built: does any container ask for a host port? */
function wantsHostPort(pod: KubeObject): boolean {
  const spec = asObj(pod['spec']) ?? {};
  return [...objs(spec['containers']), ...objs(spec['initContainers'])].some((c) =>
    objs(c['ports']).some((p) => Number(p['hostPort']) > 0),
  );
}

/** `admitted` lists the pods the node admitted before (asked only when the pod wants host ports). */
export function canAdmitPod(pod: KubeObject, admitted: () => readonly KubeObject[]): AdmitResult {
  const sysctl = forbiddenSysctl(pod);
  if (sysctl) return { admit: false, reason: SYSCTL_FORBIDDEN_REASON, message: sysctl };
  if (!wantsHostPort(pod)) return { admit: true };
  const wanted = new PodInfo(pod as Pod);
  const node = new NodeInfo(undefined, '');
  for (const p of admitted()) node.addPod(new PodInfo(p as Pod));
  if (!node.portsConflict(wanted.hostPorts)) return { admit: true };
  return { admit: false, reason: NODE_PORTS, message: `Predicate ${NODE_PORTS} failed` };
}
