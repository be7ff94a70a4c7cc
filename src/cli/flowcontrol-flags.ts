/**
 * The overload protection flags of `k8ts server`, as kube-apiserver's: --max-requests-inflight
 * (400), --max-mutating-requests-inflight (200) and --enable-priority-and-fairness (true: API
 * Priority and Fairness shares their sum among the priority levels; false: the plain
 * max-in-flight limit).
 *
 *   FLOWCONTROL_FLAG_OPTIONS            // parseArgs option table
 *   parseFlowControlFlags(values): FlowControlFlags
 *   startFlowControl(flags, registry): { limiter, stop }
 */
import type { ApiRegistry } from '../apiserver/api-registry.js';
import type { RequestLimiter } from '../apiserver/flowcontrol/interface.js';
import { MaxInFlightLimit } from '../apiserver/flowcontrol/max-in-flight.js';
import { PriorityAndFairness } from '../apiserver/flowcontrol/priority-and-fairness.js';
import { ensureFlowControlConfiguration } from '../apiserver/flowcontrol/reconcile.js';

export const FLOWCONTROL_FLAG_OPTIONS = {
  'max-requests-inflight': { type: 'string', default: '400' },
  'max-mutating-requests-inflight': { type: 'string', default: '200' },
  'enable-priority-and-fairness': { type: 'string', default: 'true' },
} as const;

export interface FlowControlFlags {
  maxRequestsInflight: number;
  maxMutatingRequestsInflight: number;
  enablePriorityAndFairness: boolean;
}

type Values = Partial<Record<keyof typeof FLOWCONTROL_FLAG_OPTIONS, string | boolean | (string | boolean)[] | undefined>>;

function count(flag: string, value: unknown): number {
  const n = Number(value);
  if (!/^\d+$/.test(String(value)) || !Number.isSafeInteger(n))
    throw new Error(`--${flag}: want a whole number of 0 or more, got "${String(value)}"`);
  return n;
}

export function parseFlowControlFlags(values: Values): FlowControlFlags {
  const apf = String(values['enable-priority-and-fairness'] ?? 'true');
  if (apf !== 'true' && apf !== 'false') throw new Error(`--enable-priority-and-fairness: want true or false, got "${apf}"`);
  const flags = {
    maxRequestsInflight: count('max-requests-inflight', values['max-requests-inflight'] ?? '400'),
    maxMutatingRequestsInflight: count('max-mutating-requests-inflight', values['max-mutating-requests-inflight'] ?? '200'),
    enablePriorityAndFairness: apf === 'true',
  };
  if (flags.enablePriorityAndFairness && flags.maxRequestsInflight + flags.maxMutatingRequestsInflight <= 0) {
    throw new Error(
      `invalid configuration: MaxRequestsInFlight=${flags.maxRequestsInflight} and MaxMutatingRequestsInFlight=${flags.maxMutatingRequestsInflight}; they must add up to something positive`,
    );
  }
  return flags;
}

/** The limiter the flags ask for; with APF, the bootstrap configuration is ensured first. */
export async function startFlowControl(
  flags: FlowControlFlags,
  registry: ApiRegistry,
  log: (m: string) => void,
): Promise<{ limiter: RequestLimiter; stop: () => void }> {
  if (!flags.enablePriorityAndFairness) return { limiter: new MaxInFlightLimit(flags), stop: () => {} };
  const flowSchemas = registry.lookup('flowcontrol.apiserver.k8s.io', 'v1', 'flowschemas');
  const priorityLevels = registry.lookup('flowcontrol.apiserver.k8s.io', 'v1', 'prioritylevelconfigurations');
  if (!flowSchemas || !priorityLevels) throw new Error('flowcontrol.apiserver.k8s.io/v1 not served');
  await ensureFlowControlConfiguration({ flowSchemas, priorityLevels });
  const apf = new PriorityAndFairness({
    flowSchemas,
    priorityLevels,
    serverConcurrencyLimit: flags.maxRequestsInflight + flags.maxMutatingRequestsInflight,
    log,
  });
  return { limiter: apf, stop: () => apf.stop() };
}
