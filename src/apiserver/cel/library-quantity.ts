/**
 * Kubernetes' CEL quantity library (k8s.io/apiserver/pkg/cel/library/quantity.go): quantity(),
 * isQuantity(), sign, isInteger, asInteger, asApproximateFloat, add, sub, compareTo,
 * isGreaterThan, isLessThan — over the machinery's Quantity.
 */
import type { Environment } from '@marcbachmann/cel-js';
import { isValidQuantity, newQuantity, parseQuantity, Quantity } from '../../machinery/quantity.js';

const Q = 'kubernetes.Quantity';

function asInteger(q: Quantity): bigint {
  const { value, scale } = q.amount;
  if (scale < 0) {
    const unit = 10n ** BigInt(-scale);
    if (value % unit !== 0n) throw new Error('cannot convert value to integer');
    return value / unit;
  }
  const v = value * 10n ** BigInt(scale);
  if (v > 9223372036854775807n || v < -9223372036854775808n) throw new Error('cannot convert value to integer');
  return v;
}

function isInteger(q: Quantity): boolean {
  try {
    asInteger(q);
    return true;
  } catch {
    return false;
  }
}

export function registerQuantityLibrary(env: Environment): void {
  env.registerType(Q, Quantity);
  env.registerFunction(`quantity(string): ${Q}`, (s: string) => parseQuantity(s));
  env.registerFunction('isQuantity(string): bool', isValidQuantity);
  env.registerFunction(`${Q}.sign(): int`, (q: Quantity) => BigInt(q.sign()));
  env.registerFunction(`${Q}.isInteger(): bool`, isInteger);
  env.registerFunction(`${Q}.asInteger(): int`, asInteger);
  env.registerFunction(`${Q}.asApproximateFloat(): double`, (q: Quantity) => q.asApproximateFloat64());
  env.registerFunction(`${Q}.add(${Q}): ${Q}`, (a: Quantity, b: Quantity) => a.add(b));
  env.registerFunction(`${Q}.add(int): ${Q}`, (a: Quantity, b: bigint) => a.add(newQuantity(b)));
  env.registerFunction(`${Q}.sub(${Q}): ${Q}`, (a: Quantity, b: Quantity) => a.sub(b));
  env.registerFunction(`${Q}.sub(int): ${Q}`, (a: Quantity, b: bigint) => a.sub(newQuantity(b)));
  env.registerFunction(`${Q}.compareTo(${Q}): int`, (a: Quantity, b: Quantity) => BigInt(a.cmp(b)));
  env.registerFunction(`${Q}.isGreaterThan(${Q}): bool`, (a: Quantity, b: Quantity) => a.cmp(b) > 0);
  env.registerFunction(`${Q}.isLessThan(${Q}): bool`, (a: Quantity, b: Quantity) => a.cmp(b) < 0);
}
