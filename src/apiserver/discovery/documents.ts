/**
 * Discovery documents, legacy (APIVersions, APIGroupList, APIGroup, APIResourceList) and
 * aggregated (apidiscovery.k8s.io v2 and v2beta1 APIGroupDiscoveryList), built from the
 * resource types the server serves.
 */
import type { ResourceType } from '../../api/resource.js';
import { ALL_VERBS } from '../../api/resource.js';

export interface GroupVersionResources {
  group: string;
  version: string;
  resources: ResourceType[];
}

/** Group order as upstream lists them; custom groups follow alphabetically. */
const GROUP_ORDER = [
  '',
  'apiregistration.k8s.io',
  'apps',
  'events.k8s.io',
  'authentication.k8s.io',
  'authorization.k8s.io',
  'autoscaling',
  'batch',
  'certificates.k8s.io',
  'networking.k8s.io',
  'policy',
  'rbac.authorization.k8s.io',
  'storage.k8s.io',
  'admissionregistration.k8s.io',
  'apiextensions.k8s.io',
  'scheduling.k8s.io',
  'coordination.k8s.io',
  'node.k8s.io',
  'discovery.k8s.io',
  'flowcontrol.apiserver.k8s.io',
];

export function groupRank(group: string): number {
  const i = GROUP_ORDER.indexOf(group);
  return i < 0 ? GROUP_ORDER.length : i;
}

function verbsOf(t: ResourceType): string[] {
  return [...(t.verbs ?? ALL_VERBS)];
}

function gv(group: string, version: string): string {
  return group ? `${group}/${version}` : version;
}

interface SubresourceEntry {
  name: string;
  group: string;
  version: string;
  kind: string;
  verbs: string[];
}

function subresources(t: ResourceType): SubresourceEntry[] {
  const out: SubresourceEntry[] = [];
  if (t.scale) out.push({ name: 'scale', group: 'autoscaling', version: 'v1', kind: 'Scale', verbs: ['get', 'patch', 'update'] });
  if (t.status) out.push({ name: 'status', group: t.group, version: t.version, kind: t.kind, verbs: ['get', 'patch', 'update'] });
  for (const s of t.extraSubresources ?? []) {
    out.push({
      name: s.name,
      group: s.kind?.group ?? '',
      version: s.kind?.version ?? '',
      kind: s.kind?.kind ?? t.kind,
      verbs: [...s.verbs],
    });
  }
  return out.sort((a, b) => a.name.localeCompare(b.name));
}

export function apiResourceList(g: GroupVersionResources): unknown {
  const resources: unknown[] = [];
  for (const t of [...g.resources].sort((a, b) => a.plural.localeCompare(b.plural))) {
    resources.push({
      name: t.plural,
      singularName: t.singular,
      namespaced: t.namespaced,
      kind: t.kind,
      verbs: verbsOf(t),
      ...(t.shortNames?.length ? { shortNames: [...t.shortNames] } : {}),
      ...(t.categories?.length ? { categories: [...t.categories] } : {}),
      storageVersionHash: storageVersionHash(t),
    });
    for (const s of subresources(t)) {
      resources.push({
        name: `${t.plural}/${s.name}`,
        singularName: '',
        namespaced: t.namespaced,
        ...(s.group !== t.group || s.version !== t.version ? { group: s.group, version: s.version } : {}),
        kind: s.kind,
        verbs: s.verbs,
      });
    }
  }
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: gv(g.group, g.version), resources };
}

function storageVersionHash(t: ResourceType): string {
  let h = 0;
  for (const c of `${t.group}/${t.version}/${t.kind}`) h = (h * 31 + c.charCodeAt(0)) >>> 0;
  return Buffer.from(h.toString(16).padStart(8, '0')).toString('base64').slice(0, 11);
}

/** Versions of one group, preferred first. */
export interface GroupVersions {
  group: string;
  versions: GroupVersionResources[];
}

export function apiGroup(g: GroupVersions): unknown {
  const versions = g.versions.map((v) => ({ groupVersion: gv(g.group, v.version), version: v.version }));
  return { kind: 'APIGroup', apiVersion: 'v1', name: g.group, versions, preferredVersion: versions[0] };
}

export function apiGroupList(groups: GroupVersions[]): unknown {
  return {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: groups
      .filter((g) => g.group !== '')
      .map((g) => {
        const doc = apiGroup(g) as Record<string, unknown>;
        delete doc['kind'];
        delete doc['apiVersion'];
        return doc;
      }),
  };
}

export function apiVersions(serverAddress: string): unknown {
  return {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
  };
}

/** apidiscovery.k8s.io APIGroupDiscoveryList for /api (legacy group only) or /apis. */
export function aggregatedDiscovery(groups: GroupVersions[], version: 'v2' | 'v2beta1'): unknown {
  return {
    kind: 'APIGroupDiscoveryList',
    apiVersion: `apidiscovery.k8s.io/${version}`,
    metadata: {},
    items: groups.map((g) => ({
      metadata: { name: g.group, creationTimestamp: null },
      versions: g.versions.map((v) => ({
        version: v.version,
        freshness: 'Current',
        resources: [...v.resources]
          .sort((a, b) => a.plural.localeCompare(b.plural))
          .map((t) => ({
            resource: t.plural,
            responseKind: { group: t.group, version: t.version, kind: t.kind },
            scope: t.namespaced ? 'Namespaced' : 'Cluster',
            singularResource: t.singular,
            verbs: verbsOf(t),
            ...(t.shortNames?.length ? { shortNames: [...t.shortNames] } : {}),
            ...(t.categories?.length ? { categories: [...t.categories] } : {}),
            ...(subresources(t).length
              ? {
                  subresources: subresources(t).map((s) => ({
                    subresource: s.name,
                    responseKind: { group: s.group, version: s.version, kind: s.kind },
                    verbs: s.verbs,
                  })),
                }
              : {}),
          })),
      })),
    })),
  };
}
