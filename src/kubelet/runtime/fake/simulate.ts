/**
 * How a simulated container behaves, told through annotations (the fake runtime runs no
 * processes). The pod's annotations reach the runtime through PodSandboxConfig.annotations, as
 * the kubelet passes them; a ContainerConfig annotation overrides them for one container.
 *
 *   k8ts.io/simulate-exit: "5s:0"           every app container exits 5 s after it starts, code 0
 *   k8ts.io/simulate-exit.<container>: "1m:3"  one container (app or init) exits after 1 min, code 3
 *
 * The value is `<duration>[:<exitCode>]` (Go duration: "500ms", "5s", "1m30s", "0"); the code
 * defaults to 0 and must be 0…255. Without an annotation app containers and sidecars (label
 * "sidecar") run until stopped and init containers exit at once with 0, so init sequences complete.
 */
import { RuntimeError, type StringMap } from '../interface.js';
import { parseQuantity, type Quantity } from '../../../machinery/quantity.js';

export const SIMULATE_EXIT_ANNOTATION = 'k8ts.io/simulate-exit';
/** The label the kubelet puts on a ContainerConfig: app, init or sidecar (an init container with restartPolicy Always). */
export const CONTAINER_TYPE_LABEL = 'k8ts.io/container-type';

export interface ExitProgram {
  afterMs: number;
  exitCode: number;
}

const UNITS: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Go's time.ParseDuration, in milliseconds; undefined when malformed or negative. */
export function parseGoDuration(text: string): number | undefined {
  if (text === '0') return 0;
  const re = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)/y;
  let total = 0;
  let i = 0;
  if (text.length === 0) return undefined;
  while (i < text.length) {
    re.lastIndex = i;
    const m = re.exec(text);
    if (!m) return undefined;
    total += Number(m[1]) * (UNITS[m[2] as string] as number);
    i = re.lastIndex;
  }
  return total;
}

/** Parses "5s:0"; throws InvalidArgument with the annotation's value when malformed. */
export function parseExitProgram(value: string): ExitProgram {
  const colon = value.lastIndexOf(':');
  const durationText = (colon < 0 ? value : value.slice(0, colon)).trim();
  const codeText = colon < 0 ? '0' : value.slice(colon + 1).trim();
  const afterMs = parseGoDuration(durationText);
  const exitCode = /^\d{1,3}$/.test(codeText) ? Number(codeText) : Number.NaN;
  if (afterMs === undefined || !(exitCode >= 0 && exitCode <= 255)) {
    throw new RuntimeError(
      'InvalidArgument',
      `invalid ${SIMULATE_EXIT_ANNOTATION} "${value}": want <duration>[:<exit code 0-255>], e.g. "5s:0"`,
    );
  }
  return { afterMs, exitCode };
}

/** The exit program of one container, or undefined when it runs until stopped. */
export function exitProgramFor(
  containerName: string,
  containerLabels: StringMap,
  containerAnnotations: StringMap,
  podAnnotations: StringMap,
): ExitProgram | undefined {
  const own = containerAnnotations[SIMULATE_EXIT_ANNOTATION] ?? podAnnotations[`${SIMULATE_EXIT_ANNOTATION}.${containerName}`];
  if (own !== undefined) return parseExitProgram(own);
  if (containerLabels[CONTAINER_TYPE_LABEL] === 'init') return { afterMs: 0, exitCode: 0 };
  const pod = podAnnotations[SIMULATE_EXIT_ANNOTATION];
  return pod === undefined ? undefined : parseExitProgram(pod);
}

/**
 * What a simulated container uses, told through annotations as the exit program is:
 *
 *   k8ts.io/simulate-usage: "cpu=300m,memory=64Mi"           every container of the pod
 *   k8ts.io/simulate-usage.<container>: "cpu=1"              one container (over the pod's)
 *
 * Either resource may be left out (its default stays); quantities are Kubernetes quantities.
 * Without an annotation a container uses a millicore and 4 MiB.
 */
export const SIMULATE_USAGE_ANNOTATION = 'k8ts.io/simulate-usage';

export interface SimulatedUsage {
  nanoCores: number;
  memoryBytes: number;
}

export const DEFAULT_SIMULATED_USAGE: SimulatedUsage = { nanoCores: 1_000_000, memoryBytes: 4 * 1024 * 1024 };

/** Parses "cpu=300m,memory=64Mi" over `base`; throws InvalidArgument with the value when malformed. */
export function parseUsage(value: string, base: SimulatedUsage = DEFAULT_SIMULATED_USAGE): SimulatedUsage {
  const out = { ...base };
  const invalid = (): RuntimeError =>
    new RuntimeError(
      'InvalidArgument',
      `invalid ${SIMULATE_USAGE_ANNOTATION} "${value}": want cpu=<quantity>,memory=<quantity>, e.g. "cpu=300m,memory=64Mi"`,
    );
  for (const term of value
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean)) {
    const [key, text = ''] = term.split('=').map((s) => s.trim());
    let q: Quantity;
    try {
      q = parseQuantity(text);
    } catch {
      throw invalid();
    }
    if (q.sign() < 0) throw invalid();
    if (key === 'cpu') out.nanoCores = Number(q.scaledValueBig(-9));
    else if (key === 'memory') out.memoryBytes = q.value();
    else throw invalid();
  }
  return out;
}

/** The usage of one container: its own annotation over the pod's over the default. */
export function usageFor(containerName: string, containerAnnotations: StringMap, podAnnotations: StringMap): SimulatedUsage {
  let usage = DEFAULT_SIMULATED_USAGE;
  const pod = podAnnotations[SIMULATE_USAGE_ANNOTATION];
  if (pod !== undefined) usage = parseUsage(pod, usage);
  const own = containerAnnotations[SIMULATE_USAGE_ANNOTATION] ?? podAnnotations[`${SIMULATE_USAGE_ANNOTATION}.${containerName}`];
  return own === undefined ? usage : parseUsage(own, usage);
}
