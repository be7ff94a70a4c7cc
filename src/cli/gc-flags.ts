/**
 * The kubelet's garbage collection flags, shared by `k8ts server` and `k8ts agent`: upstream's
 * --image-gc-high-threshold, --image-gc-low-threshold, --minimum-image-ttl-duration and
 * --maximum-dead-containers-per-container (validated with upstream's messages), and k8ts' own
 * --container-gc-period and --image-gc-period (upstream fixes them at 1 m and 5 m).
 *
 *   GC_FLAG_OPTIONS                                   // parseArgs option table
 *   parseGarbageCollectionFlags(values): GarbageCollectionPolicy
 */
import type { GarbageCollectionPolicy } from '../kubelet/gc/node-gc.js';
import { parseGoDuration } from '../machinery/protobuf/go-duration.js';

export const GC_FLAG_OPTIONS = {
  'image-gc-high-threshold': { type: 'string' },
  'image-gc-low-threshold': { type: 'string' },
  'minimum-image-ttl-duration': { type: 'string' },
  'maximum-dead-containers-per-container': { type: 'string' },
  'container-gc-period': { type: 'string' },
  'image-gc-period': { type: 'string' },
} as const;

export const GC_FLAGS = Object.keys(GC_FLAG_OPTIONS) as (keyof typeof GC_FLAG_OPTIONS)[];

type Values = Partial<Record<keyof typeof GC_FLAG_OPTIONS, string | boolean | (string | boolean)[] | undefined>>;

function integer(flag: string, value: unknown): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (typeof value !== 'string' || !/^-?\d+$/.test(value) || !Number.isSafeInteger(n))
    throw new Error(`--${flag}: want an integer, got "${String(value)}"`);
  return n;
}

function duration(flag: string, value: unknown, positive: boolean): number | undefined {
  if (value === undefined) return undefined;
  let ns: bigint;
  try {
    ns = parseGoDuration(String(value));
  } catch (err) {
    throw new Error(`--${flag}: ${(err as Error).message}`);
  }
  if (ns < 0n || (positive && ns === 0n))
    throw new Error(`--${flag}: must be ${positive ? 'positive' : 'zero or more'}, got ${String(value)}`);
  return Number(ns / 1_000_000n);
}

export function parseGarbageCollectionFlags(values: Values): GarbageCollectionPolicy {
  const high = integer('image-gc-high-threshold', values['image-gc-high-threshold']);
  const low = integer('image-gc-low-threshold', values['image-gc-low-threshold']);
  for (const [name, field, v] of [
    ['imageGCHighThresholdPercent', 'image-gc-high-threshold', high],
    ['imageGCLowThresholdPercent', 'image-gc-low-threshold', low],
  ] as const) {
    if (v !== undefined && (v < 0 || v > 100))
      throw new Error(`invalid configuration: ${name} (--${field}) ${v} must be between 0 and 100, inclusive`);
  }
  if ((low ?? 80) >= (high ?? 85)) {
    throw new Error(
      `invalid configuration: imageGCLowThresholdPercent (--image-gc-low-threshold) ${low ?? 80} must be less than imageGCHighThresholdPercent (--image-gc-high-threshold) ${high ?? 85}`,
    );
  }
  const policy: GarbageCollectionPolicy = {};
  if (high !== undefined) policy.imageHighThresholdPercent = high;
  if (low !== undefined) policy.imageLowThresholdPercent = low;
  const minAge = duration('minimum-image-ttl-duration', values['minimum-image-ttl-duration'], false);
  if (minAge !== undefined) policy.imageMinAgeMs = minAge;
  const maxDead = integer('maximum-dead-containers-per-container', values['maximum-dead-containers-per-container']);
  if (maxDead !== undefined) policy.maxPerPodContainer = maxDead;
  const containerPeriod = duration('container-gc-period', values['container-gc-period'], true);
  if (containerPeriod !== undefined) policy.containerPeriodMs = containerPeriod;
  const imagePeriod = duration('image-gc-period', values['image-gc-period'], true);
  if (imagePeriod !== undefined) policy.imagePeriodMs = imagePeriod;
  return policy;
}
