/**
 * matchConditions (admissionregistration v1 MatchCondition) for webhooks and policies: every
 * condition must evaluate to true for the request to match; any false means no match (even if
 * another errored); otherwise an error is the caller's to handle per its failurePolicy.
 */
import type { AdmissionAttributes } from '../admission/interface.js';
import type { Authorizer } from '../authz/interface.js';
import { CelCompileError, compileExpression, type Activation, type CompiledExpression } from './environment.js';
import { admissionActivation } from './request.js';

export interface MatchCondition {
  name: string;
  expression: string;
}

export type MatchConditionResult = { matches: boolean; failedCondition?: string } | { error: string };

export interface MatchConditionEvaluator {
  /** Evaluates `conditions` against one admission request. */
  evaluate(conditions: readonly MatchCondition[], attrs: AdmissionAttributes): Promise<MatchConditionResult>;
}

/** Evaluates compiled conditions against an activation (shared with the policy plugin). */
export async function evaluateMatchConditions(
  compiled: readonly { name: string; program: CompiledExpression | CelCompileError }[],
  activation: Activation,
): Promise<MatchConditionResult> {
  const errors: string[] = [];
  for (const { name, program } of compiled) {
    if (program instanceof CelCompileError) {
      errors.push(`matchCondition '${name}': compilation failed: ${program.message}`);
      continue;
    }
    try {
      if ((await program.evaluate(activation)) === false) return { matches: false, failedCondition: name };
    } catch (err) {
      errors.push(`matchCondition '${name}': expression '${program.expression}' resulted in error: ${(err as Error).message}`);
    }
  }
  return errors.length > 0 ? { error: errors.join(', ') } : { matches: true };
}

/** Compiles a condition's expression (bool), keeping a compile error as a value. */
export function compileCondition(expression: string): CompiledExpression | CelCompileError {
  try {
    return compileExpression(expression, 'bool');
  } catch (err) {
    if (err instanceof CelCompileError) return err;
    throw err;
  }
}

/** The CEL evaluator of matchConditions for webhooks: conditions compile once per expression text. */
export class CelMatchConditionEvaluator implements MatchConditionEvaluator {
  readonly #authorizer: Authorizer | undefined;
  readonly #compiled = new Map<string, CompiledExpression | CelCompileError>();

  constructor(options: { authorizer?: Authorizer } = {}) {
    this.#authorizer = options.authorizer;
  }

  evaluate(conditions: readonly MatchCondition[], attrs: AdmissionAttributes): Promise<MatchConditionResult> {
    const compiled = conditions.map(({ name, expression }) => {
      let program = this.#compiled.get(expression);
      if (!program) {
        if (this.#compiled.size >= 10_000) this.#compiled.clear();
        program = compileCondition(expression);
        this.#compiled.set(expression, program);
      }
      return { name, program };
    });
    return evaluateMatchConditions(compiled, admissionActivation({ attrs, ...(this.#authorizer ? { authorizer: this.#authorizer } : {}) }));
  }
}
