/**
 * Removes the pod network of a node for `k8ts killall`: the routes of ROUTE_PROTOCOL, the VXLAN
 * device (with its neighbour and FDB entries) and this node's masquerade and forward rules.
 * Each thing removed is reported in one line.
 *
 *   cleanupPodNetwork(options): Promise<void>
 */
import type { NetworkCommandRunner } from './interface.js';
import { linkOf } from './links.js';
import { cleanupMasquerade } from './masquerade.js';
import { flushRoutes, ROUTE_PROTOCOL } from './routes.js';
import { VXLAN_DEVICE } from './vxlan.js';

export async function cleanupPodNetwork(options: {
  run: NetworkCommandRunner;
  bridge: string;
  report: (line: string) => void;
}): Promise<void> {
  const { run, report } = options;
  const routes = await flushRoutes(run);
  if (routes > 0) report(`removed ${routes} pod network route(s) (proto ${ROUTE_PROTOCOL})`);
  if (await linkOf(run, VXLAN_DEVICE)) {
    await run('ip', ['link', 'del', VXLAN_DEVICE]);
    report(`removed VXLAN device ${VXLAN_DEVICE}`);
  }
  await cleanupMasquerade(run, options.bridge, report);
}
