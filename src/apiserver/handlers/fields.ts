/** fieldValidation: unknown fields are an error (Strict), a warning (Warn) or silently dropped (Ignore). */
import type { ResourceType } from '../../api/resource.js';
import { typeForKind } from '../../machinery/schema/dsl.js';
import { unknownFields } from '../../machinery/schema/unknown-fields.js';
import { newBadRequest } from '../../machinery/errors.js';
import type { WriteOptions } from '../registry/context.js';

export function schemaName(type: ResourceType): string | undefined {
  return type.schema ?? typeForKind(type.group, type.version, type.kind)?.name;
}

/**
 * Drops unknown fields and, by fieldValidation, refuses them (Strict, with upstream's
 * "<Kind> in version ... cannot be handled as a <Kind>: strict decoding error: ..." message),
 * warns of them (Warn) or says nothing (Ignore).
 */
export function checkFields(type: ResourceType, body: Record<string, unknown>, opts: WriteOptions): Record<string, unknown> {
  const name = schemaName(type);
  let unknown: string[];
  if (type.pruneUnknownFields) unknown = type.pruneUnknownFields(body);
  else if (name) unknown = unknownFields(name, body, true);
  else return body;
  if (unknown.length === 0) return body;
  const messages = unknown.map((p) => `unknown field "${p}"`);
  if (opts.fieldValidation === 'Strict') {
    throw newBadRequest(
      `${type.kind} in version "${type.version}" cannot be handled as a ${type.kind}: strict decoding error: ${messages.join(', ')}`,
    );
  }
  if (opts.fieldValidation === 'Warn') opts.warnings.push(...messages);
  return body;
}
