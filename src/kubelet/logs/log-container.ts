/**
 * Which runtime container `kubectl logs` reads (upstream kubelet_pods.go
 * validateContainerLogStatus): the current attempt, or with --previous the one before; a
 * container that has not started yet answers why, in upstream's words (400 from the server).
 * The attempts come from the runtime (runtime-view.ts), the waiting reason from the pod's status.
 */
import { asObj, objs, str } from '../../api/core/access.js';
import type { KubeObject } from '../../machinery/object.js';
import type { ContainerStatus } from '../runtime/interface.js';
import { podRuntimeView } from '../runtime-view.js';
import type { Kubelet } from '../kubelet.js';
import { KubeletHttpError } from '../server/interface.js';

function apiWaitingReason(pod: KubeObject, container: string): string | undefined {
  const status = asObj(pod['status']);
  for (const list of ['containerStatuses', 'initContainerStatuses', 'ephemeralContainerStatuses']) {
    const cs = objs(status?.[list]).find((c) => c['name'] === container);
    if (cs) return str(asObj(asObj(cs['state'])?.['waiting'])?.['reason']) || undefined;
  }
  return undefined;
}

function inSpec(pod: KubeObject, container: string): boolean {
  const spec = asObj(pod['spec']);
  return ['containers', 'initContainers', 'ephemeralContainers'].some((l) => objs(spec?.[l]).some((c) => c['name'] === container));
}

/** The container whose log to read; throws KubeletHttpError (404 unknown container, 400 not started). */
export async function logContainer(kubelet: Kubelet, pod: KubeObject, container: string, previous: boolean): Promise<ContainerStatus> {
  const podName = pod.metadata.name ?? '';
  if (!inSpec(pod, container)) throw new KubeletHttpError(404, `container "${container}" not found in pod "${podName}"`);
  const view = await podRuntimeView(kubelet.runtime, pod.metadata.uid ?? '');
  const attempts = view.containers.get(container);
  if (previous) {
    const prev = attempts?.previous;
    if (!prev) throw new KubeletHttpError(400, `previous terminated container "${container}" in pod "${podName}" not found`);
    return prev;
  }
  const current = attempts?.current;
  if (current && (current.state === 'CONTAINER_RUNNING' || current.state === 'CONTAINER_EXITED')) return current;
  if (attempts?.previous) return attempts.previous;
  const reason = apiWaitingReason(pod, container) ?? 'ContainerCreating';
  const why =
    reason === 'ErrImagePull' ? "image can't be pulled" : reason === 'ImagePullBackOff' ? 'trying and failing to pull image' : reason;
  throw new KubeletHttpError(400, `container "${container}" in pod "${podName}" is waiting to start: ${why}`);
}
