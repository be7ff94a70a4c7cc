/**
 * apps/v1 DaemonSet as the DaemonSet controller reads it, and the labels and annotation that tie
 * its pods to a template (pod-template-generation, controller-revision-hash).
 */
import type { GroupVersionResource } from '../../client/interface.js';
import type { IntOrString } from '../../machinery/intstr.js';
import type { LabelSelector } from '../../machinery/labels.js';
import type { KubeObject } from '../../machinery/object.js';
import type { Condition, PodTemplateSpec } from '../controller-utils/types.js';

export const DAEMON_SETS: GroupVersionResource = { group: 'apps', version: 'v1', resource: 'daemonsets' };

/** apps.DefaultDaemonSetUniqueLabelKey (= ControllerRevisionHashLabelKey): the revision of a pod and a revision. */
export const DAEMON_SET_UNIQUE_LABEL = 'controller-revision-hash';
/** extensions.DaemonSetTemplateGenerationKey: the template generation a pod was made from. */
export const TEMPLATE_GENERATION_LABEL = 'pod-template-generation';
/** The apps/v1 form of spec.templateGeneration, kept by the API server. */
export { TEMPLATE_GENERATION_ANNOTATION } from '../../api/apps/daemonset.js';

export interface DaemonSetUpdateStrategy {
  type?: 'RollingUpdate' | 'OnDelete';
  rollingUpdate?: { maxUnavailable?: IntOrString; maxSurge?: IntOrString };
}

export interface DaemonSetStatus {
  currentNumberScheduled?: number;
  numberMisscheduled?: number;
  desiredNumberScheduled?: number;
  numberReady?: number;
  observedGeneration?: number;
  updatedNumberScheduled?: number;
  numberAvailable?: number;
  numberUnavailable?: number;
  collisionCount?: number;
  conditions?: Condition[];
}

export interface DaemonSet extends KubeObject {
  spec?: {
    selector?: LabelSelector;
    template?: PodTemplateSpec;
    updateStrategy?: DaemonSetUpdateStrategy;
    minReadySeconds?: number;
    revisionHistoryLimit?: number;
  };
  status?: DaemonSetStatus;
}
