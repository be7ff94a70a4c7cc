/** The kubelet server's node-level paths: /healthz ("ok") and /pods (the node's pods as a PodList). */
import { KubeletHttpError, type KubeletRoute } from './interface.js';
import { responseOf, sendKubeletJSON, sendKubeletText } from './respond.js';

export const healthzRoute: KubeletRoute = {
  methods: ['GET', 'HEAD'],
  path: '/healthz',
  serve: async (ctx) => sendKubeletText(responseOf(ctx), 'ok'),
};

export const podsRoute: KubeletRoute = {
  methods: ['GET'],
  path: '/pods',
  serve: async (ctx) => {
    if (!ctx.node) throw new KubeletHttpError(404, 'no node named by the request');
    sendKubeletJSON(responseOf(ctx), { kind: 'PodList', apiVersion: 'v1', metadata: {}, items: ctx.nodes.podsOf(ctx.node.nodeName) });
  },
};
