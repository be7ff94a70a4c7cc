/**
 * The Secrets a pod references, as the ServiceAccount admission plugin checks them: upstream
 * limitSecretReferences (an account with kubernetes.io/enforce-mountable-secrets lets a pod use
 * only its own secrets and imagePullSecrets) and VisitPodSecretNames (mirror pods may use none).
 */
import { asObj, objs, str, type Obj } from '../../api/core/access.js';
import type { KubeObject } from '../../machinery/object.js';

type ContainerKey = 'initContainers' | 'containers' | 'ephemeralContainers';

const CONTAINER_WORDS: Record<ContainerKey, string> = {
  initContainers: 'init container',
  containers: 'container',
  ephemeralContainers: 'ephemeral container',
};

/**
 * upstream limitSecretReferences: the first reference of the pod's volumes, init containers,
 * containers and imagePullSecrets the account does not allow, as upstream words it; undefined
 * when all are allowed.
 */
export function podSecretReferenceError(account: KubeObject, spec: Obj): string | undefined {
  const mountable = mountableSecrets(account);
  for (const volume of objs(spec['volumes'])) {
    const secret = asObj(volume['secret']);
    if (!secret) continue;
    const name = str(secret['secretName']);
    if (!mountable.has(name)) return `volume with secret.secretName="${name}" ${notReferenced(account)}`;
  }
  const containers =
    containerSecretReferenceError(account, spec, 'initContainers') ?? containerSecretReferenceError(account, spec, 'containers');
  if (containers) return containers;
  const pullSecrets = new Set(objs(account['imagePullSecrets']).map((s) => str(s['name'])));
  for (const [i, ref] of objs(spec['imagePullSecrets']).entries()) {
    if (!pullSecrets.has(str(ref['name']))) {
      return `imagePullSecrets[${i}].name="${str(ref['name'])}" is not allowed because service account ${account.metadata.name ?? ''} does not reference that imagePullSecret`;
    }
  }
  return undefined;
}

/** upstream limitEphemeralContainerSecretReferences: the ephemeral containers' env and envFrom. */
export function ephemeralSecretReferenceError(account: KubeObject, spec: Obj): string | undefined {
  return containerSecretReferenceError(account, spec, 'ephemeralContainers');
}

function mountableSecrets(account: KubeObject): Set<string> {
  return new Set(objs(account['secrets']).map((s) => str(s['name'])));
}

function notReferenced(account: KubeObject): string {
  return `is not allowed because service account ${account.metadata.name ?? ''} does not reference that secret`;
}

function containerSecretReferenceError(account: KubeObject, spec: Obj, key: ContainerKey): string | undefined {
  const mountable = mountableSecrets(account);
  const word = CONTAINER_WORDS[key];
  for (const container of objs(spec[key])) {
    const cname = str(container['name']);
    for (const env of objs(container['env'])) {
      const ref = asObj(asObj(env['valueFrom'])?.['secretKeyRef']);
      if (ref && !mountable.has(str(ref['name']))) {
        return `${word} ${cname} with envVar ${str(env['name'])} referencing secret.secretName="${str(ref['name'])}" ${notReferenced(account)}`;
      }
    }
    for (const from of objs(container['envFrom'])) {
      const ref = asObj(from['secretRef']);
      if (ref && !mountable.has(str(ref['name']))) {
        return `${word} ${cname} with envFrom referencing secret.secretName="${str(ref['name'])}" ${notReferenced(account)}`;
      }
    }
  }
  return undefined;
}

/** upstream VisitPodSecretNames over every container: does the pod name any Secret? */
export function referencesSecrets(spec: Obj): boolean {
  if (objs(spec['imagePullSecrets']).length > 0) return true;
  for (const volume of objs(spec['volumes'])) {
    if (asObj(volume['secret'])) return true;
    if (objs(asObj(volume['projected'])?.['sources']).some((s) => asObj(s['secret']))) return true;
    // the other plugins' secretRef (cephfs, cinder, flexVolume, iscsi, rbd, csi, …)
    for (const source of Object.values(volume)) {
      const ref = asObj(asObj(source)?.['secretRef']) ?? asObj(asObj(source)?.['nodePublishSecretRef']);
      if (ref && str(ref['name'])) return true;
    }
  }
  for (const key of ['initContainers', 'containers', 'ephemeralContainers']) {
    for (const container of objs(spec[key])) {
      if (objs(container['envFrom']).some((f) => asObj(f['secretRef']))) return true;
      if (objs(container['env']).some((e) => asObj(asObj(e['valueFrom'])?.['secretKeyRef']))) return true;
    }
  }
  return false;
}
