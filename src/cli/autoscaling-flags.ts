/**
 * The autoscaling flags of `k8ts server`: metrics-server's --metric-resolution (how often the
 * kubelets are scraped, 15 s) and kube-controller-manager's HPA flags with upstream's defaults:
 * --horizontal-pod-autoscaler-sync-period (15 s), -tolerance (0.1), -downscale-stabilization
 * (5 m), -cpu-initialization-period (5 m) and -initial-readiness-delay (30 s).
 *
 *   AUTOSCALING_FLAG_OPTIONS                          // parseArgs option table
 *   parseAutoscalingFlags(values): AutoscalingFlags
 */
import { parseGoDuration } from '../machinery/protobuf/go-duration.js';
import type { HorizontalControllerTimings } from '../controllers/podautoscaler/options.js';

export const AUTOSCALING_FLAG_OPTIONS = {
  'metric-resolution': { type: 'string', default: '15s' },
  'horizontal-pod-autoscaler-sync-period': { type: 'string', default: '15s' },
  'horizontal-pod-autoscaler-tolerance': { type: 'string', default: '0.1' },
  'horizontal-pod-autoscaler-downscale-stabilization': { type: 'string', default: '5m0s' },
  'horizontal-pod-autoscaler-cpu-initialization-period': { type: 'string', default: '5m0s' },
  'horizontal-pod-autoscaler-initial-readiness-delay': { type: 'string', default: '30s' },
} as const;

export interface AutoscalingFlags {
  /** --metric-resolution in ms. */
  metricResolutionMs: number;
  horizontalPodAutoscaler: HorizontalControllerTimings;
}

type Values = Partial<Record<keyof typeof AUTOSCALING_FLAG_OPTIONS, string | boolean | (string | boolean)[] | undefined>>;

function duration(flag: string, value: unknown, positive: boolean): number {
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

export function parseAutoscalingFlags(values: Values): AutoscalingFlags {
  const tolerance = Number(values['horizontal-pod-autoscaler-tolerance']);
  if (!(tolerance >= 0) || !/^\d*\.?\d+$/.test(String(values['horizontal-pod-autoscaler-tolerance'])))
    throw new Error(
      `--horizontal-pod-autoscaler-tolerance: want a number of 0 or more, got "${String(values['horizontal-pod-autoscaler-tolerance'])}"`,
    );
  return {
    metricResolutionMs: duration('metric-resolution', values['metric-resolution'], true),
    horizontalPodAutoscaler: {
      syncPeriodMs: duration('horizontal-pod-autoscaler-sync-period', values['horizontal-pod-autoscaler-sync-period'], true),
      tolerance,
      downscaleStabilizationMs: duration(
        'horizontal-pod-autoscaler-downscale-stabilization',
        values['horizontal-pod-autoscaler-downscale-stabilization'],
        false,
      ),
      cpuInitializationPeriodMs: duration(
        'horizontal-pod-autoscaler-cpu-initialization-period',
        values['horizontal-pod-autoscaler-cpu-initialization-period'],
        false,
      ),
      initialReadinessDelayMs: duration(
        'horizontal-pod-autoscaler-initial-readiness-delay',
        values['horizontal-pod-autoscaler-initial-readiness-delay'],
        false,
      ),
    },
  };
}
