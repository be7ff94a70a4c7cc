/**
 * Normalizing a recommendation (upstream horizontal.go's normalizeDesiredReplicas*): without
 * `behavior`, the highest recommendation of the downscale stabilization window and a scale-up
 * limit of max(2 × current, 4); with it, the scaleUp / scaleDown stabilization windows, then the
 * policies (Pods, Percent per periodSeconds, over the scale events of the period) picked by
 * selectPolicy (Max, Min, Disabled). Each step reports the AbleToScale and ScalingLimited
 * reasons upstream gives.
 */

export interface ScalingPolicy {
  type: 'Pods' | 'Percent';
  value: number;
  periodSeconds: number;
}

export interface ScalingRules {
  stabilizationWindowSeconds?: number;
  selectPolicy?: 'Max' | 'Min' | 'Disabled';
  policies?: ScalingPolicy[];
}

export interface Behavior {
  scaleUp?: ScalingRules;
  scaleDown?: ScalingRules;
}

interface Recommendation {
  replicas: number;
  timestamp: number;
}

interface ScaleEvent {
  change: number;
  timestamp: number;
  outdated: boolean;
}

export interface Normalized {
  replicas: number;
  /** AbleToScale (True) reason and message. */
  ableToScale: { reason: string; message: string };
  /** ScalingLimited status, reason and message. */
  limited: { status: 'True' | 'False'; reason: string; message: string };
}

export interface NormalizeInput {
  key: string;
  currentReplicas: number;
  desiredReplicas: number;
  minReplicas: number;
  maxReplicas: number;
  behavior: Behavior | undefined;
}

const READY = { reason: 'ReadyForNewScale', message: 'recommended size matches current size' };
const WITHIN = { reason: 'DesiredWithinRange', message: 'the desired count is within the acceptable range' };
const SCALE_UP_LIMIT = { reason: 'ScaleUpLimit', message: 'the desired replica count is increasing faster than the maximum scale rate' };
const SCALE_DOWN_LIMIT = {
  reason: 'ScaleDownLimit',
  message: 'the desired replica count is decreasing faster than the maximum scale rate',
};
const TOO_MANY = { reason: 'TooManyReplicas', message: 'the desired replica count is more than the maximum replica count' };
const TOO_FEW = { reason: 'TooFewReplicas', message: 'the desired replica count is less than the minimum replica count' };
const DOWN_STABILIZED = {
  reason: 'ScaleDownStabilized',
  message: 'recent recommendations were higher than current one, applying the highest recent recommendation',
};
const UP_STABILIZED = {
  reason: 'ScaleUpStabilized',
  message: 'recent recommendations were lower than current one, applying the lowest recent recommendation',
};

/** The recommendations and scale events of every HPA, by key. */
export class ScalingHistory {
  readonly #recommendations = new Map<string, Recommendation[]>();
  readonly #up = new Map<string, ScaleEvent[]>();
  readonly #down = new Map<string, ScaleEvent[]>();
  readonly #downscaleStabilizationMs: number;
  readonly #now: () => number;

  constructor(options: { downscaleStabilizationMs: number; now: () => number }) {
    this.#downscaleStabilizationMs = options.downscaleStabilizationMs;
    this.#now = options.now;
  }

  forget(key: string): void {
    this.#recommendations.delete(key);
    this.#up.delete(key);
    this.#down.delete(key);
  }

  normalize(input: NormalizeInput): Normalized {
    return input.behavior ? this.#withBehavior(input, input.behavior) : this.#withoutBehavior(input);
  }

  /** storeScaleEvent: remembers a rescale for the policies' periods (only with behavior). */
  recordScale(key: string, behavior: Behavior | undefined, previous: number, next: number): void {
    if (!behavior || previous === next) return;
    const up = next > previous;
    const rules = up ? behavior.scaleUp : behavior.scaleDown;
    const events = (up ? this.#up : this.#down).get(key) ?? [];
    const longest = Math.max(0, ...(rules?.policies ?? []).map((p) => p.periodSeconds)) * 1000;
    const now = this.#now();
    for (const e of events) if (e.timestamp < now - longest) e.outdated = true;
    const event = { change: Math.abs(next - previous), timestamp: now, outdated: false };
    const i = events.findIndex((e) => e.outdated);
    if (i >= 0) events[i] = event;
    else events.push(event);
    (up ? this.#up : this.#down).set(key, events);
  }

  #withoutBehavior(input: NormalizeInput): Normalized {
    const now = this.#now();
    const list = this.#recommendations.get(input.key) ?? [];
    let stabilized = input.desiredReplicas;
    let replaced = false;
    for (const [i, r] of list.entries()) {
      if (r.timestamp > now - this.#downscaleStabilizationMs) stabilized = Math.max(stabilized, r.replicas);
      else if (!replaced) {
        list[i] = { replicas: input.desiredReplicas, timestamp: now };
        replaced = true;
      }
    }
    if (!replaced) list.push({ replicas: input.desiredReplicas, timestamp: now });
    this.#recommendations.set(input.key, list);
    const ableToScale = stabilized !== input.desiredReplicas ? DOWN_STABILIZED : READY;
    const scaleUpLimit = Math.max(2 * input.currentReplicas, 4);
    const [maxAllowed, overMax] = input.maxReplicas > scaleUpLimit ? [scaleUpLimit, SCALE_UP_LIMIT] : [input.maxReplicas, TOO_MANY];
    const [minAllowed, underMin] =
      input.minReplicas === 0 ? [1, { ...TOO_FEW, message: 'the desired replica count is zero' }] : [input.minReplicas, TOO_FEW];
    return limit(
      stabilized,
      ableToScale,
      stabilized < minAllowed ? [minAllowed, underMin] : stabilized > maxAllowed ? [maxAllowed, overMax] : undefined,
    );
  }

  #withBehavior(input: NormalizeInput, behavior: Behavior): Normalized {
    const now = this.#now();
    const upWindow = (behavior.scaleUp?.stabilizationWindowSeconds ?? 0) * 1000;
    const downWindow =
      behavior.scaleDown?.stabilizationWindowSeconds !== undefined
        ? behavior.scaleDown.stabilizationWindowSeconds * 1000
        : this.#downscaleStabilizationMs;
    let up = input.desiredReplicas;
    let down = input.desiredReplicas;
    let oldIndex = -1;
    const list = this.#recommendations.get(input.key) ?? [];
    for (const [i, r] of list.entries()) {
      if (r.timestamp > now - upWindow) up = Math.min(up, r.replicas);
      if (r.timestamp > now - downWindow) down = Math.max(down, r.replicas);
      if (r.timestamp < now - upWindow && r.timestamp < now - downWindow) oldIndex = i;
    }
    const stabilized = Math.min(Math.max(input.currentReplicas, up), down);
    const rec = { replicas: input.desiredReplicas, timestamp: now };
    if (oldIndex >= 0) list[oldIndex] = rec;
    else list.push(rec);
    this.#recommendations.set(input.key, list);
    const ableToScale =
      stabilized === input.desiredReplicas ? READY : input.desiredReplicas >= input.currentReplicas ? UP_STABILIZED : DOWN_STABILIZED;
    const ups = this.#up.get(input.key) ?? [];
    const downs = this.#down.get(input.key) ?? [];
    if (stabilized > input.currentReplicas) {
      const rate = Math.max(input.currentReplicas, scaleUpLimit(input.currentReplicas, ups, downs, behavior.scaleUp ?? {}, now));
      const [maxAllowed, over] = input.maxReplicas > rate ? [rate, SCALE_UP_LIMIT] : [input.maxReplicas, TOO_MANY];
      return limit(stabilized, ableToScale, stabilized > maxAllowed ? [maxAllowed, over] : undefined);
    }
    if (stabilized < input.currentReplicas) {
      const rate = Math.min(input.currentReplicas, scaleDownLimit(input.currentReplicas, ups, downs, behavior.scaleDown ?? {}, now));
      const [minAllowed, under] = input.minReplicas < rate ? [rate, SCALE_DOWN_LIMIT] : [input.minReplicas, TOO_FEW];
      return limit(stabilized, ableToScale, stabilized < minAllowed ? [minAllowed, under] : undefined);
    }
    return limit(stabilized, ableToScale, undefined);
  }
}

function limit(
  stabilized: number,
  ableToScale: { reason: string; message: string },
  limited: [number, { reason: string; message: string }] | undefined,
): Normalized {
  if (!limited) return { replicas: stabilized, ableToScale, limited: { status: 'False', ...WITHIN } };
  const [replicas, why] = limited;
  return { replicas, ableToScale, limited: { status: replicas === stabilized ? 'False' : 'True', ...why } };
}

/** getReplicasChangePerPeriod. */
function changeInPeriod(periodSeconds: number, events: readonly ScaleEvent[], now: number): number {
  const cutoff = now - periodSeconds * 1000;
  return events.filter((e) => e.timestamp > cutoff).reduce((sum, e) => sum + e.change, 0);
}

function periodStart(current: number, p: ScalingPolicy, ups: readonly ScaleEvent[], downs: readonly ScaleEvent[], now: number): number {
  return current - changeInPeriod(p.periodSeconds, ups, now) + changeInPeriod(p.periodSeconds, downs, now);
}

/** calculateScaleUpLimitWithScalingRules. */
export function scaleUpLimit(
  current: number,
  ups: readonly ScaleEvent[],
  downs: readonly ScaleEvent[],
  rules: ScalingRules,
  now: number,
): number {
  if (rules.selectPolicy === 'Disabled') return current;
  const proposals = (rules.policies ?? []).map((p) => {
    const start = periodStart(current, p, ups, downs, now);
    return p.type === 'Pods' ? start + p.value : Math.ceil(start * (1 + p.value / 100));
  });
  if (proposals.length === 0) return rules.selectPolicy === 'Min' ? Number.MAX_SAFE_INTEGER : Number.MIN_SAFE_INTEGER;
  return rules.selectPolicy === 'Min' ? Math.min(...proposals) : Math.max(...proposals);
}

/** calculateScaleDownLimitWithBehaviors. */
export function scaleDownLimit(
  current: number,
  ups: readonly ScaleEvent[],
  downs: readonly ScaleEvent[],
  rules: ScalingRules,
  now: number,
): number {
  if (rules.selectPolicy === 'Disabled') return current;
  const proposals = (rules.policies ?? []).map((p) => {
    const start = periodStart(current, p, ups, downs, now);
    return p.type === 'Pods' ? start - p.value : Math.trunc(start * (1 - p.value / 100));
  });
  if (proposals.length === 0) return rules.selectPolicy === 'Min' ? Number.MIN_SAFE_INTEGER : Number.MAX_SAFE_INTEGER;
  return rules.selectPolicy === 'Min' ? Math.max(...proposals) : Math.min(...proposals);
}
