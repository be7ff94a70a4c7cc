/**
 * Table columns of a custom resource (upstream's CRD table convertor): Name, then the
 * version's additionalPrinterColumns evaluated as JSONPath, or Age when it declares none.
 */
import type { TableColumn, TablePrinter } from '../../api/resource.js';
import { ageSince } from '../../machinery/duration.js';
import type { KubeObject } from '../../machinery/object.js';
import { findResults, parseJsonPath } from './jsonpath.js';

export interface PrinterColumn {
  name: string;
  type: string;
  format?: string;
  description?: string;
  priority?: number;
  jsonPath: string;
}

const NAME_DESCRIPTION =
  'Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names';
const CREATION_DESCRIPTION =
  'CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata';

/** The columns served when a version declares none. */
export const DEFAULT_COLUMNS: readonly PrinterColumn[] = [
  { name: 'Age', type: 'date', description: CREATION_DESCRIPTION, jsonPath: '.metadata.creationTimestamp' },
];

export function customResourcePrinter(declared: readonly PrinterColumn[] | undefined): TablePrinter {
  const columns = declared && declared.length > 0 ? declared : DEFAULT_COLUMNS;
  const usable = columns.filter((c) => {
    try {
      parseJsonPath(c.jsonPath);
      return true;
    } catch {
      return false;
    }
  });
  const headers: TableColumn[] = [
    { name: 'Name', type: 'string', format: 'name', description: NAME_DESCRIPTION, priority: 0 },
    ...usable.map((c) => ({
      name: c.name,
      type: c.type,
      format: c.format ?? '',
      description: c.description || `Custom resource definition column (in JSONPath format): ${c.jsonPath}`,
      priority: c.priority ?? 0,
    })),
  ];
  return {
    columns: headers,
    row(obj: KubeObject, now: number): unknown[] {
      return [obj.metadata.name ?? '', ...usable.map((c) => cell(c, findResults(c.jsonPath, obj)[0], now))];
    },
  };
}

function cell(col: PrinterColumn, value: unknown, now: number): unknown {
  if (value === undefined || value === null) return null;
  switch (col.type) {
    case 'string':
      return typeof value === 'string' ? value : JSON.stringify(value);
    case 'integer':
      return typeof value === 'number' ? Math.trunc(value) : null;
    case 'number':
      return typeof value === 'number' ? value : null;
    case 'boolean':
      return typeof value === 'boolean' ? value : null;
    case 'date': {
      if (typeof value !== 'string') return null;
      if (Number.isNaN(Date.parse(value))) return '<invalid>';
      return ageSince(value, now);
    }
    default:
      return null;
  }
}
