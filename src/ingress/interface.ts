/**
 * The ingress controller's contracts: the routing table the controller builds from the Ingresses
 * it serves (routing-table.ts), the backends a route names, and the endpoint picker that turns a
 * backend into one ready pod address (endpoints.ts). The proxy (proxy.ts) only sees these.
 */

/** The controller name of k8ts' IngressClass (spec.controller). */
export const INGRESS_CONTROLLER = 'k8ts.io/ingress';
/** The IngressClass k8ts creates and marks as the cluster's default. */
export const INGRESS_CLASS_NAME = 'k8ts';

/** An Ingress backend: a Service port in the Ingress' namespace (`service.port.number` or `.name`). */
export interface ServiceBackend {
  namespace: string;
  service: string;
  port: number | string;
}

/** What a request was routed to; `backend` undefined means the 404 default backend. */
export interface RouteResult {
  backend: ServiceBackend | undefined;
  /** The Ingress (`namespace/name`) whose rule or defaultBackend matched; undefined for the 404. */
  ingress: string | undefined;
}

/** One TLS entry of a served Ingress: a kubernetes.io/tls Secret for some hosts. */
export interface TLSEntry {
  namespace: string;
  secretName: string;
  hosts: string[];
}

/** Host and path rules of every served Ingress, merged; immutable once built. */
export interface Router {
  /** Routes a request by its Host header (port and case ignored) and its path (query ignored). */
  route(host: string, path: string): RouteResult;
}

/** A ready endpoint: a pod's IP and the target port. */
export interface EndpointAddress {
  ip: string;
  port: number;
}

/** Resolves backends to ready endpoints from the Services and EndpointSlices. */
export interface EndpointPicker {
  /** The next ready endpoint of the backend, round-robin; undefined when it has none. */
  pick(backend: ServiceBackend): EndpointAddress | undefined;
}
