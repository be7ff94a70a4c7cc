/**
 * Evaluates one compiled policy against one request (with one param): matchConditions, then
 * variables, validations and audit annotations, into decisions as upstream's validator makes
 * them — a false validation denies with its message (or messageExpression, or
 * `failed expression: …`), an error admits or denies per failurePolicy.
 */
import { CelCompileError, type Activation } from '../../cel/environment.js';
import { evaluateMatchConditions } from '../../cel/match-conditions.js';
import { fromCel } from '../../cel/values.js';
import type { CompiledPolicy, CompiledValidation, Program } from './compile.js';

export interface PolicyDecision {
  action: 'admit' | 'deny';
  message: string;
  /** metav1.StatusReason of a denial (Invalid unless the validation names another). */
  reason: string;
  /** The index of the validation (for the audit annotation). */
  expressionIndex: number;
}

export interface PolicyEvaluation {
  decisions: PolicyDecision[];
  auditAnnotations: Record<string, string>;
}

async function run(program: Program, activation: Activation): Promise<unknown> {
  if (program instanceof CelCompileError) throw new Error(`compilation error: ${program.message}`);
  return program.evaluate(activation);
}

/** The variables of `activation`, in order; an erroring variable throws where it is read. */
async function compositeVariables(policy: CompiledPolicy, activation: Activation): Promise<Record<string, unknown>> {
  const variables: Record<string, unknown> = {};
  const scoped = { ...activation, variables };
  for (const { name, program } of policy.variables) {
    try {
      variables[name] = await run(program, scoped);
    } catch (err) {
      const message = `variable '${name}' resulted in error: ${(err as Error).message}`;
      Object.defineProperty(variables, name, {
        enumerable: true,
        get() {
          throw new Error(message);
        },
      });
    }
  }
  return variables;
}

async function failureMessage(v: CompiledValidation, activation: Activation): Promise<string> {
  if (v.messageExpression) {
    try {
      const m = await run(v.messageExpression, activation);
      if (typeof m === 'string' && m.trim() !== '' && !m.includes('\n')) return m;
    } catch {
      // upstream falls back to the static message when the messageExpression fails
    }
  }
  return v.message || `failed expression: ${v.expression.trim()}`;
}

/** Evaluates the policy; undefined when its matchConditions exclude the request. */
export async function evaluatePolicy(policy: CompiledPolicy, activation: Activation): Promise<PolicyEvaluation | undefined> {
  const onError = policy.failurePolicy === 'Fail' ? 'deny' : 'admit';
  const variables = await compositeVariables(policy, activation);
  const scoped: Activation = { ...activation, variables };
  const decisions: PolicyDecision[] = [];
  if (policy.matchConditions.length > 0) {
    const matched = await evaluateMatchConditions(policy.matchConditions, scoped);
    if ('error' in matched) {
      if (onError === 'admit') return undefined;
      return { decisions: [{ action: 'deny', message: matched.error, reason: 'Invalid', expressionIndex: -1 }], auditAnnotations: {} };
    }
    if (!matched.matches) return undefined;
  }
  for (const [i, v] of policy.validations.entries()) {
    try {
      if ((await run(v.program, scoped)) === true) continue;
      decisions.push({ action: 'deny', message: await failureMessage(v, scoped), reason: v.reason || 'Invalid', expressionIndex: i });
    } catch (err) {
      const message = (err as Error).message.startsWith('compilation error: ')
        ? (err as Error).message
        : `expression '${v.expression}' resulted in error: ${(err as Error).message}`;
      decisions.push({ action: onError, message, reason: 'Invalid', expressionIndex: i });
    }
  }
  const auditAnnotations: Record<string, string> = {};
  for (const { key, program } of policy.auditAnnotations) {
    try {
      const value = await run(program, scoped);
      if (value === null) continue;
      auditAnnotations[key] = typeof value === 'string' ? value : JSON.stringify(fromCel(value));
    } catch (err) {
      decisions.push({
        action: onError,
        message: `valueExpression of audit annotation '${key}' resulted in error: ${(err as Error).message}`,
        reason: 'Invalid',
        expressionIndex: -1,
      });
    }
  }
  return { decisions, auditAnnotations };
}
