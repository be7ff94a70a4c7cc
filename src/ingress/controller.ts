/**
 * The ingress controller of an agent: watches Ingresses, IngressClasses, Services, EndpointSlices,
 * Secrets and the serving Nodes, and serves the Ingresses of its class on the node's HTTP and
 * HTTPS ports. A change rebuilds the routing table and the TLS contexts in memory and swaps them
 * in: no process reloads and no open connection drops (seed 001 names nginx' reloads as the
 * weakness this avoids). Endpoint changes only drop the picker's cache. Then statuses are written,
 * and each Ingress whose spec is new to this controller gets ingress-nginx's `Sync` Event.
 *
 *   runIngressController(options, signal): Promise<IngressController>
 */
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Clientset, ResourceEventHandler } from '../client/interface.js';
import { InformerFactory } from '../client/informer-factory.js';
import { dropManagedFields } from '../client/informer.js';
import { EventBroadcaster } from '../client/events.js';
import { defaultCertificate } from './default-certificate.js';
import { ServiceEndpointPicker, SLICES_BY_SERVICE, sliceServiceKey } from './endpoints.js';
import { ensureDefaultIngressClass, servedBy } from './ingress-class.js';
import type { Router } from './interface.js';
import { IngressProxy } from './proxy.js';
import { buildRoutingTable } from './routing-table.js';
import { IngressStatusWriter, markServingNode, SERVING_NODE_LABEL } from './status-writer.js';
import { TLSContextStore } from './tls-store.js';

const INGRESSES = { group: 'networking.k8s.io', version: 'v1', resource: 'ingresses' };
const INGRESS_CLASSES = { group: 'networking.k8s.io', version: 'v1', resource: 'ingressclasses' };
const SERVICES = { group: '', version: 'v1', resource: 'services' };
const ENDPOINT_SLICES = { group: 'discovery.k8s.io', version: 'v1', resource: 'endpointslices' };
const SECRETS = { group: '', version: 'v1', resource: 'secrets' };
const NODES = { group: '', version: 'v1', resource: 'nodes' };
const EVENTS = { group: '', version: 'v1', resource: 'events' };
const RETRY_MS = 2_000;
/** ingress-nginx's keepalive_timeout (75 s). */
const KEEP_ALIVE_MS = 75_000;

export interface IngressControllerOptions {
  clientset: Clientset;
  /** The agent's node: labelled as serving, its InternalIP goes into the Ingresses' status. */
  nodeName: string;
  /** --ingress-http-port (80) and --ingress-https-port (443); 0 takes any free port. */
  httpPort: number;
  httpsPort: number;
  /**
   * The addresses to listen on: the node's IPs and loopback, not the wildcard — a wildcard
   * listener on 443 would keep the userspace proxy from listening on the kubernetes Service's
   * cluster IP port 443 (Linux refuses both). Default: every address (the wildcard).
   */
  hosts?: string[];
  log?: (message: string) => void;
}

export interface IngressController {
  readonly httpPort: number;
  readonly httpsPort: number;
  /** Resolves once the signal aborted and both servers closed. */
  readonly done: Promise<void>;
}

/** Listens on both ports, then syncs in the background until `signal` aborts. */
export async function runIngressController(options: IngressControllerOptions, signal: AbortSignal): Promise<IngressController> {
  const log = options.log ?? ((m: string) => console.error(m));
  const factory = new InformerFactory({
    clientset: options.clientset,
    transform: dropManagedFields,
    onError: (err) => log(`ingress: ${(err as Error).message}`),
  });
  const informer = (gvr: typeof INGRESSES, labelSelector?: string) => factory.forResource(gvr, labelSelector ? { labelSelector } : {});
  const ingresses = informer(INGRESSES);
  const classes = informer(INGRESS_CLASSES);
  const services = informer(SERVICES);
  const slices = informer(ENDPOINT_SLICES);
  slices.addIndexer(SLICES_BY_SERVICE, sliceServiceKey);
  const secrets = informer(SECRETS);
  const nodes = informer(NODES, `${SERVING_NODE_LABEL}=true`);

  let router: Router = buildRoutingTable([]);
  const picker = new ServiceEndpointPicker({ services: services.lister, endpointSlices: slices.lister });
  const certificate = await defaultCertificate();
  const tls = new TLSContextStore({ secrets: secrets.lister, defaultCertificate: certificate, log });
  const proxy = new IngressProxy({ router: () => router, picker });
  const statuses = new IngressStatusWriter({ ingresses: options.clientset.resource(INGRESSES), nodes: nodes.lister });

  const hosts = options.hosts ?? [undefined];
  const http = hosts.map(() => proxy.serve(createHttpServer({ keepAliveTimeout: KEEP_ALIVE_MS })));
  const https = hosts.map(() =>
    proxy.serve(createHttpsServer({ keepAliveTimeout: KEEP_ALIVE_MS, SNICallback: tls.sniCallback, ...certificate })),
  );
  const servers = [...http, ...https];
  try {
    await Promise.all([listenAll(http, options.httpPort, hosts), listenAll(https, options.httpsPort, hosts)]);
  } catch (err) {
    // one port taken: let go of the others
    await Promise.all(servers.map(close));
    throw err;
  }

  const broadcaster = new EventBroadcaster({ client: options.clientset.resource(EVENTS), log });
  const recorder = broadcaster.newRecorder({ component: 'k8ts-ingress', host: options.nodeName });
  /** The generation of each served Ingress (by uid) last announced with a Sync Event. */
  let announced = new Map<string, string>();

  let synced = false;
  let scheduled = false;
  let statusRetry: NodeJS.Timeout | undefined;
  const rebuild = (): void => {
    scheduled = false;
    const allClasses = classes.lister.list();
    const served = ingresses.lister.list().filter((i) => servedBy(i, allClasses));
    const table = buildRoutingTable(served);
    tls.update(table.tls);
    router = table;
    const seen = new Map<string, string>();
    for (const ing of served) {
      const generation = String(ing.metadata.generation ?? ing.metadata.resourceVersion);
      seen.set(ing.metadata.uid ?? '', generation);
      if (announced.get(ing.metadata.uid ?? '') !== generation) recorder.event(ing, 'Normal', 'Sync', 'Scheduled for sync');
    }
    announced = seen;
    clearTimeout(statusRetry);
    statuses.sync(served).catch((err: unknown) => {
      log(`ingress: status: ${(err as Error).message}`);
      if (!signal.aborted) statusRetry = setTimeout(schedule, RETRY_MS);
    });
  };
  const schedule = (): void => {
    if (scheduled || !synced || signal.aborted) return;
    scheduled = true;
    setImmediate(rebuild);
  };
  const onChange: ResourceEventHandler = { onAdd: schedule, onUpdate: schedule, onDelete: schedule };
  for (const i of [ingresses, classes, secrets, nodes]) i.addEventHandler(onChange);
  const invalidate = (): void => picker.invalidate();
  for (const i of [services, slices]) i.addEventHandler({ onAdd: invalidate, onUpdate: invalidate, onDelete: invalidate });

  factory.start(signal);
  const background = Promise.all([
    retry(() => ensureDefaultIngressClass(options.clientset.resource(INGRESS_CLASSES)), 'IngressClass', log, signal),
    retry(() => markServingNode(options.clientset.resource(NODES), options.nodeName), 'node label', log, signal),
    factory.waitForCacheSync(signal).then(
      () => {
        synced = true;
        schedule();
      },
      () => undefined,
    ),
  ]);
  const done = new Promise<void>((resolve) => {
    const stop = async (): Promise<void> => {
      clearTimeout(statusRetry);
      proxy.close();
      await Promise.all([...servers.map(close), background]);
      broadcaster.shutdown();
      resolve();
    };
    if (signal.aborted) void stop();
    else signal.addEventListener('abort', () => void stop(), { once: true });
  });
  return { httpPort: portOf(http), httpsPort: portOf(https), done };
}

const portOf = (servers: Server[]): number => ((servers[0] as Server).address() as AddressInfo).port;

/** Listens on `port` at each host; port 0 takes a free port at the first and the same at the rest. */
async function listenAll(servers: Server[], port: number, hosts: (string | undefined)[]): Promise<void> {
  for (const [i, server] of servers.entries()) await listen(server, i === 0 ? port : portOf(servers), hosts[i]);
}

function listen(server: Server, port: number, host: string | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

function close(server: Server): Promise<void> {
  if (!server.listening) return Promise.resolve();
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

/** Runs `fn` until it succeeds or `signal` aborts, every RETRY_MS. */
async function retry(fn: () => Promise<void>, what: string, log: (m: string) => void, signal: AbortSignal): Promise<void> {
  for (let attempt = 0; !signal.aborted; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (attempt % 15 === 1) log(`ingress: ${what}: ${(err as Error).message}`);
      await sleep(RETRY_MS, undefined, { signal }).catch(() => undefined);
    }
  }
}
