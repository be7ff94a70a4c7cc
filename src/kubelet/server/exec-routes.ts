/**
 * /exec/{namespace}/{pod}/{container} and /attach/… (upstream server.go getExec/getAttach): the
 * container must be in the pod and running (500 with upstream's words otherwise, before any
 * upgrade), then the request is upgraded to remotecommand (SPDY or WebSocket) and the runtime
 * runs the command (or attaches) with the client's streams; the final status reports the exit
 * code (Success, NonZeroExitCode) or why it failed (InternalError).
 */
import { objs, asObj } from '../../api/core/access.js';
import type { KubeObject } from '../../machinery/object.js';
import type { Kubelet } from '../kubelet.js';
import { podRuntimeView } from '../runtime-view.js';
import { remoteCommandOptions } from '../streaming/remotecommand/options.js';
import { exitCodeStatus, internalErrorStatus, type RemoteCommandStatus, successStatus } from '../streaming/remotecommand/protocol.js';
import { acceptRemoteCommand } from '../streaming/remotecommand/server.js';
import { KubeletHttpError, type KubeletRoute, type KubeletRouteContext } from './interface.js';

/** The runtime id of a running container of the pod; KubeletHttpError otherwise. */
export async function runningContainerId(kubelet: Kubelet, pod: KubeObject, container: string): Promise<string> {
  const spec = asObj(pod['spec']);
  const known = ['containers', 'initContainers', 'ephemeralContainers'].some((l) => objs(spec?.[l]).some((c) => c['name'] === container));
  if (!known) throw new KubeletHttpError(500, `container not found ("${container}")`);
  const view = await podRuntimeView(kubelet.runtime, pod.metadata.uid ?? '');
  const current = view.containers.get(container)?.current;
  if (!current) throw new KubeletHttpError(500, `container not found ("${container}")`);
  if (current.state !== 'CONTAINER_RUNNING') throw new KubeletHttpError(500, `container is in ${current.state} state`);
  return current.id;
}

type Run = (
  kubelet: Kubelet,
  containerId: string,
  ctx: KubeletRouteContext,
  io: Parameters<Kubelet['runtime']['attach']>[1],
) => Promise<RemoteCommandStatus>;

function remoteCommandRoute(verb: 'exec' | 'attach', run: Run): KubeletRoute {
  return {
    methods: ['GET', 'POST'],
    path: `/${verb}/{namespace}/{pod}/{container}`,
    upgrade: true,
    serve: async (ctx) => {
      if (!ctx.upgrade) throw new KubeletHttpError(400, 'Upgrade request required');
      const { pod, kubelet } = ctx.target as NonNullable<typeof ctx.target>;
      const options = remoteCommandOptions(ctx.url.searchParams);
      const containerId = await runningContainerId(kubelet, pod, ctx.params['container'] ?? '');
      const session = await acceptRemoteCommand({ req: ctx.req, ...ctx.upgrade }, options);
      if (!session) return;
      await session.finish(await run(kubelet, containerId, ctx, session.io));
    },
  };
}

export const execRoute = remoteCommandRoute('exec', async (kubelet, containerId, ctx, io) => {
  const command = ctx.url.searchParams.getAll('command');
  try {
    const code = await kubelet.runtime.exec(containerId, command, io);
    return code === 0 ? successStatus() : exitCodeStatus(code, command);
  } catch (err) {
    return internalErrorStatus(`error executing command in container: ${(err as Error).message}`);
  }
});

export const attachRoute = remoteCommandRoute('attach', async (kubelet, containerId, _ctx, io) => {
  try {
    await kubelet.runtime.attach(containerId, io);
    return successStatus();
  } catch (err) {
    return internalErrorStatus(`error attaching to container: ${(err as Error).message}`);
  }
});
