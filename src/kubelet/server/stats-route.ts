/** GET /stats/summary: the node's stats/v1alpha1 Summary (stats/summary.ts), one provider per server (it keeps the CPU samples). */
import { SummaryProvider } from '../stats/summary.js';
import { KubeletHttpError, type KubeletRoute } from './interface.js';
import { responseOf, sendKubeletJSON } from './respond.js';

export function statsSummaryRoute(options: { dataDir?: string } = {}): KubeletRoute {
  const provider = new SummaryProvider(options.dataDir ? { dataDir: options.dataDir } : {});
  return {
    methods: ['GET'],
    path: '/stats/summary',
    serve: async (ctx) => {
      if (!ctx.node) throw new KubeletHttpError(404, 'no node named by the request');
      sendKubeletJSON(responseOf(ctx), await provider.summary(ctx.node, ctx.nodes.podsOf(ctx.node.nodeName)));
    },
  };
}
