/**
 * Table helpers for the printers of the groups beyond core (pkg/printers/internalversion),
 * built on core's column helpers.
 */
import type { TableColumn } from '../resource.js';
import type { KubeObject } from '../../machinery/object.js';
import { ageSince } from '../../machinery/duration.js';
import { dig, objs } from '../core/access.js';
import { column, containerCells, CREATION_TIMESTAMP_DESCRIPTION } from '../core/printer-columns.js';

export { AGE_COLUMN, column, describe, formatLabels, NAME_COLUMN } from '../core/printer-columns.js';

/** A column shown only with -o wide (priority 1). */
export function wideColumn(name: string, description: string): TableColumn {
  return column(name, 'string', description, 1);
}

export const CONTAINERS_COLUMN: TableColumn = wideColumn('Containers', 'Names of each container in the template.');
export const IMAGES_COLUMN: TableColumn = wideColumn('Images', 'Images referenced by each container in the template.');
/** "Created At" (a date cell), used by roles and cluster roles. */
export const CREATED_AT_COLUMN: TableColumn = column('Created At', 'date', CREATION_TIMESTAMP_DESCRIPTION);

/** translateTimestampSince(metadata.creationTimestamp). */
export function objectAge(obj: KubeObject, now: number): string {
  return ageSince(obj.metadata.creationTimestamp, now);
}

/** layoutContainerCells of a pod template: [names, images]. */
export function templateCells(template: unknown): [string, string] {
  return containerCells(objs(dig(template, 'spec', 'containers')));
}

/** A Go int as a cell (upstream prints int64(x); missing is 0). */
export function int(v: unknown): number {
  return typeof v === 'number' ? v : 0;
}
