/**
 * Service account issuer discovery (pkg/serviceaccount/openidmetadata.go): the OpenID Connect
 * discovery document at /.well-known/openid-configuration and the signing keys at
 * /openid/v1/jwks, so relying parties verify service-account tokens without calling the API.
 * RBAC lets system:serviceaccounts read them (system:service-account-issuer-discovery).
 */
import type { KeyObject } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { exportJWK } from 'jose';
import { algorithmFor, keyID } from './keys.js';

export const OPENID_CONFIGURATION_PATH = '/.well-known/openid-configuration';
export const JWKS_PATH = '/openid/v1/jwks';

export interface IssuerDiscoveryOptions {
  issuer: string;
  publicKey: KeyObject;
  /** --service-account-jwks-uri; by default https://<the apiserver's address>/openid/v1/jwks. */
  jwksURI?: string;
}

export class IssuerDiscovery {
  readonly #options: IssuerDiscoveryOptions;
  #jwks: string | undefined;

  constructor(options: IssuerDiscoveryOptions) {
    this.#options = options;
  }

  configuration(serverAddress: string): Record<string, unknown> {
    return {
      issuer: this.#options.issuer,
      jwks_uri: this.#options.jwksURI ?? `https://${serverAddress}${JWKS_PATH}`,
      response_types_supported: ['id_token'],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: [algorithmFor(this.#options.publicKey)],
    };
  }

  async jwks(): Promise<string> {
    if (this.#jwks === undefined) {
      const key = this.#options.publicKey;
      const jwk = { use: 'sig', ...(await exportJWK(key)), kid: keyID(key), alg: algorithmFor(key) };
      this.#jwks = JSON.stringify({ keys: [jwk] });
    }
    return this.#jwks;
  }

  /** Answers GET on the two paths; false for any other path. */
  async serve(method: string, requestPath: string, res: ServerResponse, serverAddress: string): Promise<boolean> {
    const path = requestPath.endsWith('/') ? requestPath.slice(0, -1) : requestPath;
    if (method !== 'GET' || (path !== OPENID_CONFIGURATION_PATH && path !== JWKS_PATH)) return false;
    const body = path === JWKS_PATH ? await this.jwks() : JSON.stringify(this.configuration(serverAddress));
    res.writeHead(200, {
      'Content-Type': path === JWKS_PATH ? 'application/jwk-set+json' : 'application/json',
      'Cache-Control': 'public, max-age=3600',
      'Content-Length': Buffer.byteLength(body),
    });
    res.end(body);
    return true;
  }
}
