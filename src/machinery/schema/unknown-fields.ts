/**
 * Unknown fields: what a typed decoder would drop. Found by walking an object along its type
 * declaration; used for fieldValidation Strict (400), Warn (Warning headers) and pruning.
 */
import { lookupType, type FieldType } from './dsl.js';

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function walkType(ft: FieldType, value: unknown, path: string, out: string[], prune: boolean): void {
  if ('scalar' in ft) return;
  if ('ref' in ft) {
    walkObject(ft.ref, value, path, out, prune);
    return;
  }
  if ('list' in ft) {
    if (!Array.isArray(value)) return;
    value.forEach((item, i) => walkType(ft.list, item, `${path}[${i}]`, out, prune));
    return;
  }
  if (!isObject(value)) return;
  for (const [k, v] of Object.entries(value)) walkType(ft.map, v, `${path}[${k}]`, out, prune);
}

function walkObject(typeName: string, value: unknown, path: string, out: string[], prune: boolean): void {
  const def = lookupType(typeName);
  if (!def || !isObject(value)) return;
  for (const key of Object.keys(value)) {
    const f = def.fields[key];
    const p = path ? `${path}.${key}` : key;
    if (!f) {
      if (def.gvk && !path && (key === 'apiVersion' || key === 'kind')) continue;
      out.push(p);
      if (prune) delete value[key];
      continue;
    }
    walkType(f.type, value[key], p, out, prune);
  }
}

/** Paths (`spec.containers[0].foo`) of fields the type does not declare; removes them when `prune`. */
export function unknownFields(typeName: string, value: unknown, prune: boolean): string[] {
  const out: string[] = [];
  walkObject(typeName, value, '', out, prune);
  return out;
}
