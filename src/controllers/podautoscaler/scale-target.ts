/**
 * The HPA's way to its target (upstream's scale client): the scaleTargetRef's kind resolved to
 * a resource (the apps kinds and ReplicationController by name, custom resources through their
 * CustomResourceDefinition), and its autoscaling/v1 Scale read and written through the scale
 * subresource.
 */
import { asObj, objs, str } from '../../api/core/access.js';
import type { Clientset, GroupVersionResource } from '../../client/interface.js';
import type { KubeObject } from '../../machinery/object.js';

export interface CrossVersionObjectReference {
  apiVersion?: string;
  kind?: string;
  name?: string;
}

const BUILTIN: Record<string, string> = {
  'apps/Deployment': 'deployments',
  'apps/ReplicaSet': 'replicasets',
  'apps/StatefulSet': 'statefulsets',
  '/ReplicationController': 'replicationcontrollers',
  'extensions/Deployment': 'deployments',
  'extensions/ReplicaSet': 'replicasets',
};

const CRDS: GroupVersionResource = { group: 'apiextensions.k8s.io', version: 'v1', resource: 'customresourcedefinitions' };

export function splitApiVersion(apiVersion: string): { group: string; version: string } {
  const i = apiVersion.indexOf('/');
  return i < 0 ? { group: '', version: apiVersion } : { group: apiVersion.slice(0, i), version: apiVersion.slice(i + 1) };
}

export class ScaleTargets {
  readonly #client: Clientset;
  readonly #mapper: Clientset;

  /** `client` reads and writes the scale subresources; `mapper` (default `client`) lists the CRDs. */
  constructor(client: Clientset, mapper: Clientset = client) {
    this.#client = client;
    this.#mapper = mapper;
  }

  /** The resource of a kind in a group-version; throws with upstream's "no matches for kind" when unknown. */
  async resourceFor(ref: CrossVersionObjectReference): Promise<GroupVersionResource> {
    const { group, version } = splitApiVersion(ref.apiVersion ?? '');
    const kind = ref.kind ?? '';
    let resource = BUILTIN[`${group}/${kind}`];
    if (!resource && group) {
      const crds = await this.#mapper.resource(CRDS).list('');
      const crd = crds.items.find((c) => {
        const spec = asObj(c['spec']);
        return str(spec?.['group']) === group && str(asObj(spec?.['names'])?.['kind']) === kind;
      });
      const spec = asObj(crd?.['spec']);
      const served = objs(spec?.['versions']).some((v) => v['name'] === version && v['served'] === true);
      if (crd && served) resource = str(asObj(spec?.['names'])?.['plural']);
    }
    if (!resource) throw new Error(`no matches for kind "${kind}" in group "${group}"`);
    return { group, version, resource };
  }

  async get(namespace: string, ref: CrossVersionObjectReference): Promise<{ gvr: GroupVersionResource; scale: KubeObject }> {
    const gvr = await this.resourceFor(ref);
    const client = this.#client.resource(gvr);
    if (!client.getSubresource) throw new Error('the client cannot read subresources');
    return { gvr, scale: await client.getSubresource(namespace, ref.name ?? '', 'scale') };
  }

  async update(namespace: string, gvr: GroupVersionResource, scale: KubeObject): Promise<KubeObject> {
    const client = this.#client.resource(gvr);
    if (!client.updateSubresource) throw new Error('the client cannot write subresources');
    return client.updateSubresource(namespace, scale.metadata.name ?? '', 'scale', scale);
  }
}
