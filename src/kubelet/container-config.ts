/**
 * The runtime configs the kubelet derives from a pod's spec (kuberuntime_sandbox.go
 * generatePodSandboxConfig, kuberuntime_container.go generateContainerConfig): the sandbox's
 * metadata, hostname, log directory, port mappings and host namespaces; a container's command,
 * environment, mounts, labels and annotations.
 */
import { asObj, objs, str, type Obj } from '../api/core/access.js';
import type { KubeObject } from '../machinery/object.js';
import { CONTAINER_NAME_LABEL, POD_NAME_LABEL, POD_NAMESPACE_LABEL, POD_UID_LABEL } from './runtime-view.js';
import { CONTAINER_TYPE_LABEL } from './runtime/fake/simulate.js';
import type { ContainerConfig, PodSandboxConfig, PortMapping } from './runtime/interface.js';

/**
 * The pod's labels and the kubelet's (which win). Copied, then assigned: V8 builds an object
 * literal that spreads another and adds keys ~10 times as slowly.
 */
function sandboxLabels(
  podLabels: Record<string, string> | undefined,
  name: string,
  namespace: string,
  uid: string,
): Record<string, string> {
  const labels: Record<string, string> = Object.assign({}, podLabels);
  labels[POD_NAME_LABEL] = name;
  labels[POD_NAMESPACE_LABEL] = namespace;
  labels[POD_UID_LABEL] = uid;
  return labels;
}

/** Where pods' log directories are by default (the fake runtime keeps this virtual path). */
export const DEFAULT_POD_LOGS_DIR = '/var/log/pods';

/** `<podLogsDir>/<ns>_<pod>_<uid>`: the sandbox's log directory (a container logs to <name>/<attempt>.log in it). */
export function podLogDirectory(podLogsDir: string, namespace: string, name: string, uid: string): string {
  return `${podLogsDir}/${namespace}_${name}_${uid}`;
}

export function sandboxConfigFor(pod: KubeObject, attempt: number, podLogsDir = DEFAULT_POD_LOGS_DIR): PodSandboxConfig {
  const spec = asObj(pod['spec']) ?? {};
  const name = pod.metadata.name ?? '';
  const namespace = pod.metadata.namespace ?? '';
  const uid = pod.metadata.uid ?? '';
  const portMappings: PortMapping[] = [];
  for (const c of objs(spec['containers'])) {
    for (const p of objs(c['ports'])) {
      if (typeof p['hostPort'] !== 'number' || p['hostPort'] === 0) continue;
      portMappings.push({
        protocol: (str(p['protocol']) || 'TCP') as PortMapping['protocol'],
        containerPort: p['containerPort'] as number,
        hostPort: p['hostPort'],
        ...(str(p['hostIP']) ? { hostIp: str(p['hostIP']) } : {}),
      });
    }
  }
  return {
    metadata: { name, namespace, uid, attempt },
    hostname: str(spec['hostname']) || name,
    logDirectory: podLogDirectory(podLogsDir, namespace, name, uid),
    portMappings,
    labels: sandboxLabels(pod.metadata.labels, name, namespace, uid),
    annotations: { ...pod.metadata.annotations },
    linux: { hostNetwork: spec['hostNetwork'] === true },
  };
}

export function containerConfigFor(pod: KubeObject, c: Obj, imageRef: string, attempt: number, isInit: boolean): ContainerConfig {
  const name = str(c['name']);
  const envs = objs(c['env'])
    .filter((e) => typeof e['value'] === 'string')
    .map((e) => ({ key: str(e['name']), value: str(e['value']) }));
  return {
    metadata: { name, attempt },
    image: { image: imageRef },
    command: (c['command'] as string[] | undefined) ?? [],
    args: (c['args'] as string[] | undefined) ?? [],
    workingDir: str(c['workingDir']),
    envs,
    labels: {
      [CONTAINER_NAME_LABEL]: name,
      [POD_NAME_LABEL]: pod.metadata.name ?? '',
      [POD_NAMESPACE_LABEL]: pod.metadata.namespace ?? '',
      [POD_UID_LABEL]: pod.metadata.uid ?? '',
      [CONTAINER_TYPE_LABEL]: isInit ? 'init' : 'app',
    },
    annotations: {
      'io.kubernetes.container.restartCount': String(attempt),
      'io.kubernetes.container.terminationMessagePath': str(c['terminationMessagePath']) || '/dev/termination-log',
    },
    logPath: `${name}/${attempt}.log`,
    stdin: c['stdin'] === true,
    tty: c['tty'] === true,
  };
}
