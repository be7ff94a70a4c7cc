/**
 * kube-proxy's per-service health check servers (upstream's ServiceHealthServer): a LoadBalancer
 * Service with externalTrafficPolicy Local gets spec.healthCheckNodePort, where the node answers
 * the load balancer's probes — any GET — with
 *
 *   {"service": {"namespace": "default", "name": "web"}, "localEndpoints": 2, "serviceProxyHealthy": true}
 *
 * (indented as upstream's) and 200 when this node has ready local endpoints and the proxy is
 * healthy, 503 otherwise; so the load balancer sends traffic only to nodes that keep it local.
 * After each successful sync the listeners follow the Services (opened, counts updated, closed).
 *
 *   new ServiceHealthServers({ host, proxyHealthy, log }).sync(state) · close()
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { ProxyState } from '../interface.js';
import { type HealthServer, listen, writeHealthJSON } from './proxier-health.js';

export interface ServiceHealthServersOptions {
  /** The address the servers listen on (default 0.0.0.0, all the node's addresses, as upstream). */
  host?: string;
  /** Whether kube-proxy itself is healthy (its /healthz). */
  proxyHealthy: () => boolean;
  log?: (message: string) => void;
}

/** What one health check node port answers for. */
export interface ServiceHealth {
  namespace: string;
  name: string;
  localEndpoints: number;
}

/** The health check node ports `state` asks for, with their Service and its ready local endpoints. */
export function serviceHealthPorts(state: ProxyState): Map<number, ServiceHealth> {
  const out = new Map<number, ServiceHealth>();
  for (const [key, port] of state.services) {
    if (port.healthCheckNodePort === undefined || !port.externalPolicyLocal) continue;
    const local = (state.endpoints.get(key) ?? []).filter((ep) => ep.isLocal && ep.ready).length;
    const seen = out.get(port.healthCheckNodePort);
    out.set(port.healthCheckNodePort, {
      namespace: port.namespace,
      name: port.name,
      localEndpoints: Math.max(local, seen?.localEndpoints ?? 0),
    });
  }
  return out;
}

export class ServiceHealthServers {
  readonly #host: string;
  readonly #proxyHealthy: () => boolean;
  readonly #log: (message: string) => void;
  /** By health check node port: what it answers, and its server once listening (undefined: could not listen). */
  readonly #ports = new Map<number, { health: ServiceHealth; server: Promise<HealthServer | undefined> }>();
  /** Ports that could not listen (in use …): logged once, retried every sync. */
  readonly #failed = new Set<number>();

  constructor(options: ServiceHealthServersOptions) {
    this.#host = options.host ?? '0.0.0.0';
    this.#proxyHealthy = options.proxyHealthy;
    this.#log = options.log ?? ((m: string) => console.error(m));
  }

  /** Follows `state`: a server per health check node port, each answering its Service's current count. */
  async sync(state: ProxyState): Promise<void> {
    const wanted = serviceHealthPorts(state);
    const closing: Promise<void>[] = [];
    for (const [port, entry] of this.#ports) {
      if (wanted.has(port)) continue;
      this.#ports.delete(port);
      this.#failed.delete(port);
      closing.push(entry.server.then((s) => s?.close()));
    }
    for (const [port, health] of wanted) {
      const entry = this.#ports.get(port);
      if (entry && !(this.#failed.has(port) && (await entry.server) === undefined)) entry.health = health;
      else this.#ports.set(port, { health, server: this.#start(port) });
    }
    await Promise.all([...closing, ...[...this.#ports.values()].map((e) => e.server)]);
  }

  async close(): Promise<void> {
    const servers = [...this.#ports.values()].map((e) => e.server);
    this.#ports.clear();
    this.#failed.clear();
    await Promise.all(servers.map((s) => s.then((server) => server?.close())));
  }

  #start(port: number): Promise<HealthServer | undefined> {
    const server = createServer((_req: IncomingMessage, res: ServerResponse) => {
      const health = this.#ports.get(port)?.health;
      if (!health) return writeHealthJSON(res, 503, '');
      const serviceProxyHealthy = this.#proxyHealthy();
      const body = JSON.stringify(
        { service: { namespace: health.namespace, name: health.name }, localEndpoints: health.localEndpoints, serviceProxyHealthy },
        null,
        '\t',
      );
      res.setHeader('X-Load-Balancing-Endpoint-Weight', String(health.localEndpoints));
      writeHealthJSON(res, health.localEndpoints > 0 && serviceProxyHealthy ? 200 : 503, body);
    });
    return listen(server, this.#host, port).then(
      (listening) => {
        this.#failed.delete(port);
        return listening;
      },
      (err: Error) => {
        if (!this.#failed.has(port)) this.#log(`service proxy: health check node port ${port}: ${err.message}`);
        this.#failed.add(port);
        return undefined;
      },
    );
  }
}
