/**
 * Plans the EndpointSlices of one Service (upstream endpointslice reconciler, simplified): an
 * endpoint stays in the slice that holds it; slices whose endpoints all went are deleted; new
 * endpoints fill slices of their group that have room, then new slices of at most
 * maxEndpointsPerSlice. A Service with no endpoints keeps one empty placeholder slice.
 */
import { jsonEqual } from '../../machinery/json-equal.js';
import type { KubeObject } from '../../machinery/object.js';
import { isHeadless } from '../endpoints/pod-endpoints.js';
import { type EndpointGroup, groupKey, type SliceEndpoint, type SlicePort } from './desired.js';
import { cloneJson } from '../../machinery/clone.js';

export const LABEL_SERVICE_NAME = 'kubernetes.io/service-name';
export const LABEL_MANAGED_BY = 'endpointslice.kubernetes.io/managed-by';
export const CONTROLLER_NAME = 'endpointslice-controller.k8s.io';
export const LABEL_HEADLESS = 'service.kubernetes.io/headless';
export const DEFAULT_MAX_ENDPOINTS_PER_SLICE = 100;

export interface SlicePlan {
  create: KubeObject[];
  update: KubeObject[];
  delete: KubeObject[];
}

interface SliceView {
  addressType?: string;
  endpoints?: SliceEndpoint[];
  ports?: SlicePort[];
}

const view = (slice: KubeObject): SliceView => slice as unknown as SliceView;
const endpointKey = (ep: SliceEndpoint): string => ep.targetRef?.uid || ep.addresses[0] || '';

/** The labels of a Service's slices: the Service's, plus the controller's. */
export function sliceLabels(svc: KubeObject): Record<string, string> {
  const labels: Record<string, string> = { ...svc.metadata.labels };
  delete labels[LABEL_HEADLESS];
  labels[LABEL_SERVICE_NAME] = svc.metadata.name ?? '';
  labels[LABEL_MANAGED_BY] = CONTROLLER_NAME;
  if (isHeadless(svc)) labels[LABEL_HEADLESS] = '';
  return labels;
}

export function newSlice(svc: KubeObject, addressType: string, ports: SlicePort[], endpoints: SliceEndpoint[]): KubeObject {
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: {
      generateName: `${svc.metadata.name ?? ''}-`,
      namespace: svc.metadata.namespace,
      labels: sliceLabels(svc),
      ownerReferences: [
        {
          apiVersion: 'v1',
          kind: 'Service',
          name: svc.metadata.name ?? '',
          uid: svc.metadata.uid ?? '',
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
    },
    addressType,
    endpoints,
    ports,
  };
}

export function planSlices(
  svc: KubeObject,
  existing: readonly KubeObject[],
  groups: Map<string, EndpointGroup>,
  max = DEFAULT_MAX_ENDPOINTS_PER_SLICE,
): SlicePlan {
  const plan: SlicePlan = { create: [], update: [], delete: [] };
  const labels = sliceLabels(svc);
  const total = [...groups.values()].reduce((n, g) => n + g.endpoints.size, 0);
  if (total === 0) {
    // one placeholder slice and nothing else
    const keep = existing.find((s) => (view(s).endpoints ?? []).length === 0 && view(s).addressType === 'IPv4');
    for (const s of existing) if (s !== keep) plan.delete.push(s);
    if (!keep) plan.create.push(newSlice(svc, 'IPv4', [], []));
    else if (!jsonEqual(keep.metadata.labels ?? {}, labels) || (view(keep).ports ?? []).length > 0) {
      plan.update.push({ ...cloneJson(keep), metadata: { ...cloneJson(keep.metadata), labels }, ports: [] });
    }
    return plan;
  }
  const placed = new Set<string>();
  const withRoom = new Map<string, KubeObject[]>();
  for (const slice of existing) {
    const v = view(slice);
    const gk = groupKey(v.addressType ?? '', v.ports ?? []);
    const group = groups.get(gk);
    const kept = group
      ? (v.endpoints ?? []).filter((ep) => group.endpoints.has(endpointKey(ep)) && !placed.has(`${gk}|${endpointKey(ep)}`))
      : [];
    if (!group || kept.length === 0) {
      plan.delete.push(slice);
      continue;
    }
    const endpoints = kept.map((ep) => {
      placed.add(`${gk}|${endpointKey(ep)}`);
      return group.endpoints.get(endpointKey(ep))!;
    });
    const next = { ...cloneJson(slice), metadata: { ...cloneJson(slice.metadata), labels }, endpoints };
    if (!jsonEqual(v.endpoints ?? [], endpoints) || !jsonEqual(slice.metadata.labels ?? {}, labels)) plan.update.push(next);
    if (endpoints.length < max) withRoom.set(gk, [...(withRoom.get(gk) ?? []), plan.update.includes(next) ? next : slice]);
  }
  for (const [gk, group] of groups) {
    const pending = [...group.endpoints].filter(([k]) => !placed.has(`${gk}|${k}`)).map(([, ep]) => ep);
    pending.sort((a, b) => (a.addresses[0]! < b.addresses[0]! ? -1 : a.addresses[0]! > b.addresses[0]! ? 1 : 0));
    // fill slices with room first
    for (const slice of withRoom.get(gk) ?? []) {
      if (pending.length === 0) break;
      const eps = view(slice).endpoints ?? [];
      const room = max - eps.length;
      if (room <= 0) continue;
      const target = plan.update.includes(slice) ? slice : { ...cloneJson(slice), metadata: { ...cloneJson(slice.metadata), labels } };
      (target as unknown as SliceView).endpoints = [...eps, ...pending.splice(0, room)];
      if (!plan.update.includes(target)) plan.update.push(target);
    }
    while (pending.length > 0) plan.create.push(newSlice(svc, group.addressType, group.ports, pending.splice(0, max)));
  }
  return plan;
}
