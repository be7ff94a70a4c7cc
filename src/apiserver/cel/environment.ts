/**
 * The Kubernetes CEL environment (upstream k8s.io/apiserver/pkg/admission/plugin/cel): the
 * admission variables (object, oldObject, request, params, namespaceObject, authorizer,
 * variables) and Kubernetes' libraries on top of cel-js, with bounded expression size.
 * Expressions compile once (per policy generation) and evaluate per request.
 */
import { Environment, type ParseError } from '@marcbachmann/cel-js';
import { registerAuthorizerLibrary, type CelAuthorizer } from './authorizer.js';
import { registerListLibrary } from './library-lists.js';
import { registerQuantityLibrary } from './library-quantity.js';
import { registerStringLibrary } from './library-strings.js';
import { celTypeName } from './values.js';

/** The values an admission expression sees (already converted with toCel). */
export interface Activation {
  object: unknown;
  oldObject: unknown;
  request: unknown;
  params: unknown;
  namespaceObject: unknown;
  authorizer?: CelAuthorizer;
  /** Composited variables, by name. */
  variables?: Record<string, unknown>;
}

/** Bounds on what one expression may be (upstream bounds the estimated cost; cel-js bounds the AST). */
export const EXPRESSION_LIMITS = { maxAstNodes: 5000, maxDepth: 64, maxListElements: 1000, maxMapEntries: 1000, maxCallArguments: 32 };
/** Upstream's limit on an expression's length (validation of policies). */
export const MAX_EXPRESSION_LENGTH = 5 * 1024;

/** An expression that did not compile; the message reads as cel-go's `ERROR: <input>:line:col: …`. */
export class CelCompileError extends Error {
  readonly code = 'CompileError';
}

/** A compiled expression: evaluate it against one request's activation. */
export interface CompiledExpression {
  readonly expression: string;
  /** Evaluates; runtime errors reject with the CEL error's summary. */
  evaluate(activation: Activation): Promise<unknown>;
}

/** What an expression must evaluate to: its value is checked after evaluation. */
export type ResultType = 'bool' | 'string' | 'any';

let shared: Environment | undefined;

/** The one environment every admission expression compiles in (built on first use). */
function environment(): Environment {
  if (shared) return shared;
  const env = new Environment({ homogeneousAggregateLiterals: false, enableOptionalTypes: true, limits: EXPRESSION_LIMITS });
  const authorizerType = registerAuthorizerLibrary(env);
  registerListLibrary(env);
  registerStringLibrary(env);
  registerQuantityLibrary(env);
  for (const name of ['object', 'oldObject', 'request', 'params', 'namespaceObject']) env.registerVariable(name, 'dyn');
  env.registerVariable('variables', 'map');
  env.registerVariable('authorizer', authorizerType);
  shared = env;
  return env;
}

/** The parsed syntax tree of an expression (cel-js' AST: {op, args, pos}); throws on a syntax error. */
export function expressionAst(expression: string): unknown {
  return environment().parse(expression).ast;
}

/** A position in the source as cel-go prints it: `<input>:line:col: `. */
function position(expression: string, offset: number | undefined): string {
  if (offset === undefined) return '<input>: ';
  const before = expression.slice(0, offset).split('\n');
  return `<input>:${before.length}:${(before.at(-1)?.length ?? 0) + 1}: `;
}

function compileMessage(expression: string, err: ParseError | Error, kind: string): string {
  const e = err as Partial<ParseError>;
  const summary = e.summary ?? err.message.split('\n')[0] ?? '';
  return `ERROR: ${position(expression, e.range?.start)}${kind}${summary}`;
}

/** Compiles an expression; throws CelCompileError (syntax, unknown functions, a wrong result type). */
export function compileExpression(expression: string, want: ResultType = 'any'): CompiledExpression {
  if (expression.length > MAX_EXPRESSION_LENGTH) {
    throw new CelCompileError(`ERROR: <input>: expression is longer than ${MAX_EXPRESSION_LENGTH} characters`);
  }
  const env = environment();
  let program: ReturnType<Environment['parse']>;
  try {
    program = env.parse(expression);
  } catch (err) {
    throw new CelCompileError(compileMessage(expression, err as Error, 'Syntax error: '));
  }
  let checked: ReturnType<Environment['check']>;
  try {
    checked = env.check(expression);
  } catch (err) {
    throw new CelCompileError(compileMessage(expression, err as Error, ''));
  }
  if (!checked.valid) throw new CelCompileError(compileMessage(expression, checked.error as Error, ''));
  if (want !== 'any' && checked.type !== want && checked.type !== 'dyn') {
    throw new CelCompileError(`ERROR: <input>: must evaluate to ${want} but got ${checked.type}`);
  }
  return {
    expression,
    async evaluate(activation: Activation): Promise<unknown> {
      let value: unknown;
      try {
        value = await program({ ...activation, variables: activation.variables ?? {} });
      } catch (err) {
        throw new Error((err as Partial<ParseError>).summary ?? (err as Error).message);
      }
      if (want !== 'any' && celTypeName(value) !== want) throw new Error(`expected ${want} value, got ${celTypeName(value)}`);
      return value;
    },
  };
}
