/** Every path the kubelet server serves (one line per route module; see interface.ts). */
import type { KubeletRoutes } from './interface.js';
import { containerLogsRoute } from './container-logs-route.js';
import { healthzRoute, podsRoute } from './node-routes.js';
import { statsSummaryRoute } from './stats-route.js';

export interface KubeletRouteOptions {
  /** The node's data directory (its file system is the Summary's node.fs). */
  dataDir?: string;
}

export function registerKubeletRoutes(routes: KubeletRoutes, options: KubeletRouteOptions = {}): void {
  routes.add(healthzRoute);
  routes.add(podsRoute);
  routes.add(containerLogsRoute);
  routes.add(statsSummaryRoute(options));
}
