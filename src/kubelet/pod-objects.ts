/**
 * The API objects a pod refers to, as the kubelet reads them: ConfigMaps and Secrets (for env,
 * envFrom and volumes; upstream's configmap/secret managers), the Services of the pod's namespace
 * (for the service environment variables) and ServiceAccount tokens (TokenRequest, for projected
 * volumes). One interface so the kubelet's consumers (container config, volumes) do not know
 * whether the answer came from a GET, a watch cache or a test's map.
 */
import { asObj } from '../api/core/access.js';
import type { Clientset, GroupVersionResource, Lister } from '../client/interface.js';
import { isStatusError } from '../machinery/errors.js';
import type { KubeObject } from '../machinery/object.js';

export interface TokenRequestSpec {
  audiences: string[];
  expirationSeconds: number;
  /** The pod the token is bound to (it stops authenticating once the pod is gone). */
  boundPod?: { name: string; uid: string };
}

export interface IssuedToken {
  token: string;
  /** Epoch milliseconds. */
  expiresAt: number;
}

export interface PodObjects {
  /** The ConfigMap, or undefined when it does not exist. */
  configMap(namespace: string, name: string): Promise<KubeObject | undefined>;
  /** The Secret, or undefined when it does not exist. */
  secret(namespace: string, name: string): Promise<KubeObject | undefined>;
  /** The Services of a namespace (for the service environment variables). */
  services(namespace: string): Promise<KubeObject[]>;
  /** A token for the ServiceAccount through its token subresource (TokenRequest). */
  serviceAccountToken(namespace: string, serviceAccount: string, spec: TokenRequestSpec): Promise<IssuedToken>;
  /** The PersistentVolumeClaim, or undefined when it does not exist (persistentVolumeClaim volumes). */
  persistentVolumeClaim(namespace: string, name: string): Promise<KubeObject | undefined>;
  /** The PersistentVolume, or undefined when it does not exist. */
  persistentVolume(name: string): Promise<KubeObject | undefined>;
}

const CONFIGMAPS: GroupVersionResource = { group: '', version: 'v1', resource: 'configmaps' };
const SECRETS: GroupVersionResource = { group: '', version: 'v1', resource: 'secrets' };
const SERVICEACCOUNTS: GroupVersionResource = { group: '', version: 'v1', resource: 'serviceaccounts' };
const PVCS: GroupVersionResource = { group: '', version: 'v1', resource: 'persistentvolumeclaims' };
const PVS: GroupVersionResource = { group: '', version: 'v1', resource: 'persistentvolumes' };

async function getOrUndefined(get: () => Promise<KubeObject>): Promise<KubeObject | undefined> {
  try {
    return await get();
  } catch (err) {
    if (isStatusError(err, 'NotFound')) return undefined;
    throw err;
  }
}

/**
 * PodObjects over the API: ConfigMaps and Secrets are read with a GET each time (upstream's
 * "Get" change-detection strategy), Services from the node engine's shared informer.
 */
export class ClientPodObjects implements PodObjects {
  readonly #clientset: Clientset;
  readonly #services: Lister;

  constructor(clientset: Clientset, services: Lister) {
    this.#clientset = clientset;
    this.#services = services;
  }

  configMap(namespace: string, name: string): Promise<KubeObject | undefined> {
    return getOrUndefined(() => this.#clientset.resource(CONFIGMAPS).get(namespace, name));
  }

  secret(namespace: string, name: string): Promise<KubeObject | undefined> {
    return getOrUndefined(() => this.#clientset.resource(SECRETS).get(namespace, name));
  }

  async services(namespace: string): Promise<KubeObject[]> {
    return this.#services.list(namespace);
  }

  async serviceAccountToken(namespace: string, serviceAccount: string, spec: TokenRequestSpec): Promise<IssuedToken> {
    const body = {
      apiVersion: 'authentication.k8s.io/v1',
      kind: 'TokenRequest',
      spec: {
        audiences: spec.audiences,
        expirationSeconds: spec.expirationSeconds,
        ...(spec.boundPod ? { boundObjectRef: { apiVersion: 'v1', kind: 'Pod', ...spec.boundPod } } : {}),
      },
    };
    const res = asObj(await this.#clientset.resource(SERVICEACCOUNTS).createSubresource(namespace, serviceAccount, 'token', body));
    const status = asObj(res?.['status']) ?? {};
    return { token: String(status['token'] ?? ''), expiresAt: Date.parse(String(status['expirationTimestamp'] ?? '')) };
  }

  persistentVolumeClaim(namespace: string, name: string): Promise<KubeObject | undefined> {
    return getOrUndefined(() => this.#clientset.resource(PVCS).get(namespace, name));
  }

  persistentVolume(name: string): Promise<KubeObject | undefined> {
    return getOrUndefined(() => this.#clientset.resource(PVS).get('', name));
  }
}
