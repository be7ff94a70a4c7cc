/** The HorizontalPodAutoscaler as the controller reads and writes it, and its conditions (setConditionInList). */
import type { KubeObject } from '../../machinery/object.js';
import { rfc3339 } from '../../machinery/time.js';
import type { Obj } from '../../api/core/access.js';
import type { HPACondition } from './compute-metrics.js';
import type { Behavior } from './normalize.js';

export interface HPA extends KubeObject {
  spec?: {
    scaleTargetRef?: { apiVersion?: string; kind?: string; name?: string };
    minReplicas?: number;
    maxReplicas?: number;
    metrics?: Obj[];
    behavior?: Behavior;
  };
  status?: {
    currentReplicas?: number;
    desiredReplicas?: number;
    lastScaleTime?: string;
    currentMetrics?: Obj[];
    conditions?: (HPACondition & { lastTransitionTime?: string })[];
  };
}

/** setConditionInList: a new status moves lastTransitionTime; reason and message always follow. */
export function setCondition(hpa: HPA, c: HPACondition, now: number): void {
  const status = (hpa.status ??= {});
  const list = (status.conditions ??= []);
  const cur = list.find((x) => x.type === c.type);
  if (!cur) list.push({ ...c, lastTransitionTime: rfc3339(now) });
  else {
    if (cur.status !== c.status) cur.lastTransitionTime = rfc3339(now);
    Object.assign(cur, { status: c.status, reason: c.reason, message: c.message });
  }
}
