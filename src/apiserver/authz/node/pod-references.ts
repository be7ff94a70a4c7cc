/**
 * The API objects a pod refers to, as upstream's podutil.VisitPodSecretNames /
 * VisitPodConfigmapNames and the node graph's AddPod read them: Secrets and ConfigMaps (env,
 * envFrom, volumes, projected sources, image pull secrets, volume plugins' secretRefs),
 * PersistentVolumeClaims (claims and generic ephemeral volumes), the ServiceAccount and
 * ResourceClaims. Also the Secrets a PersistentVolume refers to (its plugins' secretRefs).
 */
import type { KubeObject } from '../../../machinery/object.js';

export type ReferenceType = 'secret' | 'configmap' | 'persistentvolumeclaim' | 'serviceaccount' | 'resourceclaim';

type Obj = Record<string, unknown>;

function obj(value: unknown): Obj | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Obj) : undefined;
}

function list(value: unknown): Obj[] {
  return Array.isArray(value) ? value.map(obj).filter((v): v is Obj => v !== undefined) : [];
}

function name(value: unknown, field = 'name'): string {
  const v = obj(value)?.[field];
  return typeof v === 'string' ? v : '';
}

/** Volume plugins whose `secretRef` names a Secret of the pod's namespace (upstream VisitPodSecretNames). */
const SECRET_REF_VOLUMES = ['cephfs', 'cinder', 'flexVolume', 'rbd', 'scaleIO', 'storageos', 'csi'];
const CSI_SECRET_REFS = ['nodePublishSecretRef'];

function visitContainers(spec: Obj, visit: (type: ReferenceType, name: string) => void): void {
  for (const field of ['initContainers', 'containers', 'ephemeralContainers']) {
    for (const c of list(spec[field])) {
      for (const from of list(c['envFrom'])) {
        visit('configmap', name(from['configMapRef']));
        visit('secret', name(from['secretRef']));
      }
      for (const env of list(c['env'])) {
        const source = obj(env['valueFrom']);
        visit('configmap', name(source?.['configMapKeyRef']));
        visit('secret', name(source?.['secretKeyRef']));
      }
    }
  }
}

function visitVolumes(pod: KubeObject, spec: Obj, visit: (type: ReferenceType, name: string) => void): void {
  for (const v of list(spec['volumes'])) {
    visit('secret', name(v['secret'], 'secretName'));
    visit('configmap', name(v['configMap']));
    visit('persistentvolumeclaim', name(v['persistentVolumeClaim'], 'claimName'));
    if (v['ephemeral']) visit('persistentvolumeclaim', `${pod.metadata.name ?? ''}-${name(v)}`);
    for (const source of list(obj(v['projected'])?.['sources'])) {
      visit('secret', name(source['secret']));
      visit('configmap', name(source['configMap']));
    }
    for (const plugin of SECRET_REF_VOLUMES) {
      const p = obj(v[plugin]);
      visit('secret', name(p?.['secretRef']));
      for (const ref of CSI_SECRET_REFS) visit('secret', name(p?.[ref]));
    }
    visit('secret', name(v['azureFile'], 'secretName'));
    visit('secret', name(obj(v['iscsi'])?.['secretRef']));
  }
}

/**
 * The pod's ServiceAccount: spec.serviceAccountName, else the deprecated spec.serviceAccount,
 * else "default" as the kubelet takes it (mirror pods have none).
 */
function podServiceAccount(pod: KubeObject, spec: Obj): string {
  for (const field of ['serviceAccountName', 'serviceAccount']) {
    const v = spec[field];
    if (typeof v === 'string' && v) return v;
  }
  return pod.metadata.annotations?.['kubernetes.io/config.mirror'] === undefined ? 'default' : '';
}

/** Every reference of the pod, deduplicated, as `type/name` (all in the pod's namespace). */
export function podReferences(pod: KubeObject): string[] {
  const spec = obj(pod['spec']) ?? {};
  const out = new Set<string>();
  const visit = (type: ReferenceType, refName: string): void => {
    if (refName) out.add(`${type}/${refName}`);
  };
  for (const s of list(spec['imagePullSecrets'])) visit('secret', name(s));
  visitContainers(spec, visit);
  visitVolumes(pod, spec, visit);
  visit('serviceaccount', podServiceAccount(pod, spec));
  for (const claim of list(spec['resourceClaims'])) visit('resourceclaim', name(claim, 'resourceClaimName'));
  for (const claim of list(obj(pod['status'])?.['resourceClaimStatuses'])) visit('resourceclaim', name(claim, 'resourceClaimName'));
  return [...out];
}

/** The Secrets a PersistentVolume's plugin refers to, as `namespace/name` (upstream's VisitPVSecretNames). */
export function volumeSecretReferences(pv: KubeObject): string[] {
  const spec = obj(pv['spec']) ?? {};
  const claimNamespace = name(spec['claimRef'], 'namespace');
  const out = new Set<string>();
  const add = (ref: unknown, fallbackNamespace: string): void => {
    const r = obj(ref);
    const refName = name(r);
    const namespace = name(r, 'namespace') || fallbackNamespace;
    if (refName && namespace) out.add(`${namespace}/${refName}`);
  };
  const csi = obj(spec['csi']);
  for (const field of [
    'controllerPublishSecretRef',
    'nodeStageSecretRef',
    'nodePublishSecretRef',
    'controllerExpandSecretRef',
    'nodeExpandSecretRef',
  ])
    add(csi?.[field], '');
  for (const plugin of ['cephfs', 'cinder', 'flexVolume', 'rbd', 'scaleIO', 'storageos', 'iscsi'])
    add(obj(spec[plugin])?.['secretRef'], claimNamespace);
  const azure = obj(spec['azureFile']);
  if (azure && typeof azure['secretName'] === 'string')
    add({ name: azure['secretName'], namespace: azure['secretNamespace'] }, claimNamespace || 'default');
  return [...out];
}
