/**
 * The TLS contexts of the ingress' HTTPS port, chosen by SNI: each host of a served Ingress'
 * `tls[].hosts` (exact, or a `*.domain` wildcard) gets the certificate of its Secret (`tls.crt`,
 * `tls.key`, as a kubernetes.io/tls Secret holds them); the first (oldest) Ingress to name a host
 * wins; every other name, and a Secret that is missing or does not parse, gets the default
 * certificate. Contexts are rebuilt only when their Secret's resourceVersion changes.
 *
 *   new TLSContextStore({ secrets, defaultCertificate })
 *   store.update(entries) · store.sniCallback (for tls.createServer's SNICallback)
 */
import { createSecureContext, type SecureContext } from 'node:tls';
import type { Lister } from '../client/interface.js';
import type { CertificateKeyPair } from './default-certificate.js';
import type { TLSEntry } from './interface.js';
import { hostName } from './routing-table.js';

export interface TLSContextStoreOptions {
  secrets: Lister;
  defaultCertificate: CertificateKeyPair;
  /** Told about a Secret that cannot serve (missing, no key pair, a bad PEM). */
  log?: (message: string) => void;
}

export class TLSContextStore {
  readonly #o: TLSContextStoreOptions;
  readonly defaultContext: SecureContext;
  #exact = new Map<string, SecureContext>();
  #wildcard = new Map<string, SecureContext>();
  /** By `namespace/name`: the context and the resourceVersion it was made from. */
  #bySecret = new Map<string, { resourceVersion: string; context: SecureContext | undefined }>();

  constructor(options: TLSContextStoreOptions) {
    this.#o = options;
    this.defaultContext = createSecureContext(options.defaultCertificate);
  }

  /** Rebuilds the host → context maps from the served Ingresses' TLS entries (oldest first). */
  update(entries: readonly TLSEntry[]): void {
    const exact = new Map<string, SecureContext>();
    const wildcard = new Map<string, SecureContext>();
    const used = new Map<string, { resourceVersion: string; context: SecureContext | undefined }>();
    for (const entry of entries) {
      const key = `${entry.namespace}/${entry.secretName}`;
      let made = used.get(key);
      if (!made) used.set(key, (made = this.#context(entry.namespace, entry.secretName)));
      if (!made.context) continue;
      for (const host of entry.hosts) {
        const [map, name] = host.startsWith('*.') ? [wildcard, host.slice(2)] : [exact, host];
        if (!map.has(name)) map.set(name, made.context);
      }
    }
    this.#exact = exact;
    this.#wildcard = wildcard;
    this.#bySecret = used;
  }

  /** The context for a TLS server name (the default one when no Ingress names it). */
  contextFor(servername: string): SecureContext {
    const name = hostName(servername);
    const dot = name.indexOf('.');
    return this.#exact.get(name) ?? (dot > 0 ? this.#wildcard.get(name.slice(dot + 1)) : undefined) ?? this.defaultContext;
  }

  readonly sniCallback = (servername: string, cb: (err: Error | null, ctx?: SecureContext) => void): void => {
    cb(null, this.contextFor(servername));
  };

  #context(namespace: string, name: string): { resourceVersion: string; context: SecureContext | undefined } {
    const secret = this.#o.secrets.get(namespace, name);
    const resourceVersion = secret?.metadata.resourceVersion ?? '';
    const cached = this.#bySecret.get(`${namespace}/${name}`);
    if (cached && cached.resourceVersion === resourceVersion) return cached;
    const data = (secret?.['data'] ?? {}) as Record<string, string>;
    const cert = data['tls.crt'];
    const key = data['tls.key'];
    if (!cert || !key) {
      this.#o.log?.(
        `ingress: secret ${namespace}/${name} ${secret ? 'has no tls.crt and tls.key' : 'not found'}: serving the default certificate`,
      );
      return { resourceVersion, context: undefined };
    }
    try {
      return { resourceVersion, context: createSecureContext({ cert: Buffer.from(cert, 'base64'), key: Buffer.from(key, 'base64') }) };
    } catch (err) {
      this.#o.log?.(`ingress: secret ${namespace}/${name}: ${(err as Error).message}: serving the default certificate`);
      return { resourceVersion, context: undefined };
    }
  }
}
