/**
 * Pod defaults (SetDefaults_Pod, SetDefaults_PodSpec, SetDefaults_Container, SetDefaults_Volume,
 * SetDefaults_Probe … in pkg/apis/core/v1/defaults.go). PodSpec defaults also apply to the
 * templates of PodTemplates and ReplicationControllers; pod-only defaults (requests from
 * limits, enableServiceLinks, host network ports) apply to Pods.
 */
import { asObj, child, objs, setDefault, str, type Obj } from './access.js';

export const DEFAULT_TERMINATION_GRACE_PERIOD_SECONDS = 30;
export const DEFAULT_SCHEDULER_NAME = 'default-scheduler';
const CONTAINER_LISTS = ['containers', 'initContainers', 'ephemeralContainers'] as const;

/** The tag of an image reference as parsers.ParseImageName sees it ("latest" when no tag or digest). */
export function imageTag(image: string): string {
  if (!image) return '';
  if (image.includes('@')) {
    const name = image.slice(0, image.indexOf('@'));
    const last = name.slice(name.lastIndexOf('/') + 1);
    return last.includes(':') ? last.slice(last.lastIndexOf(':') + 1) : '';
  }
  const last = image.slice(image.lastIndexOf('/') + 1);
  return last.includes(':') ? last.slice(last.lastIndexOf(':') + 1) : 'latest';
}

function defaultHTTPGet(handler: Obj | undefined): void {
  const get = asObj(handler?.['httpGet']);
  if (!get) return;
  setDefault(get, 'path', '/');
  setDefault(get, 'scheme', 'HTTP');
}

function defaultProbe(probe: unknown): void {
  const p = asObj(probe);
  if (!p) return;
  setDefault(p, 'timeoutSeconds', 1);
  setDefault(p, 'periodSeconds', 10);
  setDefault(p, 'successThreshold', 1);
  setDefault(p, 'failureThreshold', 3);
  defaultHTTPGet(p);
}

export function defaultContainer(c: Obj): void {
  if (!c['imagePullPolicy']) c['imagePullPolicy'] = imageTag(str(c['image'])) === 'latest' ? 'Always' : 'IfNotPresent';
  setDefault(c, 'terminationMessagePath', '/dev/termination-log');
  setDefault(c, 'terminationMessagePolicy', 'File');
  for (const p of objs(c['ports'])) setDefault(p, 'protocol', 'TCP');
  for (const e of objs(c['env'])) {
    const ref = asObj(asObj(e['valueFrom'])?.['fieldRef']);
    if (ref) setDefault(ref, 'apiVersion', 'v1');
  }
  for (const probe of ['livenessProbe', 'readinessProbe', 'startupProbe']) defaultProbe(c[probe]);
  const lifecycle = asObj(c['lifecycle']);
  if (lifecycle) for (const h of ['postStart', 'preStop']) defaultHTTPGet(asObj(lifecycle[h]));
}

const VOLUME_SOURCES = [
  'hostPath',
  'emptyDir',
  'gcePersistentDisk',
  'awsElasticBlockStore',
  'gitRepo',
  'secret',
  'nfs',
  'iscsi',
  'glusterfs',
  'persistentVolumeClaim',
  'rbd',
  'flexVolume',
  'cinder',
  'cephfs',
  'flocker',
  'downwardAPI',
  'fc',
  'azureFile',
  'configMap',
  'vsphereVolume',
  'quobyte',
  'azureDisk',
  'photonPersistentDisk',
  'projected',
  'portworxVolume',
  'scaleIO',
  'storageos',
  'csi',
  'ephemeral',
  'image',
] as const;
export { VOLUME_SOURCES };

function defaultFieldRefs(items: unknown): void {
  for (const item of objs(items)) {
    const ref = asObj(item['fieldRef']);
    if (ref) setDefault(ref, 'apiVersion', 'v1');
  }
}

export function defaultVolume(v: Obj): void {
  if (!VOLUME_SOURCES.some((s) => v[s] !== undefined && v[s] !== null)) v['emptyDir'] = {};
  for (const key of ['secret', 'configMap', 'downwardAPI', 'projected']) {
    const src = asObj(v[key]);
    if (src) setDefault(src, 'defaultMode', 420);
  }
  defaultFieldRefs(asObj(v['downwardAPI'])?.['items']);
  const hostPath = asObj(v['hostPath']);
  if (hostPath && hostPath['type'] === undefined) hostPath['type'] = '';
  const iscsi = asObj(v['iscsi']);
  if (iscsi) setDefault(iscsi, 'iscsiInterface', 'default');
  const rbd = asObj(v['rbd']);
  if (rbd) {
    setDefault(rbd, 'pool', 'rbd');
    setDefault(rbd, 'user', 'admin');
    setDefault(rbd, 'keyring', '/etc/ceph/keyring');
  }
  const azureDisk = asObj(v['azureDisk']);
  if (azureDisk) {
    setDefault(azureDisk, 'cachingMode', 'ReadWrite');
    setDefault(azureDisk, 'fsType', 'ext4');
    setDefault(azureDisk, 'readOnly', false);
    setDefault(azureDisk, 'kind', 'Shared');
  }
  for (const source of objs(asObj(v['projected'])?.['sources'])) {
    const token = asObj(source['serviceAccountToken']);
    if (token) setDefault(token, 'expirationSeconds', 3600);
    defaultFieldRefs(asObj(source['downwardAPI'])?.['items']);
  }
}

/** SetDefaults_PodSpec and the defaults of everything inside it. */
export function defaultPodSpec(spec: Obj): void {
  setDefault(spec, 'dnsPolicy', 'ClusterFirst');
  setDefault(spec, 'restartPolicy', 'Always');
  if (!asObj(spec['securityContext'])) spec['securityContext'] = {};
  setDefault(spec, 'terminationGracePeriodSeconds', DEFAULT_TERMINATION_GRACE_PERIOD_SECONDS);
  setDefault(spec, 'schedulerName', DEFAULT_SCHEDULER_NAME);
  for (const list of CONTAINER_LISTS) for (const c of objs(spec[list])) defaultContainer(c);
  for (const v of objs(spec['volumes'])) defaultVolume(v);
}

/** SetDefaults_Pod: PodSpec defaults plus requests from limits, service links, host ports. */
export function defaultPod(pod: Obj): void {
  const spec = child(pod, 'spec');
  defaultPodSpec(spec);
  for (const list of ['containers', 'initContainers'] as const) {
    for (const c of objs(spec[list])) {
      const resources = asObj(c['resources']);
      const limits = asObj(resources?.['limits']);
      if (!resources || !limits || Object.keys(limits).length === 0) continue;
      const requests = child(resources, 'requests');
      for (const [k, v] of Object.entries(limits)) if (requests[k] === undefined) requests[k] = v;
    }
  }
  setDefault(spec, 'enableServiceLinks', true);
  if (spec['hostNetwork'] === true) {
    for (const list of ['containers', 'initContainers'] as const) {
      for (const c of objs(spec[list])) for (const p of objs(c['ports'])) if (!p['hostPort']) p['hostPort'] = p['containerPort'];
    }
  }
}

/** Defaults of a PodTemplateSpec (`template` of PodTemplate, ReplicationController, …). */
export function defaultPodTemplateSpec(template: unknown): void {
  const t = asObj(template);
  if (!t) return;
  defaultPodSpec(child(t, 'spec'));
}
