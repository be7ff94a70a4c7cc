/**
 * successPolicy (success_policy.go): an Indexed Job succeeds early when the succeeded indexes
 * satisfy one rule — all of its succeededIndexes, or succeededCount of them (of all, without
 * succeededIndexes).
 */
import { type Interval, type OrderedIntervals, parseIntervals, totalIndexes } from './intervals.js';
import type { SuccessPolicyRule } from './types.js';

/** How many of `rule`'s indexes succeeded, walking both ordered lists once. */
function overlapCount(rule: OrderedIntervals, succeeded: OrderedIntervals): number {
  let contains = 0;
  let r = 0;
  let s = 0;
  while (r < rule.length && s < succeeded.length) {
    const ri = rule[r] as Interval;
    const si = succeeded[s] as Interval;
    const overlap = Math.min(ri.last, si.last) - Math.max(ri.first, si.first) + 1;
    if (overlap > 0) contains += overlap;
    if (si.last < ri.last) s++;
    else if (si.last > ri.last) r++;
    else {
      s++;
      r++;
    }
  }
  return contains;
}

/** The SuccessCriteriaMet message ("Matched rules at index N") when a rule is met. */
export function matchSuccessPolicy(
  rules: readonly SuccessPolicyRule[] | undefined,
  completions: number,
  succeeded: OrderedIntervals,
): string | undefined {
  if (!rules || succeeded.length === 0) return undefined;
  for (const [index, rule] of rules.entries()) {
    if (rule.succeededIndexes !== undefined && rule.succeededIndexes !== null) {
      const required = parseIntervals(rule.succeededIndexes, completions);
      if (required.length === 0) continue;
      const contains = overlapCount(required, succeeded);
      if (contains === totalIndexes(required) || (rule.succeededCount !== undefined && contains >= rule.succeededCount)) {
        return `Matched rules at index ${index}`;
      }
    } else if (rule.succeededCount !== undefined && totalIndexes(succeeded) >= rule.succeededCount) {
      return `Matched rules at index ${index}`;
    }
  }
  return undefined;
}
