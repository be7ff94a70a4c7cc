/**
 * Table column helpers shared by the core/v1 printers (pkg/printers/internalversion): the Name
 * and Age columns every printer has, descriptions taken from our type definitions (upstream's
 * SwaggerDoc()), and the "<none>" conventions of the cells.
 */
import { CORE_V1 } from './types/pod-names.js';
import type { TableColumn } from '../resource.js';
import { lookupType } from '../../machinery/schema/dsl.js';
import { ageSince } from '../../machinery/duration.js';
import './types/index.js';

export const NAME_DESCRIPTION =
  'Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names';
export const CREATION_TIMESTAMP_DESCRIPTION =
  'CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata';

const CORE = CORE_V1;

/** The description of a field of a core/v1 type (`PodStatus`, `podIP`), as SwaggerDoc() gives it. */
export function describe(type: string, field: string): string {
  const name = type.includes('.') ? type : `${CORE}.${type}`;
  return lookupType(name)?.fields[field]?.description ?? '';
}

export function column(name: string, type: string, description: string, priority = 0): TableColumn {
  return { name, type, format: '', description, priority };
}

export const NAME_COLUMN: TableColumn = { name: 'Name', type: 'string', format: 'name', description: NAME_DESCRIPTION, priority: 0 };
export const AGE_COLUMN: TableColumn = column('Age', 'string', CREATION_TIMESTAMP_DESCRIPTION);

/** translateTimestampSince. */
export function age(timestamp: unknown, now: number): string {
  return ageSince(typeof timestamp === 'string' ? timestamp : undefined, now);
}

/** labels.FormatLabels: sorted `k=v` joined by ',', or "<none>". */
export function formatLabels(labels: Record<string, string> | undefined): string {
  const keys = Object.keys(labels ?? {}).sort();
  if (keys.length === 0) return '<none>';
  return keys.map((k) => `${k}=${labels?.[k] ?? ''}`).join(',');
}

/** layoutContainerCells: names and images joined by ','. */
export function containerCells(containers: readonly Record<string, unknown>[]): [string, string] {
  const names = containers.map((c) => (typeof c['name'] === 'string' ? c['name'] : ''));
  const images = containers.map((c) => (typeof c['image'] === 'string' ? c['image'] : ''));
  return [names.join(','), images.join(',')];
}
