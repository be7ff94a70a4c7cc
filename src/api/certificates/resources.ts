/** certificates.k8s.io/v1 resources. */
import { defineResource } from '../define.js';
import type { ResourceType } from '../resource.js';
import { csrPrinter, csrStrategy } from './csr.js';

export const certificatesResources: ResourceType[] = [
  defineResource({
    group: 'certificates.k8s.io',
    version: 'v1',
    kind: 'CertificateSigningRequest',
    plural: 'certificatesigningrequests',
    namespaced: false,
    shortNames: ['csr'],
    status: true,
    extraSubresources: [{ name: 'approval', verbs: ['get', 'patch', 'update'] }],
    strategy: csrStrategy,
    printer: csrPrinter,
  }),
];
