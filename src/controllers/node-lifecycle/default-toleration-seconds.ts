/**
 * DefaultTolerationSeconds admission (plugin/pkg/admission/defaulttolerationseconds): pods that do
 * not already tolerate node.kubernetes.io/not-ready:NoExecute or unreachable:NoExecute get a
 * toleration for each with tolerationSeconds 300, so taint-based eviction waits five minutes.
 */
import type { AdmissionAttributes, AdmissionPlugin } from '../../apiserver/admission/interface.js';
import { isPlainObject } from '../../machinery/object.js';
import { TAINT_NOT_READY, TAINT_UNREACHABLE, type Toleration } from './taints.js';

export const DEFAULT_TOLERATION_SECONDS = 300;

export interface DefaultTolerationSecondsOptions {
  /** --default-not-ready-toleration-seconds (300). */
  notReadySeconds?: number;
  /** --default-unreachable-toleration-seconds (300). */
  unreachableSeconds?: number;
}

const toleratesNoExecute = (t: Toleration, key: string): boolean => (t.key === key || !t.key) && (t.effect === 'NoExecute' || !t.effect);

export class DefaultTolerationSeconds implements AdmissionPlugin {
  readonly name = 'DefaultTolerationSeconds';
  readonly #notReady: number;
  readonly #unreachable: number;

  constructor(options: DefaultTolerationSecondsOptions = {}) {
    this.#notReady = options.notReadySeconds ?? DEFAULT_TOLERATION_SECONDS;
    this.#unreachable = options.unreachableSeconds ?? DEFAULT_TOLERATION_SECONDS;
  }

  admit(attrs: AdmissionAttributes): void {
    if (attrs.type.group !== '' || attrs.type.plural !== 'pods' || attrs.subresource) return;
    if (attrs.operation !== 'CREATE' && attrs.operation !== 'UPDATE') return;
    const pod = attrs.object;
    if (!pod) return;
    const spec = isPlainObject(pod['spec']) ? pod['spec'] : (pod['spec'] = {});
    const tolerations = (Array.isArray(spec['tolerations']) ? spec['tolerations'] : []) as Toleration[];
    const notReady = tolerations.some((t) => isPlainObject(t) && toleratesNoExecute(t, TAINT_NOT_READY));
    const unreachable = tolerations.some((t) => isPlainObject(t) && toleratesNoExecute(t, TAINT_UNREACHABLE));
    if (notReady && unreachable) return;
    const added = [...tolerations];
    if (!notReady) added.push({ key: TAINT_NOT_READY, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: this.#notReady });
    if (!unreachable) added.push({ key: TAINT_UNREACHABLE, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: this.#unreachable });
    spec['tolerations'] = added;
  }
}
