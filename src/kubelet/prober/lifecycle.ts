/**
 * Lifecycle hooks (pkg/kubelet/lifecycle/handlers.go): a container's postStart or preStop
 * handler — exec in the container (no timeout of its own), httpGet (fails on transport errors
 * only, as upstream; any HTTP status passes), or sleep. The result is upstream's failure message,
 * which the kubelet puts into FailedPostStartHook / FailedPreStopHook events, or undefined.
 */
import { asObj, num, str, type Obj } from '../../api/core/access.js';
import type { KubeObject } from '../../machinery/object.js';
import type { Clock } from '../clock.js';
import { type HandlerContext, type HandlerTarget, runHandler } from './handler.js';

export type HookName = 'postStart' | 'preStop';

export interface HookContext extends HandlerContext {
  clock: Clock;
}

/** format.Pod: name_namespace(uid). */
export function formatPod(pod: KubeObject): string {
  return `${pod.metadata.name ?? ''}_${pod.metadata.namespace ?? ''}(${pod.metadata.uid ?? ''})`;
}

/** The container's handler for `hook`, if it has one. */
export function lifecycleHandler(container: Obj, hook: HookName): Obj | undefined {
  return asObj(asObj(container['lifecycle'])?.[hook]);
}

function sleep(clock: Clock, ms: number): Promise<void> {
  return new Promise((resolve) => clock.setTimeout(resolve, ms));
}

/** Runs the handler; resolves with upstream's failure message, or undefined when it succeeded. */
export async function runLifecycleHook(
  ctx: HookContext,
  pod: KubeObject,
  target: HandlerTarget,
  handler: Obj,
): Promise<string | undefined> {
  const name = str(target.container['name']);
  const where = `for Container "${name}" in Pod "${formatPod(pod)}" failed`;
  const exec = asObj(handler['exec']);
  if (exec) {
    const command = (Array.isArray(exec['command']) ? exec['command'] : []).map(String);
    const res = await runHandler(ctx, target, handler, 0);
    if (res.result === 'Success') return undefined;
    const ran = res.exitCode !== undefined;
    const err = ran ? `command '${command.join(' ')}' exited with ${res.exitCode}: ${res.stderr ?? ''}` : res.output;
    return `Exec lifecycle hook ([${command.join(' ')}]) ${where} - error: ${err}, message: ${JSON.stringify(ran ? res.output : '')}`;
  }
  const http = asObj(handler['httpGet']);
  if (http) {
    const res = await runHandler(ctx, target, handler, 0);
    if (res.statusCode !== undefined || res.result === 'Success') return undefined;
    return `HTTP lifecycle hook (${str(http['path'])}) ${where} - error: ${res.output}`;
  }
  const sleepAction = asObj(handler['sleep']);
  if (sleepAction) {
    await sleep(ctx.clock, Math.max(0, num(sleepAction['seconds']) ?? 0) * 1000);
    return undefined;
  }
  return `Cannot run handler: invalid handler: ${JSON.stringify(handler)}`;
}
