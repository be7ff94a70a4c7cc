/**
 * kubeconfig files (clientcmd's v1 Config) with embedded credentials, and the admin
 * kubeconfig of `k8ts server` (kubeadm's admin.conf).
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { isCertificateReusable, issueClientCertificate } from './certs.js';
import { readCertificateAuthority, type PkiPaths } from './layout.js';
import { privateDirectoryMode, privateFileMode, readFileIfExists, writeFileAtomic } from './files.js';
import { PkiError } from './errors.js';

export interface KubeconfigCluster {
  server: string;
  'certificate-authority-data'?: string;
  'certificate-authority'?: string;
  'insecure-skip-tls-verify'?: boolean;
  'tls-server-name'?: string;
}

export interface KubeconfigUser {
  'client-certificate-data'?: string;
  'client-key-data'?: string;
  'client-certificate'?: string;
  'client-key'?: string;
  token?: string;
}

export interface KubeconfigContext {
  cluster: string;
  user: string;
  namespace?: string;
}

/** clientcmd/api/v1.Config, the fields we write and read. */
export interface Kubeconfig {
  apiVersion: 'v1';
  kind: 'Config';
  clusters: { name: string; cluster: KubeconfigCluster }[];
  contexts: { name: string; context: KubeconfigContext }[];
  users: { name: string; user: KubeconfigUser }[];
  'current-context': string;
  preferences: Record<string, unknown>;
}

export interface KubeconfigOptions {
  /** https://host:port */
  server: string;
  caPem: string;
  certPem: string;
  keyPem: string;
  /** Name of the users[] entry (the identity itself is the certificate's CN/O). */
  user: string;
  clusterName?: string;
  contextName?: string;
}

export interface WriteKubeconfigOptions extends KubeconfigOptions {
  path: string;
}

/** The credentials the current context points at, with the embedded data decoded to PEM. */
export interface KubeconfigCredentials {
  server: string;
  caPem: string;
  certPem: string;
  keyPem: string;
}

/** kubeadm's admin.conf identity. */
export const adminUser = 'kubernetes-admin';
export const adminGroups = ['system:masters'];

const b64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64');
const unb64 = (data: string): string => Buffer.from(data, 'base64').toString('utf8');

export function buildKubeconfig(options: KubeconfigOptions): Kubeconfig {
  const clusterName = options.clusterName ?? 'k8ts';
  const contextName = options.contextName ?? 'k8ts';
  return {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: clusterName, cluster: { 'certificate-authority-data': b64(options.caPem), server: options.server } }],
    contexts: [{ name: contextName, context: { cluster: clusterName, user: options.user } }],
    users: [
      {
        name: options.user,
        user: { 'client-certificate-data': b64(options.certPem), 'client-key-data': b64(options.keyPem) },
      },
    ],
    'current-context': contextName,
    preferences: {},
  };
}

export function serializeKubeconfig(config: Kubeconfig): string {
  return stringify(config, { lineWidth: 0 });
}

/** Writes a kubeconfig with embedded credentials, mode 0600. */
export async function writeKubeconfig(options: WriteKubeconfigOptions): Promise<void> {
  await writeFileAtomic(options.path, serializeKubeconfig(buildKubeconfig(options)), privateFileMode);
}

export function parseKubeconfig(text: string): Kubeconfig {
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (cause) {
    throw new PkiError('InvalidKubeconfig', 'kubeconfig is not valid YAML', { cause });
  }
  const config = doc as Partial<Kubeconfig> | null;
  if (!config || typeof config !== 'object' || config.kind !== 'Config') {
    throw new PkiError('InvalidKubeconfig', 'kubeconfig is not a v1 Config');
  }
  return {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: config.clusters ?? [],
    contexts: config.contexts ?? [],
    users: config.users ?? [],
    'current-context': config['current-context'] ?? '',
    preferences: config.preferences ?? {},
  };
}

/** Resolves the current context to its server and embedded TLS material. */
export function currentCredentials(config: Kubeconfig): KubeconfigCredentials {
  const context = config.contexts.find((c) => c.name === config['current-context'])?.context;
  if (!context) throw new PkiError('InvalidKubeconfig', `context "${config['current-context']}" not found`);
  const cluster = config.clusters.find((c) => c.name === context.cluster)?.cluster;
  const user = config.users.find((u) => u.name === context.user)?.user;
  const ca = cluster?.['certificate-authority-data'];
  const cert = user?.['client-certificate-data'];
  const key = user?.['client-key-data'];
  if (!cluster || !ca || !cert || !key) {
    throw new PkiError('InvalidKubeconfig', 'current context has no embedded certificate-authority and client certificate data');
  }
  return { server: cluster.server, caPem: unb64(ca), certPem: unb64(cert), keyPem: unb64(key) };
}

async function existingCredentials(path: string): Promise<KubeconfigCredentials | undefined> {
  const text = await readFileIfExists(path);
  if (text === undefined) return undefined;
  try {
    return currentCredentials(parseKubeconfig(text));
  } catch {
    return undefined;
  }
}

/** A component's kubeconfig, as kubeadm writes them: file name, user (CN) and groups (O). */
export interface ComponentIdentity {
  file: string;
  user: string;
  groups: string[];
}

export const ADMIN_IDENTITY: ComponentIdentity = { file: 'admin.conf', user: adminUser, groups: adminGroups };

/**
 * Writes DIR/<file> for a client identity pointing at `server`, and returns its path. An
 * existing file is kept when it already says the same; its client certificate is kept when
 * still valid for the current CA, otherwise a new one is issued.
 */
export async function ensureKubeconfig(dir: string, server: string, pki: PkiPaths, identity: ComponentIdentity): Promise<string> {
  const path = join(dir, identity.file);
  await mkdir(dir, { recursive: true, mode: privateDirectoryMode });
  const ca = await readCertificateAuthority(pki);
  const existing = await existingCredentials(path);
  const client = { user: identity.user, groups: identity.groups };
  const reusable = existing !== undefined && isCertificateReusable(ca, existing.certPem, existing.keyPem, { client });
  if (reusable && existing.server === server && existing.caPem === ca.certPem) return path;
  const { certPem, keyPem } = reusable ? existing : await issueClientCertificate(ca, client);
  await writeKubeconfig({ path, server, caPem: ca.certPem, certPem, keyPem, user: identity.user });
  return path;
}

/** DIR/admin.conf for kubernetes-admin (O=system:masters). */
export function ensureAdminKubeconfig(dir: string, server: string, pki: PkiPaths): Promise<string> {
  return ensureKubeconfig(dir, server, pki, ADMIN_IDENTITY);
}
