/** The CustomResourceDefinition object as JSON, and its condition helpers (upstream's apiextensions helpers). */
import type { ScaleSubresource } from '../../api/resource.js';
import type { KubeObject } from '../../machinery/object.js';
import type { AcceptedNames, ServedVersion } from './custom-resource.js';
import type { PrinterColumn } from './printer.js';
import type { JSONSchemaProps } from './schema.js';

export const CRD_GROUP = 'apiextensions.k8s.io';
export const CRD_PLURAL = 'customresourcedefinitions';
export const CLEANUP_FINALIZER = 'customresourcecleanup.apiextensions.k8s.io';

export interface CRDVersion {
  name: string;
  served: boolean;
  storage: boolean;
  deprecated?: boolean;
  deprecationWarning?: string;
  schema?: { openAPIV3Schema?: JSONSchemaProps };
  subresources?: {
    status?: Record<string, unknown>;
    scale?: { specReplicasPath?: string; statusReplicasPath?: string; labelSelectorPath?: string };
  };
  additionalPrinterColumns?: PrinterColumn[];
  selectableFields?: { jsonPath: string }[];
}

export interface CRDNames {
  plural?: string;
  singular?: string;
  kind?: string;
  listKind?: string;
  shortNames?: string[];
  categories?: string[];
}

export interface CRDCondition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  lastTransitionTime?: string;
  reason?: string;
  message?: string;
}

export interface CRDSpec {
  group: string;
  names: CRDNames;
  scope: string;
  versions: CRDVersion[];
  conversion?: { strategy: string; webhook?: Record<string, unknown> };
  preserveUnknownFields?: boolean;
}

export interface CRDStatus {
  conditions?: CRDCondition[];
  acceptedNames?: CRDNames;
  storedVersions?: string[];
}

export interface CustomResourceDefinition extends KubeObject {
  spec: CRDSpec;
  status?: CRDStatus;
}

export function asCRD(obj: KubeObject): CustomResourceDefinition {
  const crd = obj as CustomResourceDefinition;
  crd.spec ??= { group: '', names: {}, scope: '', versions: [] };
  crd.spec.names ??= {};
  crd.spec.versions ??= [];
  return crd;
}

export function findCondition(crd: CustomResourceDefinition, type: string): CRDCondition | undefined {
  return crd.status?.conditions?.find((c) => c.type === type);
}

export function isConditionTrue(crd: CustomResourceDefinition, type: string): boolean {
  return findCondition(crd, type)?.status === 'True';
}

/** SetCRDCondition: replaces the condition of that type; the transition time moves only when status changes. */
export function setCondition(crd: CustomResourceDefinition, cond: CRDCondition, now: string): void {
  const status = (crd.status ??= {});
  const conditions = (status.conditions ??= []);
  const i = conditions.findIndex((c) => c.type === cond.type);
  const existing = conditions[i];
  const next: CRDCondition = {
    ...cond,
    lastTransitionTime: existing && existing.status === cond.status ? (existing.lastTransitionTime ?? now) : now,
  };
  if (i < 0) conditions.push(next);
  else conditions[i] = next;
}

export function removeCondition(crd: CustomResourceDefinition, type: string): void {
  if (crd.status?.conditions) crd.status.conditions = crd.status.conditions.filter((c) => c.type !== type);
}

export function storageVersionOf(crd: CustomResourceDefinition): string | undefined {
  return crd.spec.versions.find((v) => v.storage)?.name;
}

/** The served versions of an accepted CRD, as custom resource strategies need them. */
export function servedVersions(crd: CustomResourceDefinition, names: AcceptedNames): ServedVersion[] {
  const storageVersion = storageVersionOf(crd) ?? crd.spec.versions[0]?.name ?? '';
  return crd.spec.versions
    .filter((v) => v.served)
    .map((v) => {
      const scale = v.subresources?.scale;
      return {
        group: crd.spec.group,
        version: v.name,
        storageVersion,
        names,
        namespaced: crd.spec.scope === 'Namespaced',
        schema: v.schema?.openAPIV3Schema,
        status: v.subresources?.status !== undefined && v.subresources.status !== null,
        scale: scale ? scaleOf(scale) : undefined,
        columns: v.additionalPrinterColumns ?? [],
        selectableFields: (v.selectableFields ?? []).map((f) => f.jsonPath),
        deprecationWarning: v.deprecated ? (v.deprecationWarning ?? `${crd.spec.group}/${v.name} ${names.kind} is deprecated`) : undefined,
      };
    });
}

function scaleOf(s: NonNullable<NonNullable<CRDVersion['subresources']>['scale']>): ScaleSubresource {
  return {
    specReplicasPath: s.specReplicasPath ?? '.spec.replicas',
    statusReplicasPath: s.statusReplicasPath ?? '.status.replicas',
    ...(s.labelSelectorPath ? { labelSelectorPath: s.labelSelectorPath } : {}),
  };
}
