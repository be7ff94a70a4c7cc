export * from './errors.js';
export * from './keys.js';
export * from './ca.js';
export * from './certs.js';
export * from './layout.js';
export * from './kubeconfig.js';
export * from './client-identity.js';
export * from './csr.js';
export { x509 } from './x509.js';
