/**
 * Loads a kubeconfig file (clientcmd's v1 Config) into the connection a client needs: the
 * current context's server, CA, client certificate and key or bearer token. Embedded `*-data`
 * fields and file references (relative to the kubeconfig's directory) are both understood.
 */
import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import { parse } from 'yaml';
import type { KubeconfigCluster, KubeconfigContext, KubeconfigUser } from '../pki/kubeconfig.js';

/** Where and how to reach the apiserver. PEM material as Buffers or strings. */
export interface ConnectionConfig {
  /** https://host:port (http:// is accepted for tests and local proxies). */
  server: string;
  ca?: Buffer | string;
  cert?: Buffer | string;
  key?: Buffer | string;
  /** Bearer token (service account or bootstrap token). */
  token?: string;
  insecureSkipTLSVerify?: boolean;
  /** SNI and certificate name to expect, when it differs from the server's host. */
  tlsServerName?: string;
  /** The context's default namespace, when the kubeconfig names one. */
  namespace?: string;
}

export class KubeconfigError extends Error {
  readonly code = 'InvalidKubeconfig';
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'KubeconfigError';
  }
}

interface KubeconfigDocument {
  clusters?: { name: string; cluster: KubeconfigCluster }[];
  contexts?: { name: string; context: KubeconfigContext }[];
  users?: { name: string; user: KubeconfigUser & { tokenFile?: string } }[];
  'current-context'?: string;
}

function material(data: string | undefined, file: string | undefined, base: string): Buffer | undefined {
  if (data) return Buffer.from(data, 'base64');
  if (file) return readFileSync(isAbsolute(file) ? file : join(base, file));
  return undefined;
}

/** Resolves a kubeconfig's text (`context` defaults to current-context). `base` resolves relative file names. */
export function parseKubeconfigConnection(text: string, base: string, context?: string): ConnectionConfig {
  let doc: KubeconfigDocument | null;
  try {
    doc = parse(text) as KubeconfigDocument | null;
  } catch (cause) {
    throw new KubeconfigError('kubeconfig is not valid YAML', { cause });
  }
  if (!doc || typeof doc !== 'object') throw new KubeconfigError('kubeconfig is empty');
  const contextName = context ?? doc['current-context'] ?? '';
  const ctx = (doc.contexts ?? []).find((c) => c.name === contextName)?.context;
  if (!ctx) throw new KubeconfigError(`context "${contextName}" does not exist`);
  const cluster = (doc.clusters ?? []).find((c) => c.name === ctx.cluster)?.cluster;
  if (!cluster?.server) throw new KubeconfigError(`cluster "${ctx.cluster}" does not exist or has no server`);
  const user = (doc.users ?? []).find((u) => u.name === ctx.user)?.user ?? {};
  const conn: ConnectionConfig = { server: cluster.server };
  const ca = material(cluster['certificate-authority-data'], cluster['certificate-authority'], base);
  const cert = material(user['client-certificate-data'], user['client-certificate'], base);
  const key = material(user['client-key-data'], user['client-key'], base);
  if (ca) conn.ca = ca;
  if (cert) conn.cert = cert;
  if (key) conn.key = key;
  if (user.token) conn.token = user.token;
  else if (user.tokenFile)
    conn.token = readFileSync(isAbsolute(user.tokenFile) ? user.tokenFile : join(base, user.tokenFile), 'utf8').trim();
  if (cluster['insecure-skip-tls-verify']) conn.insecureSkipTLSVerify = true;
  if (cluster['tls-server-name']) conn.tlsServerName = cluster['tls-server-name'];
  if (ctx.namespace) conn.namespace = ctx.namespace;
  return conn;
}

/** Reads a kubeconfig file and resolves its current (or the named) context. */
export function loadKubeconfig(path: string, context?: string): ConnectionConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (cause) {
    throw new KubeconfigError(`cannot read kubeconfig ${path}`, { cause });
  }
  return parseKubeconfigConnection(text, dirname(path), context);
}
