/** What the Go zero value of a declared type encodes to in JSON (null where Go encodes nil). */
import type { FieldType } from './dsl.js';

export function encodedZero(type: FieldType): unknown {
  if ('list' in type || 'map' in type) return null;
  if ('ref' in type) return {};
  switch (type.scalar) {
    case 'string':
    case 'bytes':
      return '';
    case 'boolean':
      return false;
    case 'int32':
    case 'int64':
    case 'double':
    case 'intOrString':
      return 0;
    case 'quantity':
      return '0';
    case 'duration':
      return '0s';
    default:
      return null;
  }
}
