/**
 * /portForward/{namespace}/{pod} (upstream server.go getPortForward): the pod's sandbox must be
 * ready, then every forwarded connection goes to the runtime's PortForward into the sandbox's
 * network namespace, over whichever transport the client chose (streaming/portforward/server.ts).
 */
import { podRuntimeView } from '../runtime-view.js';
import { servePortForward } from '../streaming/portforward/server.js';
import { KubeletHttpError, type KubeletRoute } from './interface.js';

export const portForwardRoute: KubeletRoute = {
  methods: ['GET', 'POST'],
  path: '/portForward/{namespace}/{pod}',
  upgrade: true,
  serve: async (ctx) => {
    if (!ctx.upgrade) throw new KubeletHttpError(400, 'Upgrade request required');
    const { pod, kubelet } = ctx.target as NonNullable<typeof ctx.target>;
    const uid = pod.metadata.uid ?? '';
    const podName = pod.metadata.name ?? '';
    const { sandbox } = await podRuntimeView(kubelet.runtime, uid);
    if (sandbox?.state !== 'SANDBOX_READY') throw new KubeletHttpError(500, `pod "${podName}" has no running sandbox`);
    await servePortForward(
      { req: ctx.req, ...ctx.upgrade },
      (port, stream) => kubelet.runtime.portForward(sandbox.id, port, stream),
      (port, err) => `error forwarding port ${port} to pod ${sandbox.id}, uid : ${err.message}`,
    );
  },
};
