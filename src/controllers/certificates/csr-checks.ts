/**
 * What the certificate controllers read from a CertificateSigningRequest: its parsed PKCS#10
 * request, its approval state, and upstream's per-signer checks of the subject and usages
 * (k8s.io/kubernetes/pkg/apis/certificates: ValidateKubeletClientCSR and the signer's rules).
 */
import { Buffer } from 'node:buffer';
import type { GroupVersionResource } from '../../client/interface.js';
import type { KubeObject } from '../../machinery/object.js';
import { x509 } from '../../pki/x509.js';

export const CSRS: GroupVersionResource = { group: 'certificates.k8s.io', version: 'v1', resource: 'certificatesigningrequests' };
export const KUBELET_CLIENT_SIGNER = 'kubernetes.io/kube-apiserver-client-kubelet';
export const API_CLIENT_SIGNER = 'kubernetes.io/kube-apiserver-client';
export const KUBELET_SERVING_SIGNER = 'kubernetes.io/kubelet-serving';
export const NODE_USER_PREFIX = 'system:node:';
export const NODES_GROUP = 'system:nodes';

interface Condition {
  type?: string;
  status?: string;
}

/** The parts of a CSR the controllers read. */
export interface CSRView {
  signerName: string;
  usages: string[];
  username: string;
  uid?: string;
  groups: string[];
  extra?: Record<string, string[]>;
  expirationSeconds?: number;
  conditions: Condition[];
  certificate: string;
}

export function csrView(csr: KubeObject): CSRView {
  const spec = (csr['spec'] ?? {}) as Record<string, unknown>;
  const status = (csr['status'] ?? {}) as Record<string, unknown>;
  return {
    signerName: String(spec['signerName'] ?? ''),
    usages: (spec['usages'] as string[] | undefined) ?? [],
    username: String(spec['username'] ?? ''),
    ...(spec['uid'] ? { uid: String(spec['uid']) } : {}),
    groups: (spec['groups'] as string[] | undefined) ?? [],
    ...(spec['extra'] ? { extra: spec['extra'] as Record<string, string[]> } : {}),
    ...(typeof spec['expirationSeconds'] === 'number' ? { expirationSeconds: spec['expirationSeconds'] } : {}),
    conditions: (status['conditions'] as Condition[] | undefined) ?? [],
    certificate: String(status['certificate'] ?? ''),
  };
}

const has = (v: CSRView, type: string) => v.conditions.some((c) => c.type === type && c.status !== 'False');

/** GetCertApprovalCondition: approved and not denied. */
export const isApproved = (v: CSRView): boolean => has(v, 'Approved') && !has(v, 'Denied');
export const isDenied = (v: CSRView): boolean => has(v, 'Denied');
export const hasFailed = (v: CSRView): boolean => has(v, 'Failed');

/** The PKCS#10 request of spec.request (base64 of a PEM CERTIFICATE REQUEST block). */
export function parseCSRRequest(csr: KubeObject): x509.Pkcs10CertificateRequest {
  const pem = Buffer.from(String((csr['spec'] as Record<string, unknown> | undefined)?.['request'] ?? ''), 'base64').toString('latin1');
  return new x509.Pkcs10CertificateRequest(pem);
}

/** The subject's common name and organizations. */
export function subjectOf(req: x509.Pkcs10CertificateRequest): { commonName: string; organizations: string[] } {
  let commonName = '';
  const organizations: string[] = [];
  for (const rdn of req.subjectName.toJSON()) {
    for (const [type, values] of Object.entries(rdn)) {
      if (type === 'CN') commonName = values[0] ?? commonName;
      if (type === 'O') organizations.push(...values);
    }
  }
  return { commonName, organizations };
}

/** The request's subjectAltName extension, if any. */
export function subjectAltNameOf(req: x509.Pkcs10CertificateRequest): x509.SubjectAlternativeNameExtension | undefined {
  return req.extensions.find((e): e is x509.SubjectAlternativeNameExtension => e instanceof x509.SubjectAlternativeNameExtension);
}

/** The request's subjectAltNames by type (dns, ip, email, url). */
export function altNamesOf(req: x509.Pkcs10CertificateRequest): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const n of subjectAltNameOf(req)?.names.toJSON() ?? []) {
    out.set(n.type, [...(out.get(n.type) ?? []), n.value]);
  }
  return out;
}

function checkUsages(usages: string[], required: string, allowed: string[]): string | undefined {
  if (!usages.includes(required)) return `usages did not contain required usage "${required}"`;
  const extra = usages.filter((u) => !allowed.includes(u));
  return extra.length > 0 ? `usages ${JSON.stringify(extra)} are not allowed` : undefined;
}

/** ValidateKubeletClientCSR: O=[system:nodes], CN system:node:<name>, no SANs, client usages. */
export function validateKubeletClient(req: x509.Pkcs10CertificateRequest, usages: string[]): string | undefined {
  const { commonName, organizations } = subjectOf(req);
  if (organizations.length !== 1 || organizations[0] !== NODES_GROUP) return `subject organization is not ${NODES_GROUP}`;
  if (!commonName.startsWith(NODE_USER_PREFIX)) return `subject common name does not begin with ${NODE_USER_PREFIX}`;
  if (altNamesOf(req).size > 0) return 'DNS, email, IP or URI subjectAltNames are not allowed';
  return checkUsages(usages, 'client auth', ['digital signature', 'key encipherment', 'client auth']);
}

/** The kubelet-serving signer's rules: a node's identity with DNS or IP names, server usages. */
function validateKubeletServing(req: x509.Pkcs10CertificateRequest, usages: string[]): string | undefined {
  const { commonName, organizations } = subjectOf(req);
  if (organizations.length !== 1 || organizations[0] !== NODES_GROUP) return `subject organization is not ${NODES_GROUP}`;
  if (!commonName.startsWith(NODE_USER_PREFIX)) return `subject common name does not begin with ${NODE_USER_PREFIX}`;
  const names = altNamesOf(req);
  if (!names.has('dns') && !names.has('ip')) return 'DNS or IP subjectAltName is required';
  if (names.has('email') || names.has('url')) return 'email and URI subjectAltNames are not allowed';
  return checkUsages(usages, 'server auth', ['digital signature', 'key encipherment', 'server auth']);
}

/** The signers k8ts signs for, each with its check of the request (undefined: valid). */
export const SIGNER_CHECKS: Record<string, (req: x509.Pkcs10CertificateRequest, usages: string[]) => string | undefined> = {
  [KUBELET_CLIENT_SIGNER]: validateKubeletClient,
  [API_CLIENT_SIGNER]: (_req, usages) => checkUsages(usages, 'client auth', ['digital signature', 'key encipherment', 'client auth']),
  [KUBELET_SERVING_SIGNER]: validateKubeletServing,
};

/** A copy of the CSR with one more status condition (lastUpdateTime and lastTransitionTime `now`). */
export function withCondition(csr: KubeObject, condition: { type: string; reason: string; message: string }, now: Date): KubeObject {
  const next = structuredClone(csr);
  const status = (next['status'] ?? {}) as Record<string, unknown>;
  const time = now.toISOString().replace(/\.\d+Z$/, 'Z');
  const full = { ...condition, status: 'True', lastUpdateTime: time, lastTransitionTime: time };
  status['conditions'] = [...((status['conditions'] as unknown[] | undefined) ?? []), full];
  next['status'] = status;
  return next;
}
