/**
 * The ServiceAccount admission plugin (upstream plugin/pkg/admission/serviceaccount). A pod
 * created without spec.serviceAccountName gets `default`; its ServiceAccount must exist (the
 * `default` one is waited for a moment, as the service account controller makes it); unless
 * automountServiceAccountToken is false on the pod or the account, every container and init
 * container without a mount at /var/run/secrets/kubernetes.io/serviceaccount mounts a
 * `kube-api-access-<random>` projected volume (a bound token, the kube-root-ca.crt ConfigMap's
 * ca.crt, the namespace); a pod without imagePullSecrets gets the account's. An account
 * annotated `kubernetes.io/enforce-mountable-secrets: "true"` limits the pod's secret
 * references to the account's secrets. Mirror pods are never changed and may reference neither
 * ServiceAccounts nor Secrets nor token projections.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { asObj, objs, str, type Obj } from '../../api/core/access.js';
import { newForbidden, newNotFound } from '../../machinery/errors.js';
import type { KubeObject } from '../../machinery/object.js';
import { generateName } from '../../machinery/names.js';
import type { AdmissionAttributes, AdmissionPlugin } from './interface.js';
import { ephemeralSecretReferenceError, podSecretReferenceError, referencesSecrets } from './service-account-secrets.js';

const MIRROR_POD_ANNOTATION = 'kubernetes.io/config.mirror';
const DEFAULT_SERVICE_ACCOUNT = 'default';
export const API_ACCESS_MOUNT_PATH = '/var/run/secrets/kubernetes.io/serviceaccount';
const API_ACCESS_VOLUME_PREFIX = 'kube-api-access-';
const ENFORCE_MOUNTABLE_SECRETS_ANNOTATION = 'kubernetes.io/enforce-mountable-secrets';
/** upstream serviceaccount.WarnOnlyBoundTokenExpirationSeconds: an hour and seven seconds. */
const TOKEN_EXPIRATION_SECONDS = 3607;
/** upstream ProjectedVolumeSourceDefaultMode (0644). */
const PROJECTED_DEFAULT_MODE = 420;

export interface ServiceAccountAdmissionOptions {
  /** Reads a ServiceAccount (the watch cache). */
  lookup: (namespace: string, name: string) => KubeObject | undefined;
  /**
   * How long a missing `default` account is waited for, in tries `retryIntervalMs` apart
   * (upstream tries 10 times 100–200 ms apart; k8ts waits up to 30 s, as its controller manager
   * may take that long to start on a loaded machine, and a pod created at once must not fail).
   */
  defaultAccountTries?: number;
  retryIntervalMs?: number;
  /** The volume's name (default: kube-api-access- and five random characters). */
  volumeName?: () => string;
}

/** upstream TokenVolumeSource, in its v1 shape. */
export function apiAccessVolumeSource(): Obj {
  return {
    defaultMode: PROJECTED_DEFAULT_MODE,
    sources: [
      { serviceAccountToken: { expirationSeconds: TOKEN_EXPIRATION_SECONDS, path: 'token' } },
      { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
      { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
    ],
  };
}

export class ServiceAccountAdmission implements AdmissionPlugin {
  readonly name = 'ServiceAccount';
  readonly #o: ServiceAccountAdmissionOptions;

  constructor(options: ServiceAccountAdmissionOptions) {
    this.#o = options;
  }

  async admit(attrs: AdmissionAttributes): Promise<void> {
    const pod = podOf(attrs);
    if (!pod || attrs.operation !== 'CREATE' || attrs.subresource) return;
    if (pod.metadata.annotations?.[MIRROR_POD_ANNOTATION] !== undefined) return;
    const spec = (pod['spec'] ??= {}) as Obj;
    if (!str(spec['serviceAccountName'])) spec['serviceAccountName'] = DEFAULT_SERVICE_ACCOUNT;
    const account = await this.#account(attrs, str(spec['serviceAccountName']));
    if (shouldAutomount(account, spec)) this.#mountAPIAccess(spec);
    if (objs(spec['imagePullSecrets']).length === 0) {
      const secrets = objs(account['imagePullSecrets']).map((r) => ({ name: str(r['name']) }));
      if (secrets.length > 0) spec['imagePullSecrets'] = secrets;
    }
  }

  async validate(attrs: AdmissionAttributes): Promise<void> {
    const pod = podOf(attrs);
    if (!pod) return;
    const spec = asObj(pod['spec']) ?? {};
    const ephemeral = attrs.operation === 'UPDATE' && attrs.subresource === 'ephemeralcontainers';
    if (!ephemeral && (attrs.operation !== 'CREATE' || attrs.subresource)) return;
    if (!ephemeral && pod.metadata.annotations?.[MIRROR_POD_ANNOTATION] !== undefined) {
      const why = mirrorPodRefusal(spec);
      if (why) throw forbidden(attrs, why);
      return;
    }
    const name = str(spec['serviceAccountName']);
    if (!name) throw forbidden(attrs, `no service account specified for pod ${attrs.namespace}/${pod.metadata.name ?? ''}`);
    const account = await this.#account(attrs, name);
    if (!enforcesMountableSecrets(account)) return;
    const err = ephemeral ? ephemeralSecretReferenceError(account, spec) : podSecretReferenceError(account, spec);
    if (err) throw forbidden(attrs, err);
  }

  /** upstream getServiceAccount: the cache, tried again for a while for `default`; refused when missing. */
  async #account(attrs: AdmissionAttributes, name: string): Promise<KubeObject> {
    const tries = name === DEFAULT_SERVICE_ACCOUNT ? (this.#o.defaultAccountTries ?? 300) : 1;
    for (let i = 0; i < tries; i++) {
      if (i > 0) await sleep(this.#o.retryIntervalMs ?? 100);
      const account = this.#o.lookup(attrs.namespace, name);
      if (account) return account;
    }
    const notFound = newNotFound({ group: '', resource: 'serviceaccount' }, name).status.message;
    throw forbidden(attrs, `error looking up service account ${attrs.namespace}/${name}: ${notFound}`);
  }

  /** upstream mountServiceAccountToken: one volume, mounted where no container mounts that path yet. */
  #mountAPIAccess(spec: Obj): void {
    const volumes = objs(spec['volumes']);
    const taken = new Set(volumes.map((v) => str(v['name'])));
    const newName = this.#o.volumeName ?? (() => generateName(API_ACCESS_VOLUME_PREFIX));
    let name = newName();
    while (taken.has(name)) name = newName();
    let needed = false;
    for (const key of ['initContainers', 'containers']) {
      for (const container of objs(spec[key])) {
        const mounts = objs(container['volumeMounts']);
        if (mounts.some((m) => str(m['mountPath']) === API_ACCESS_MOUNT_PATH)) continue;
        container['volumeMounts'] = [...mounts, { name, readOnly: true, mountPath: API_ACCESS_MOUNT_PATH }];
        needed = true;
      }
    }
    if (needed) spec['volumes'] = [...volumes, { name, projected: apiAccessVolumeSource() }];
  }
}

function podOf(attrs: AdmissionAttributes): KubeObject | undefined {
  const { type } = attrs;
  return type.group === '' && type.plural === 'pods' ? attrs.object : undefined;
}

/** upstream shouldAutomount: the pod's setting, else the account's, else true. */
function shouldAutomount(account: KubeObject, spec: Obj): boolean {
  const own = spec['automountServiceAccountToken'];
  if (typeof own === 'boolean') return own;
  const accounts = account['automountServiceAccountToken'];
  return typeof accounts === 'boolean' ? accounts : true;
}

function enforcesMountableSecrets(account: KubeObject): boolean {
  return account.metadata.annotations?.[ENFORCE_MOUNTABLE_SECRETS_ANNOTATION] === 'true';
}

/** What a mirror pod may not reference (upstream Validate). */
function mirrorPodRefusal(spec: Obj): string | undefined {
  if (str(spec['serviceAccountName'])) return 'a mirror pod may not reference service accounts';
  if (referencesSecrets(spec)) return 'a mirror pod may not reference secrets';
  const volumes = objs(spec['volumes']);
  if (volumes.some((v) => objs(asObj(v['projected'])?.['sources']).some((s) => s['serviceAccountToken'] !== undefined))) {
    return 'a mirror pod may not use ServiceAccountToken volume projections';
  }
  return undefined;
}

/** upstream admission.NewForbidden for a pod. */
function forbidden(attrs: AdmissionAttributes, why: string) {
  const meta = attrs.object?.metadata;
  return newForbidden({ group: '', resource: 'pods' }, attrs.name || meta?.generateName || '', why);
}
