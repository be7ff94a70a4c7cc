/**
 * PodObjects for unit tests, answered from a list of objects: ConfigMaps, Secrets, Services,
 * PersistentVolumeClaims and PersistentVolumes are found by kind, namespace and name. Every read
 * of one object is logged in `reads` as `Kind/name`; every TokenRequest is logged in
 * `tokenRequests` and answered with the token `token-<serviceAccount>-<n>`, valid for the
 * requested seconds from the clock's now.
 */
import type { Clock } from '../../client/rate-limiter.js';
import type { KubeObject } from '../../machinery/object.js';
import type { IssuedToken, PodObjects, TokenRequestSpec } from '../pod-objects.js';

const identity = (o: KubeObject): string => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`;

export class FakePodObjects implements PodObjects {
  readonly objects: KubeObject[];
  readonly reads: string[] = [];
  readonly tokenRequests: TokenRequestSpec[] = [];
  readonly #clock: Pick<Clock, 'now'>;

  constructor(objects: KubeObject[] = [], clock: Pick<Clock, 'now'> = { now: () => 0 }) {
    this.objects = [...objects];
    this.#clock = clock;
  }

  /** Adds the object, or replaces the one of its kind, namespace and name (an update). */
  put(object: KubeObject): void {
    const at = this.objects.findIndex((o) => identity(o) === identity(object));
    if (at < 0) this.objects.push(object);
    else this.objects[at] = object;
  }

  #find(kind: string, namespace: string, name: string): KubeObject | undefined {
    this.reads.push(`${kind}/${name}`);
    return this.objects.find((o) => identity(o) === `${kind}/${namespace}/${name}`);
  }

  async configMap(namespace: string, name: string): Promise<KubeObject | undefined> {
    return this.#find('ConfigMap', namespace, name);
  }

  async secret(namespace: string, name: string): Promise<KubeObject | undefined> {
    return this.#find('Secret', namespace, name);
  }

  async services(namespace: string): Promise<KubeObject[]> {
    return this.objects.filter((o) => o.kind === 'Service' && o.metadata.namespace === namespace);
  }

  async serviceAccountToken(_namespace: string, serviceAccount: string, spec: TokenRequestSpec): Promise<IssuedToken> {
    this.tokenRequests.push(spec);
    return {
      token: `token-${serviceAccount}-${this.tokenRequests.length}`,
      expiresAt: this.#clock.now() + spec.expirationSeconds * 1000,
    };
  }

  async persistentVolumeClaim(namespace: string, name: string): Promise<KubeObject | undefined> {
    return this.#find('PersistentVolumeClaim', namespace, name);
  }

  async persistentVolume(name: string): Promise<KubeObject | undefined> {
    return this.#find('PersistentVolume', '', name);
  }
}
