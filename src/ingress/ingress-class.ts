/**
 * Which Ingresses this controller serves, and k8ts' default IngressClass. The class `k8ts`
 * (controller k8ts.io/ingress) is created when absent, annotated as the cluster's default class.
 * An Ingress is ours when its spec.ingressClassName (or the legacy kubernetes.io/ingress.class
 * annotation) names a class of our controller, or when it names no class and one of our classes
 * is the default — what upstream's DefaultIngressClass admission would have set.
 *
 *   ensureDefaultIngressClass(client: ResourceClient): Promise<void>
 *   servedBy(ingress, classes): boolean
 */
import type { ResourceClient } from '../client/interface.js';
import { isStatusError } from '../machinery/errors.js';
import type { KubeObject } from '../machinery/object.js';
import { INGRESS_CLASS_NAME, INGRESS_CONTROLLER } from './interface.js';

export const IS_DEFAULT_CLASS_ANNOTATION = 'ingressclass.kubernetes.io/is-default-class';
export const LEGACY_CLASS_ANNOTATION = 'kubernetes.io/ingress.class';

/** k8ts' IngressClass as it is created. */
export function defaultIngressClass(): KubeObject {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'IngressClass',
    metadata: { name: INGRESS_CLASS_NAME, annotations: { [IS_DEFAULT_CLASS_ANNOTATION]: 'true' } },
    spec: { controller: INGRESS_CONTROLLER },
  };
}

/** Creates the `k8ts` IngressClass unless it exists (a user's edits to it are kept). */
export async function ensureDefaultIngressClass(client: ResourceClient): Promise<void> {
  try {
    await client.get('', INGRESS_CLASS_NAME);
    return;
  } catch (err) {
    if (!isStatusError(err, 'NotFound')) throw err;
  }
  await client.create('', defaultIngressClass()).catch((err: unknown) => {
    if (!isStatusError(err, 'AlreadyExists')) throw err;
  });
}

/** Whether this controller serves `ingress`, given every IngressClass. */
export function servedBy(ingress: KubeObject, classes: readonly KubeObject[]): boolean {
  const ours = classes.filter((c) => (c['spec'] as Record<string, unknown> | undefined)?.['controller'] === INGRESS_CONTROLLER);
  const spec = (ingress['spec'] ?? {}) as Record<string, unknown>;
  const className = spec['ingressClassName'] ?? ingress.metadata.annotations?.[LEGACY_CLASS_ANNOTATION];
  if (typeof className === 'string' && className !== '') return ours.some((c) => c.metadata.name === className);
  return ours.some((c) => c.metadata.annotations?.[IS_DEFAULT_CLASS_ANNOTATION] === 'true');
}
