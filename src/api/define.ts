/** A compact way to declare a ResourceType; per-kind modules pass their strategy and printer. */
import type { ResourceStrategy, ResourceType, ScaleSubresource, TablePrinter } from './resource.js';

export interface ResourceDeclaration {
  group: string;
  version: string;
  kind: string;
  plural: string;
  namespaced: boolean;
  singular?: string;
  shortNames?: string[];
  categories?: string[];
  verbs?: string[];
  status?: boolean;
  scale?: ScaleSubresource;
  strategy?: ResourceStrategy;
  printer?: TablePrinter;
  schema?: string;
  storage?: ResourceType['storage'];
  extraSubresources?: ResourceType['extraSubresources'];
  allowCreateOnUpdate?: boolean;
  nameFormat?: ResourceType['nameFormat'];
  gracefulDeletion?: ResourceType['gracefulDeletion'];
  returnDeletedObject?: boolean;
  pendingFinalizers?: ResourceType['pendingFinalizers'];
  markDeleting?: ResourceType['markDeleting'];
  deletionFinalizers?: ResourceType['deletionFinalizers'];
}

export function defineResource(d: ResourceDeclaration): ResourceType {
  return {
    ...d,
    singular: d.singular ?? d.kind.toLowerCase(),
    strategy: d.strategy ?? {},
  };
}

/** Replicas at .spec.replicas and .status.replicas, selector at .status.selector (apps kinds). */
export const REPLICAS_SCALE: ScaleSubresource = {
  specReplicasPath: '.spec.replicas',
  statusReplicasPath: '.status.replicas',
  labelSelectorPath: '.status.selector',
};
