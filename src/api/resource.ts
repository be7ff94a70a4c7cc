/**
 * The contract between one kind and the generic apiserver (DESIGN.md: registry strategies).
 * Each kind declares a ResourceType: its names, scope, subresources and a stateless strategy
 * (defaults, validation, preparation for create/update, Table columns, field selectors).
 * The generic handlers know nothing about Pods or Deployments beyond this.
 */
import type { FieldError } from '../machinery/errors.js';
import type { KubeObject } from '../machinery/object.js';

export interface GroupVersionKind {
  group: string;
  version: string;
  kind: string;
}

/** A column of a meta.k8s.io/v1 Table. */
export interface TableColumn {
  name: string;
  /** integer, number, string, boolean, date */
  type: string;
  format: string;
  description: string;
  /** 0 = shown by default, 1 = only with -o wide. */
  priority: number;
}

export interface TablePrinter {
  readonly columns: readonly TableColumn[];
  /** One cell per column. `now` is the time used for ages (ms since epoch). */
  row(obj: KubeObject, now: number): unknown[];
}

/** Where a scale subresource reads and writes replicas (paths are dotted, like `.spec.replicas`). */
export interface ScaleSubresource {
  specReplicasPath: string;
  statusReplicasPath: string;
  labelSelectorPath?: string;
}

export interface ResourceStrategy {
  /** Upstream SetDefaults_*: fills defaults in place. Runs on create and update, after decoding. */
  defaults?(obj: KubeObject): void;
  /** Runs once on create, after defaults: e.g. clears status, sets phase. */
  prepareForCreate?(obj: KubeObject): void;
  /** Runs on update of the main resource: e.g. keeps old status when a status subresource exists. */
  prepareForUpdate?(obj: KubeObject, old: KubeObject): void;
  /** Validation of a new object (not metadata basics, which the registry checks). */
  validate?(obj: KubeObject): FieldError[];
  /** Validation of an update: immutable fields and transitions. */
  validateUpdate?(obj: KubeObject, old: KubeObject): FieldError[];
  /** Runs on update through the status subresource: keep everything but status from `old`. */
  prepareForStatusUpdate?(obj: KubeObject, old: KubeObject): void;
  validateStatusUpdate?(obj: KubeObject, old: KubeObject): FieldError[];
  /** Runs on update through an `approval` subresource (CertificateSigningRequests): keep all but the approval conditions. */
  prepareForApprovalUpdate?(obj: KubeObject, old: KubeObject): void;
  /** Field labels for field selectors, beyond metadata.name and metadata.namespace: a new object each call (the caller adds those two). */
  selectableFields?(obj: KubeObject): Record<string, string>;
  /** Warnings for the Warning header on create/update (e.g. deprecated fields). */
  warnings?(obj: KubeObject): string[];
}

export interface ResourceType {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  /** Plural lower-case resource name, e.g. `deployments`. */
  readonly plural: string;
  readonly singular: string;
  readonly namespaced: boolean;
  readonly shortNames?: readonly string[];
  readonly categories?: readonly string[];
  /** Defaults to all: create, delete, deletecollection, get, list, patch, update, watch. */
  readonly verbs?: readonly string[];
  /** Has a status subresource (PUT/PATCH …/status). */
  readonly status?: boolean;
  readonly scale?: ScaleSubresource;
  readonly strategy: ResourceStrategy;
  readonly printer?: TablePrinter;
  /** OpenAPI definition name of the kind's type (see machinery/schema). */
  readonly schema?: string;
  /**
   * When several versions share one storage (autoscaling v1/v2, core/events.k8s.io Events),
   * the version objects are stored in and how to convert to and from it.
   */
  /** Subresources served by dedicated handlers (discovery lists them): name → response kind. */
  readonly extraSubresources?: readonly { name: string; kind?: GroupVersionKind; verbs: readonly string[] }[];
  /** PUT on a missing object creates it (upstream AllowCreateOnUpdate). */
  readonly allowCreateOnUpdate?: boolean;
  /** How names are validated; default dns1123-subdomain. */
  readonly nameFormat?: 'dns1123-subdomain' | 'dns1123-label' | 'dns1035-label' | 'path-segment';
  /** Graceful deletion (pods): the grace period for a delete request; undefined or 0 deletes at once. */
  readonly gracefulDeletion?: (obj: KubeObject, requestedSeconds: number | undefined) => number | undefined;
  /** DELETE answers with the deleted object rather than a Success Status. */
  readonly returnDeletedObject?: boolean;
  /**
   * Finalizers kept outside metadata.finalizers that also hold deletion back (namespaces'
   * spec.finalizers, cleared through the finalize subresource).
   */
  readonly pendingFinalizers?: (obj: KubeObject) => readonly string[];
  /**
   * For kinds without a type declaration (custom resources): removes the fields the kind's
   * schema does not know from a request body and returns their paths.
   */
  readonly pruneUnknownFields?: (body: Record<string, unknown>) => string[];
  /** Finalizers the registry adds when deletion starts (CRDs: customresourcecleanup). */
  readonly deletionFinalizers?: (obj: KubeObject) => readonly string[];
  /** Changes made when deletion starts but cannot finish yet (namespaces: phase Terminating). */
  readonly markDeleting?: (obj: KubeObject) => void;
  readonly storage?: {
    readonly group: string;
    readonly version: string;
    readonly plural: string;
    toStorage(obj: KubeObject): KubeObject;
    fromStorage(obj: KubeObject): KubeObject;
  };
}

export const ALL_VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'] as const;
