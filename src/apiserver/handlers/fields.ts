/** fieldValidation: unknown fields are an error (Strict), a warning (Warn) or silently dropped (Ignore). */
import type { ResourceType } from '../../api/resource.js';
import { typeForKind } from '../../api/schema/dsl.js';
import { unknownFields } from '../../api/schema/unknown-fields.js';
import { newBadRequest } from '../../machinery/errors.js';
import type { WriteOptions } from '../registry/context.js';

export function schemaName(type: ResourceType): string | undefined {
  return type.schema ?? typeForKind(type.group, type.version, type.kind)?.name;
}

export function checkFields(type: ResourceType, body: Record<string, unknown>, opts: WriteOptions): Record<string, unknown> {
  const name = schemaName(type);
  if (!name) return body;
  const unknown = unknownFields(name, body, true);
  if (unknown.length === 0) return body;
  const messages = unknown.map((p) => `unknown field "${p}"`);
  if (opts.fieldValidation === 'Strict') throw newBadRequest(`strict decoding error: ${messages.join(', ')}`);
  if (opts.fieldValidation === 'Warn') opts.warnings.push(...messages);
  return body;
}
