/**
 * The kubelet server's route seam (upstream pkg/kubelet/server/server.go registers its paths the
 * same way). One HTTPS server serves every kubelet of a node engine (nodes.ts); a route names a
 * path pattern and gets the request with the pod it addresses already resolved, so a module adds
 * a path without touching the server:
 *
 *   server.routes.add({
 *     methods: ['GET', 'POST'],
 *     path: '/exec/{namespace}/{pod}/{container}',   // also '/exec/{namespace}/{pod}/{uid}/{container}'
 *     upgrade: true,                                  // may take over an HTTP Upgrade (SPDY, WebSocket)
 *     serve: async (ctx) => {
 *       // ctx.target: the pod and its Kubelet (404 before serve when the pod is unknown here)
 *       // ctx.upgrade: { socket, head } on an Upgrade request (the route owns the socket);
 *       // ctx.res otherwise
 *     },
 *   });
 *
 * `{namespace}` and `{pod}` in a pattern make the server resolve the pod (and `{uid}`, when
 * present, must match its uid); other `{name}` segments are plain parameters. A route without
 * a pod is node-level (/healthz, /pods, /stats/summary): ctx.node is the node the request is for.
 * Authentication and authorization happen before any route runs.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { KubeObject } from '../../machinery/object.js';
import type { Kubelet } from '../kubelet.js';

/** A pod of this engine with the kubelet of its node. */
export interface PodTarget {
  pod: KubeObject;
  kubelet: Kubelet;
}

/** What the server knows about the engine's nodes and pods (the node engine implements it). */
export interface NodeDirectory {
  /** The engine's node names. */
  readonly nodeNames: string[];
  kubelet(nodeName: string): Kubelet | undefined;
  /** The pod (from the engine's pod informer) and its kubelet, when the pod is bound to one of the engine's nodes. */
  pod(namespace: string, name: string): PodTarget | undefined;
  /** The pods bound to a node of the engine. */
  podsOf(nodeName: string): KubeObject[];
}

export interface KubeletRouteContext {
  req: IncomingMessage;
  url: URL;
  /** The pattern's `{name}` segments, URL-decoded. */
  params: Record<string, string>;
  /** The pod of `{namespace}/{pod}` routes. */
  target?: PodTarget;
  /** Node-level routes: the node asked for (by the Host header's name, or the engine's only node). */
  node?: Kubelet;
  nodes: NodeDirectory;
  /** A plain request: answer on it. */
  res?: ServerResponse;
  /** An HTTP Upgrade request (only for `upgrade` routes): the socket is the route's from here on. */
  upgrade?: { socket: Duplex; head: Buffer };
}

export interface KubeletRoute {
  methods: readonly string[];
  /** e.g. '/containerLogs/{namespace}/{pod}/{container}'. */
  path: string;
  /** Whether the route takes HTTP Upgrade requests (exec, attach, portForward). */
  upgrade?: boolean;
  serve(ctx: KubeletRouteContext): Promise<void>;
}

export interface KubeletRoutes {
  add(route: KubeletRoute): void;
}

/** An error a route throws to answer with an HTTP status and a plain-text message (as upstream's kubelet does). */
export class KubeletHttpError extends Error {
  readonly status: number;

  constructor(status: number, message: string) {
    super(message);
    this.name = 'KubeletHttpError';
    this.status = status;
  }
}
