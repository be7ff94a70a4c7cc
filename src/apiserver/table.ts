/**
 * Server-side printing: meta.k8s.io Table responses (kubectl's default output). Kinds without
 * a printer get upstream's default columns, Name and Created At.
 */
import type { ResourceType, TableColumn, TablePrinter } from '../api/resource.js';
import type { KubeObject } from '../machinery/object.js';

export type IncludeObject = 'None' | 'Metadata' | 'Object';

const DEFAULT_PRINTER: TablePrinter = {
  columns: [
    {
      name: 'Name',
      type: 'string',
      format: 'name',
      description:
        'Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names',
      priority: 0,
    },
    {
      name: 'Created At',
      type: 'date',
      format: '',
      description:
        'CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata',
      priority: 0,
    },
  ],
  row: (obj) => [obj.metadata.name ?? '', obj.metadata.creationTimestamp ?? ''],
};

export function printerFor(type: ResourceType): TablePrinter {
  return type.printer ?? DEFAULT_PRINTER;
}

export function parseIncludeObject(value: string | null): IncludeObject {
  if (value === 'None' || value === 'Object') return value;
  return 'Metadata';
}

function partialMetadata(obj: KubeObject, version: string): KubeObject {
  return { kind: 'PartialObjectMetadata', apiVersion: `meta.k8s.io/${version}`, metadata: obj.metadata };
}

export interface Table {
  kind: 'Table';
  apiVersion: string;
  metadata: { resourceVersion?: string; continue?: string; remainingItemCount?: number };
  columnDefinitions: readonly TableColumn[];
  rows: { cells: unknown[]; object?: KubeObject }[];
}

export function toTable(
  type: ResourceType,
  objects: readonly KubeObject[],
  options: { include: IncludeObject; version: string; noHeaders?: boolean; now?: number; listMeta?: Table['metadata'] },
): Table {
  const printer = printerFor(type);
  const now = options.now ?? Date.now();
  return {
    kind: 'Table',
    apiVersion: `meta.k8s.io/${options.version}`,
    metadata: options.listMeta ?? {},
    columnDefinitions: options.noHeaders ? [] : printer.columns,
    rows: objects.map((obj) => {
      const row: Table['rows'][number] = { cells: printer.row(obj, now) };
      if (options.include === 'Object') row.object = obj;
      else if (options.include === 'Metadata') row.object = partialMetadata(obj, options.version);
      return row;
    }),
  };
}
