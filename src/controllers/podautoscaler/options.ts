/** The HPA controller's timings and tolerance (kube-controller-manager's --horizontal-pod-autoscaler-* flags). */

export interface HorizontalControllerTimings {
  /** --horizontal-pod-autoscaler-sync-period: how often each HPA is reconciled (15 s). */
  syncPeriodMs: number;
  /** --horizontal-pod-autoscaler-tolerance: the usage ratio's dead band around 1.0 (0.1). */
  tolerance: number;
  /** --horizontal-pod-autoscaler-downscale-stabilization: the default scale-down window (5 min). */
  downscaleStabilizationMs: number;
  /** --horizontal-pod-autoscaler-cpu-initialization-period: CPU samples of pods younger than this count only when ready (5 min). */
  cpuInitializationPeriodMs: number;
  /** --horizontal-pod-autoscaler-initial-readiness-delay: a pod unready this long after its start has not become ready yet (30 s). */
  initialReadinessDelayMs: number;
}

export const DEFAULT_HPA_TIMINGS: HorizontalControllerTimings = {
  syncPeriodMs: 15_000,
  tolerance: 0.1,
  downscaleStabilizationMs: 300_000,
  cpuInitializationPeriodMs: 300_000,
  initialReadinessDelayMs: 30_000,
};
