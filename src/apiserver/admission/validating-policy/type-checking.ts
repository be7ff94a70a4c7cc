/**
 * Type checking of a policy's expressions against the kinds its matchConstraints name (upstream's
 * validatingadmissionpolicy type checker): a field selected from `object` or `oldObject` that the
 * kind's schema does not declare is a warning for status.typeChecking, worded as cel-go words it
 * (`apps/v1, Kind=Deployment: ERROR: <input>:1:12: undefined field 'replicass'`).
 * Dynamic parts (maps, raw JSON, int-or-string, iteration variables) are not checked.
 */
import { objs, part, str } from '../../../api/core/access.js';
import type { GroupVersionKind } from '../../../api/resource.js';
import type { KubeObject } from '../../../machinery/object.js';
import { lookupType, typeForKind, type FieldType } from '../../../machinery/schema/dsl.js';
import { expressionAst } from '../../cel/environment.js';

export interface ExpressionWarning {
  fieldRef: string;
  warning: string;
}

interface AstNode {
  op: string;
  args: unknown;
  pos: number;
}

const isNode = (v: unknown): v is AstNode => typeof v === 'object' && v !== null && 'op' in v && 'args' in v;

/** Every `object.a.b…` / `oldObject.a.b…` chain: its field names, each with the position of its dot. */
function selections(node: unknown, out: { name: string; pos: number }[][] = []): { name: string; pos: number }[][] {
  if (Array.isArray(node)) {
    for (const n of node) selections(n, out);
    return out;
  }
  if (!isNode(node)) return out;
  if (node.op === '.' || node.op === '.?') {
    const chain: { name: string; pos: number }[] = [];
    let n: unknown = node;
    while (isNode(n) && (n.op === '.' || n.op === '.?')) {
      const [receiver, name] = n.args as [unknown, string];
      // cel-go points at the dot before the field; cel-js at the field
      chain.unshift({ name, pos: n.pos - 1 });
      n = receiver;
    }
    if (isNode(n) && n.op === 'id' && (n.args === 'object' || n.args === 'oldObject')) {
      out.push(chain);
      return out;
    }
    selections(n, out);
    return out;
  }
  selections(node.args, out);
  return out;
}

/** The first field of `chain` the kind's schema does not declare. */
function undefinedField(typeName: string, chain: readonly { name: string; pos: number }[]): { name: string; pos: number } | undefined {
  let type: FieldType | undefined = { ref: typeName };
  for (const [i, step] of chain.entries()) {
    if (!type) return undefined;
    if ('map' in type) {
      type = type.map;
      continue;
    }
    if (!('ref' in type)) return undefined;
    const def = lookupType(type.ref);
    if (!def) return undefined;
    if (i === 0 && (step.name === 'apiVersion' || step.name === 'kind')) return undefined;
    const field = def.fields[step.name];
    if (!field) return step;
    type = field.type;
  }
  return undefined;
}

function snippet(expression: string, pos: number): string {
  const lines = expression.split('\n');
  let offset = pos;
  let line = 0;
  while (line < lines.length - 1 && offset > (lines[line]?.length ?? 0)) offset -= (lines[line++]?.length ?? 0) + 1;
  return `<input>:${line + 1}:${offset + 1}: %s\n | ${lines[line] ?? ''}\n | ${'.'.repeat(offset)}^`;
}

/** Warnings of one expression against the kinds (empty when it does not parse: validation reports that). */
export function checkExpression(expression: string, kinds: readonly GroupVersionKind[]): string[] {
  let ast: unknown;
  try {
    ast = expressionAst(expression);
  } catch {
    return [];
  }
  const chains = selections(ast);
  const out: string[] = [];
  for (const gvk of kinds) {
    const def = typeForKind(gvk.group, gvk.version, gvk.kind);
    if (!def) continue;
    const errors = chains
      .map((chain) => undefinedField(def.name, chain))
      .filter((f) => f !== undefined)
      .map((f) => `ERROR: ${snippet(expression, f.pos).replace('%s', `undefined field '${f.name}'`)}`);
    if (errors.length > 0) out.push(`${gvk.group}/${gvk.version}, Kind=${gvk.kind}: ${errors.join('\n')}`);
  }
  return out;
}

/** status.typeChecking.expressionWarnings of a policy. */
export function typeCheckPolicy(policy: KubeObject, kinds: readonly GroupVersionKind[]): ExpressionWarning[] {
  const spec = part(policy, 'spec');
  const expressions: [string, string][] = [];
  objs(spec['matchConditions']).forEach((c, i) => expressions.push([`spec.matchConditions[${i}].expression`, str(c['expression'])]));
  objs(spec['variables']).forEach((v, i) => expressions.push([`spec.variables[${i}].expression`, str(v['expression'])]));
  objs(spec['validations']).forEach((v, i) => {
    expressions.push([`spec.validations[${i}].expression`, str(v['expression'])]);
    if (v['messageExpression'] !== undefined) expressions.push([`spec.validations[${i}].messageExpression`, str(v['messageExpression'])]);
  });
  objs(spec['auditAnnotations']).forEach((a, i) =>
    expressions.push([`spec.auditAnnotations[${i}].valueExpression`, str(a['valueExpression'])]),
  );
  const warnings: ExpressionWarning[] = [];
  for (const [fieldRef, expression] of expressions) {
    const found = checkExpression(expression, kinds);
    if (found.length > 0) warnings.push({ fieldRef, warning: found.join('\n') });
  }
  return warnings;
}
