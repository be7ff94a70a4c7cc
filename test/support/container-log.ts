/**
 * A container's output as containerd logged it, for end-to-end tests until `kubectl logs` reads
 * it: the newest attempt of the container `name` of the pod `uid`, found through CRI on the
 * node's containerd socket (its log path), with the CRI log format's timestamp, stream and tag
 * stripped and partial lines joined.
 *
 *   containerLog(socket, podUID, name): Promise<string>
 */
import { readFile } from 'node:fs/promises';
import { CriRuntime } from '../../src/kubelet/runtime/cri/cri-runtime.js';

/** The messages of a CRI log file (`<time> <stream> <P|F> <message>` lines). */
export function criLogText(file: string): string {
  let out = '';
  for (const line of file.split('\n')) {
    const m = /^\S+ (?:stdout|stderr) ([PF]) ?(.*)$/.exec(line);
    if (!m) continue;
    out += m[2] + (m[1] === 'F' ? '\n' : '');
  }
  return out;
}

export async function containerLog(socket: string, podUID: string, name: string): Promise<string> {
  const runtime = new CriRuntime({ endpoint: `unix://${socket}` });
  try {
    const containers = await runtime.listContainers({
      labelSelector: { 'io.kubernetes.pod.uid': podUID, 'io.kubernetes.container.name': name },
    });
    const newest = containers.sort((a, b) => b.metadata.attempt - a.metadata.attempt)[0];
    if (!newest) return '';
    const { logPath } = await runtime.containerStatus(newest.id);
    return criLogText(await readFile(logPath, 'utf8').catch(() => ''));
  } finally {
    runtime.close();
  }
}
