/**
 * `k8ts token create` (kubeadm token create): a bootstrap token for joining nodes, as a
 * bootstrap.kubernetes.io/token Secret in kube-system, usable for authentication and signing, in
 * the extra group system:bootstrappers:k8ts:default-node-token (which the bootstrap policy lets
 * ask for, and get auto-approved, kubelet client certificates), expiring after --ttl (24h; 0:
 * never). Prints the token `<id>.<secret>`; the apiserver needs --enable-bootstrap-token-auth.
 *
 *   k8ts token create [--kubeconfig FILE] [--ttl 24h] [--description TEXT]
 */
import { randomInt } from 'node:crypto';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { HttpsClientset } from '../client/rest.js';
import {
  BOOTSTRAP_TOKEN_NAMESPACE,
  BOOTSTRAP_TOKEN_SECRET_PREFIX,
  BOOTSTRAP_TOKEN_SECRET_TYPE,
  DEFAULT_NODE_TOKEN_GROUP,
} from '../pki/bootstrap-token.js';
import { defaultDataDir, parsePositiveDuration } from './server-flags.js';

const SECRETS = { group: '', version: 'v1', resource: 'secrets' };
const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

const random = (n: number): string => Array.from({ length: n }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');

/** The Secret of a new bootstrap token (kubeadm's BootstrapTokenToSecret). */
export function bootstrapTokenSecret(options: { id: string; secret: string; ttlMs: number; description?: string; now?: Date }) {
  const now = options.now ?? new Date();
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: `${BOOTSTRAP_TOKEN_SECRET_PREFIX}${options.id}`, namespace: BOOTSTRAP_TOKEN_NAMESPACE },
    type: BOOTSTRAP_TOKEN_SECRET_TYPE,
    stringData: {
      'token-id': options.id,
      'token-secret': options.secret,
      ...(options.description ? { description: options.description } : {}),
      ...(options.ttlMs > 0 ? { expiration: new Date(now.getTime() + options.ttlMs).toISOString().replace(/\.\d+Z$/, 'Z') } : {}),
      'usage-bootstrap-authentication': 'true',
      'usage-bootstrap-signing': 'true',
      'auth-extra-groups': DEFAULT_NODE_TOKEN_GROUP,
    },
  };
}

export async function runToken(argv: string[]): Promise<void> {
  const [sub, ...rest] = argv;
  if (sub !== 'create') throw new Error('usage: k8ts token create [--kubeconfig FILE] [--ttl 24h] [--description TEXT]');
  const { values } = parseArgs({
    args: rest,
    strict: true,
    options: { kubeconfig: { type: 'string' }, ttl: { type: 'string', default: '24h' }, description: { type: 'string' } },
  });
  const ttlMs = values.ttl === '0' || values.ttl === '0s' ? 0 : parsePositiveDuration('--ttl', values.ttl);
  const kubeconfig = values.kubeconfig ?? process.env['KUBECONFIG']?.split(':')[0] ?? join(defaultDataDir(), 'admin.conf');
  const id = random(6);
  const secret = random(16);
  const clientset = HttpsClientset.fromKubeconfig(kubeconfig, { userAgent: 'k8ts-token/v1.33.0' });
  try {
    await clientset
      .resource(SECRETS)
      .create(
        BOOTSTRAP_TOKEN_NAMESPACE,
        bootstrapTokenSecret({ id, secret, ttlMs, ...(values.description ? { description: values.description } : {}) }),
      );
  } finally {
    clientset.close();
  }
  process.stdout.write(`${id}.${secret}\n`);
}
