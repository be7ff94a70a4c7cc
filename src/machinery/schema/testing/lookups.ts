/** Helpers shared by the tests of the type declarations. */
import assert from 'node:assert/strict';
import { lookupType, type FieldDef, type FieldType } from '../dsl.js';

/** The type names a field type refers to. */
export function refsOf(type: FieldType): string[] {
  if ('ref' in type) return [type.ref];
  if ('list' in type) return refsOf(type.list);
  if ('map' in type) return refsOf(type.map);
  return [];
}

/** A declared field, failing the test when the type or field is missing. */
export function fieldOf(typeName: string, fieldName: string): FieldDef {
  const def = lookupType(typeName);
  assert.ok(def, `type ${typeName} is declared`);
  const f = def.fields[fieldName];
  assert.ok(f, `${typeName} has field ${fieldName}`);
  return f;
}
