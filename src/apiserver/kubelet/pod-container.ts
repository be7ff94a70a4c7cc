/**
 * Which container of a pod a log, exec or attach request is for (upstream pod/strategy.go
 * LogLocation, streamLocation): the one named, or the pod's only container; 400 BadRequest
 * otherwise, with upstream's messages.
 */
import { asObj, objs, str } from '../../api/core/access.js';
import { newBadRequest } from '../../machinery/errors.js';
import type { KubeObject } from '../../machinery/object.js';

function names(pod: KubeObject, list: string): string[] {
  return objs(asObj(pod['spec'])?.[list]).map((c) => str(c['name']));
}

export function podContainerName(pod: KubeObject, container: string): string {
  const name = pod.metadata.name ?? '';
  const containers = names(pod, 'containers');
  if (container === '') {
    if (containers.length === 1) return containers[0] as string;
    if (containers.length === 0) throw newBadRequest(`a container name must be specified for pod ${name}`);
    const init = names(pod, 'initContainers');
    let message = `a container name must be specified for pod ${name}, choose one of: [${containers.join(' ')}]`;
    if (init.length > 0) message += ` or one of the init containers: [${init.join(' ')}]`;
    throw newBadRequest(message);
  }
  const all = [...containers, ...names(pod, 'initContainers'), ...names(pod, 'ephemeralContainers')];
  if (!all.includes(container)) throw newBadRequest(`container ${container} is not valid for pod ${name}`);
  return container;
}
