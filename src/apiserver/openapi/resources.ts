/**
 * What the OpenAPI documents describe: the served resources of each group-version, from the
 * apiserver's ResourceType list or from a custom resource registered at run time.
 */
import type { GroupVersionKind, ResourceType } from '../../api/resource.js';
import { ALL_VERBS } from '../../api/resource.js';
import { typeForKind } from '../../machinery/schema/dsl.js';
import type { JsonSchema } from './well-known.js';

export interface OpenApiSubresource {
  /** e.g. `status`, `scale`, `eviction`, `log`. */
  readonly name: string;
  /** Kind of the request/response body when it differs from the resource's kind. */
  readonly kind?: GroupVersionKind;
  readonly verbs: readonly string[];
}

/** One served resource, as the OpenAPI documents need it. */
export interface OpenApiResource {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  readonly plural: string;
  readonly namespaced: boolean;
  readonly verbs: readonly string[];
  /** Definition name of the kind (`io.k8s.api.core.v1.Pod`); absent when none is declared. */
  readonly schema?: string;
  /** Definition name of the list kind. */
  readonly listSchema?: string;
  readonly status: boolean;
  readonly scale: boolean;
  readonly subresources: readonly OpenApiSubresource[];
  /** DELETE answers with the object (pods) rather than a Status. */
  readonly returnDeletedObject: boolean;
  /** A custom resource: no strategic merge patch, JSON and YAML only. */
  readonly custom: boolean;
}

/**
 * A custom resource's published schema, as the CRD controller registers it: `schema` is the
 * version's `schema.openAPIV3Schema` (a JSONSchemaProps object), absent for schemaless CRDs.
 */
export interface CustomResourceOpenApi {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  /** Defaults to `<kind>List`. */
  readonly listKind?: string;
  readonly plural: string;
  readonly namespaced: boolean;
  readonly schema?: JsonSchema;
  /** The status subresource is enabled. */
  readonly status?: boolean;
  /** The scale subresource is enabled. */
  readonly scale?: boolean;
}

/** The group-version path used by discovery and in /openapi/v3: `api/v1`, `apis/apps/v1`. */
export function groupVersionPath(group: string, version: string): string {
  return group === '' ? `api/${version}` : `apis/${group}/${version}`;
}

/** Reverse-domain definition prefix of a custom group: stable.example.com/v1 → com.example.stable.v1. */
export function customDefinitionPrefix(group: string, version: string): string {
  return `${group.split('.').reverse().join('.')}.${version}`;
}

export function fromResourceType(type: ResourceType): OpenApiResource {
  const schema = type.schema ?? typeForKind(type.group, type.version, type.kind)?.name;
  const list = typeForKind(type.group, type.version, `${type.kind}List`)?.name;
  return {
    group: type.group,
    version: type.version,
    kind: type.kind,
    plural: type.plural,
    namespaced: type.namespaced,
    verbs: type.verbs ?? ALL_VERBS,
    ...(schema !== undefined ? { schema } : {}),
    ...(list !== undefined ? { listSchema: list } : {}),
    status: type.status === true,
    scale: type.scale !== undefined,
    subresources: (type.extraSubresources ?? []).map((s) => ({ name: s.name, verbs: s.verbs, ...(s.kind ? { kind: s.kind } : {}) })),
    returnDeletedObject: type.returnDeletedObject === true,
    custom: false,
  };
}

export function fromCustomResource(crd: CustomResourceOpenApi): OpenApiResource {
  const prefix = customDefinitionPrefix(crd.group, crd.version);
  return {
    group: crd.group,
    version: crd.version,
    kind: crd.kind,
    plural: crd.plural,
    namespaced: crd.namespaced,
    verbs: ALL_VERBS,
    schema: `${prefix}.${crd.kind}`,
    listSchema: `${prefix}.${crd.listKind ?? `${crd.kind}List`}`,
    status: crd.status === true,
    scale: crd.scale === true,
    subresources: [],
    returnDeletedObject: false,
    custom: true,
  };
}
