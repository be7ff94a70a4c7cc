/**
 * A real node's ingress controller (src/ingress) as the server's embedded agent and `k8ts agent`
 * run it: its own API client (user agent k8ts-ingress), listening on the node's ports until
 * `signal` aborts.
 *
 *   startNodeIngress(options, signal): Promise<void>  // resolves once stopped
 */
import { HttpsClientset } from '../client/rest.js';
import { runIngressController } from '../ingress/controller.js';
import { componentUserAgent } from '../machinery/platform.js';
import type { IngressFlags } from './ingress-flags.js';

export interface NodeIngressOptions extends IngressFlags {
  kubeconfig: string;
  nodeName: string;
  /** The addresses to listen on (the node's IPs and loopback). */
  hosts: string[];
}

export async function startNodeIngress(options: NodeIngressOptions, signal: AbortSignal): Promise<void> {
  const clientset = new HttpsClientset({ kubeconfig: options.kubeconfig, userAgent: componentUserAgent('k8ts-ingress') });
  try {
    const ingress = await runIngressController(
      { clientset, nodeName: options.nodeName, httpPort: options.httpPort, httpsPort: options.httpsPort, hosts: options.hosts },
      signal,
    );
    console.error(`k8ts ingress: serving on ports ${ingress.httpPort} (http) and ${ingress.httpsPort} (https)`);
    await ingress.done;
  } finally {
    clientset.close();
  }
}
