/**
 * The image pull secrets part of the ServiceAccount admission plugin (upstream
 * plugin/pkg/admission/serviceaccount): a pod created without spec.imagePullSecrets gets those
 * of its ServiceAccount (spec.serviceAccountName, "default" when unset). Mirror pods are left as
 * they are. Defaulting serviceAccountName itself, the token volume and refusing pods of a missing
 * ServiceAccount are the rest of upstream's plugin, not done here.
 */
import { asObj, objs, str } from '../../api/core/access.js';
import type { KubeObject } from '../../machinery/object.js';
import type { AdmissionAttributes, AdmissionPlugin } from './interface.js';

const MIRROR_POD_ANNOTATION = 'kubernetes.io/config.mirror';

export class ServiceAccountImagePullSecrets implements AdmissionPlugin {
  readonly name = 'ServiceAccountImagePullSecrets';
  readonly #lookup: (namespace: string, name: string) => KubeObject | undefined;

  /** `lookup` reads a ServiceAccount (the watch cache). */
  constructor(lookup: (namespace: string, name: string) => KubeObject | undefined) {
    this.#lookup = lookup;
  }

  admit(attrs: AdmissionAttributes): void {
    const { type, object: pod } = attrs;
    if (attrs.operation !== 'CREATE' || type.group !== '' || type.plural !== 'pods' || attrs.subresource || !pod) return;
    if (pod.metadata.annotations?.[MIRROR_POD_ANNOTATION] !== undefined) return;
    const spec = (pod['spec'] ??= {}) as Record<string, unknown>;
    if (objs(spec['imagePullSecrets']).length > 0) return;
    const account = this.#lookup(attrs.namespace, str(spec['serviceAccountName']) || 'default');
    const secrets = objs(asObj(account)?.['imagePullSecrets']).map((r) => ({ name: str(r['name']) }));
    if (secrets.length > 0) spec['imagePullSecrets'] = secrets;
  }
}
