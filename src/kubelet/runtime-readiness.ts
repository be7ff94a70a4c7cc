/**
 * Whether the container runtime lets the node be Ready (kubelet.go updateRuntimeUp and
 * runtime_state.go): CRI status()'s RuntimeReady and NetworkReady conditions become the errors
 * of the node's Ready condition, worded as upstream's kubelet words them, e.g.
 * `container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady
 * message:Network plugin returns error: cni plugin not initialized`. A runtime that does not
 * answer is "container runtime is down".
 *
 *   runtimeNotReadyMessage(runtime: Pick<RuntimeService, 'status'>): Promise<string | undefined>
 */
import type { RuntimeCondition, RuntimeService } from './runtime/interface.js';

/** kubecontainer.RuntimeCondition's String(); `<nil>` for an absent condition, as Go prints a nil pointer. */
function conditionText(c: RuntimeCondition | undefined): string {
  return c ? `${c.type}=${c.status} reason:${c.reason} message:${c.message}` : '<nil>';
}

/** The node's Ready=False message from the runtime's status, or undefined when the runtime is ready. */
export async function runtimeNotReadyMessage(runtime: Pick<RuntimeService, 'status'>): Promise<string | undefined> {
  let conditions: RuntimeCondition[];
  try {
    conditions = (await runtime.status()).conditions;
  } catch {
    return 'container runtime is down';
  }
  const runtimeReady = conditions.find((c) => c.type === 'RuntimeReady');
  const networkReady = conditions.find((c) => c.type === 'NetworkReady');
  const errors: string[] = [];
  if (!runtimeReady?.status) errors.push(`container runtime not ready: ${conditionText(runtimeReady)}`);
  if (!networkReady?.status) errors.push(`container runtime network not ready: ${conditionText(networkReady)}`);
  // utilerrors.NewAggregate: one error as itself, several as "[a, b]"
  if (errors.length === 0) return undefined;
  return errors.length === 1 ? errors[0] : `[${errors.join(', ')}]`;
}
