/**
 * The network policy controller of one agent (a real node): its own informers on the agent's
 * client, the filter table written until `signal` aborts. The chains stay when the agent stops
 * (as kube-router leaves them: the pods keep running and stay guarded); `k8ts killall` and a
 * start with --disable-network-policy remove them (removeNetworkPolicyChains).
 *
 *   runNetworkPolicy(options: RunNetworkPolicyOptions, signal: AbortSignal): Promise<void>
 *   removeNetworkPolicyChains(report: (line: string) => void): Promise<void>
 */
import type { Clientset } from '../client/interface.js';
import { InformerFactory } from '../client/informer-factory.js';
import { dropManagedFields } from '../client/informer.js';
import { NetworkPolicyController } from './controller.js';
import { IptablesPolicyFirewall } from './iptables.js';

export interface RunNetworkPolicyOptions {
  clientset: Clientset;
  nodeName: string;
  /** false (--disable-network-policy): no controller; chains an earlier run left are removed. */
  enabled: boolean;
  log: (message: string) => void;
}

export async function runNetworkPolicy(options: RunNetworkPolicyOptions, signal: AbortSignal): Promise<void> {
  if (!options.enabled) return removeNetworkPolicyChains(options.log);
  const informers = new InformerFactory({
    clientset: options.clientset,
    transform: dropManagedFields,
    onError: (err) => options.log(`informer: ${(err as Error).message}`),
  });
  const controller = new NetworkPolicyController({
    informers,
    nodeName: options.nodeName,
    firewall: new IptablesPolicyFirewall({ log: options.log }),
    log: options.log,
  });
  informers.start(signal);
  await controller.run(signal);
}

/** Removes the controller's chains and the jumps to them, one line per chain removed. */
export async function removeNetworkPolicyChains(report: (line: string) => void): Promise<void> {
  for (const chain of await new IptablesPolicyFirewall().cleanup()) report(`removed iptables chain ${chain}`);
}
