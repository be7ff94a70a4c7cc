/**
 * A ValidatingAdmissionPolicy compiled once per generation: its matchConditions, variables,
 * validations (expression, message, messageExpression, reason) and auditAnnotations. A compile
 * error stays with its expression and surfaces, per failurePolicy, when a request reaches it.
 */
import { objs, part, str } from '../../../api/core/access.js';
import type { KubeObject } from '../../../machinery/object.js';
import { CelCompileError, compileExpression, type CompiledExpression, type ResultType } from '../../cel/environment.js';
import { compileCondition } from '../../cel/match-conditions.js';

export type Program = CompiledExpression | CelCompileError;

export interface CompiledValidation {
  expression: string;
  program: Program;
  message: string;
  messageExpression?: Program;
  reason: string;
}

export interface CompiledPolicy {
  /** The metadata.generation compiled. */
  generation: number;
  failurePolicy: 'Fail' | 'Ignore';
  matchConditions: { name: string; program: Program }[];
  variables: { name: string; program: Program }[];
  validations: CompiledValidation[];
  auditAnnotations: { key: string; program: Program }[];
}

function compile(expression: string, want: ResultType): Program {
  try {
    return compileExpression(expression, want);
  } catch (err) {
    if (err instanceof CelCompileError) return err;
    throw err;
  }
}

export function compilePolicy(policy: KubeObject): CompiledPolicy {
  const spec = part(policy, 'spec');
  return {
    generation: policy.metadata.generation ?? 0,
    failurePolicy: str(spec['failurePolicy']) === 'Ignore' ? 'Ignore' : 'Fail',
    matchConditions: objs(spec['matchConditions']).map((c) => ({ name: str(c['name']), program: compileCondition(str(c['expression'])) })),
    variables: objs(spec['variables']).map((v) => ({ name: str(v['name']), program: compile(str(v['expression']), 'any') })),
    validations: objs(spec['validations']).map((v) => {
      const expression = str(v['expression']);
      const messageExpression = str(v['messageExpression']);
      return {
        expression,
        program: compile(expression, 'bool'),
        message: str(v['message']),
        ...(messageExpression ? { messageExpression: compile(messageExpression, 'string') } : {}),
        reason: str(v['reason']),
      };
    }),
    auditAnnotations: objs(spec['auditAnnotations']).map((a) => ({
      key: str(a['key']),
      program: compile(str(a['valueExpression']), 'any'),
    })),
  };
}
