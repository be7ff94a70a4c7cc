/** fieldValidation: unknown fields are an error (Strict), a warning (Warn) or silently dropped (Ignore). */
import type { ResourceType } from '../../api/resource.js';
import { typeForKind } from '../../api/schema/dsl.js';
import { unknownFields } from '../../api/schema/unknown-fields.js';
import { newBadRequest } from '../../machinery/errors.js';
import type { WriteOptions } from '../registry/context.js';

export function schemaName(type: ResourceType): string | undefined {
  return type.schema ?? typeForKind(type.group, type.version, type.kind)?.name;
}

/** Finds and drops the fields a kind without a type declaration does not know (custom resources: structural pruning). */
export type UnknownFieldCheck = (body: Record<string, unknown>) => string[];

const customChecks = new WeakMap<ResourceType, UnknownFieldCheck>();

/** Registers how unknown fields of `type` are found, for kinds that have no declared schema. */
export function setUnknownFieldCheck(type: ResourceType, check: UnknownFieldCheck): void {
  customChecks.set(type, check);
}

export function checkFields(type: ResourceType, body: Record<string, unknown>, opts: WriteOptions): Record<string, unknown> {
  const custom = customChecks.get(type);
  const name = schemaName(type);
  if (!custom && !name) return body;
  const unknown = custom ? custom(body) : unknownFields(name as string, body, true);
  if (unknown.length === 0) return body;
  const messages = unknown.map((p) => `unknown field "${p}"`);
  if (opts.fieldValidation === 'Strict') throw newBadRequest(`strict decoding error: ${messages.join(', ')}`);
  if (opts.fieldValidation === 'Warn') opts.warnings.push(...messages);
  return body;
}
