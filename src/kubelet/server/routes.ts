/** Every path the kubelet server serves (one line per route module; see interface.ts). */
import type { KubeletRoutes } from './interface.js';
import { containerLogsRoute } from './container-logs-route.js';
import { healthzRoute, podsRoute } from './node-routes.js';
import { attachRoute, execRoute } from './exec-routes.js';
import { portForwardRoute } from './port-forward-route.js';
import { statsSummaryRoute } from './stats-route.js';

export interface KubeletRouteOptions {
  /** The node's data directory (its file system is the Summary's node.fs). */
  dataDir?: string;
}

export function registerKubeletRoutes(routes: KubeletRoutes, options: KubeletRouteOptions = {}): void {
  routes.add(healthzRoute);
  routes.add(podsRoute);
  routes.add(containerLogsRoute);
  routes.add(execRoute);
  routes.add(attachRoute);
  routes.add(portForwardRoute);
  routes.add(statsSummaryRoute(options));
}
