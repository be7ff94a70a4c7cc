/** What a registry operation knows about its request. */

export interface UserInfo {
  name: string;
  groups: string[];
  uid?: string;
  extra?: Record<string, string[]>;
}

export type FieldValidation = 'Strict' | 'Warn' | 'Ignore';

export interface WriteOptions {
  user: UserInfo;
  /** dryRun=All: run everything, store nothing. */
  dryRun: boolean;
  /** The fieldManager parameter, or the one derived from the User-Agent. */
  fieldManager: string;
  fieldValidation: FieldValidation;
  /** Warnings collected for the Warning header. */
  warnings: string[];
  /** Annotations for the request's audit event (admission's AddAnnotation); absent when not audited. */
  addAuditAnnotation?: (key: string, value: string) => void;
  /** False when managedFields were already computed (server-side apply creating an object). */
  trackFieldsOnCreate?: boolean;
}

export interface DeleteOptions {
  gracePeriodSeconds?: number;
  preconditions?: { uid?: string; resourceVersion?: string };
  propagationPolicy?: 'Orphan' | 'Background' | 'Foreground';
  orphanDependents?: boolean;
  dryRun?: string[];
}
