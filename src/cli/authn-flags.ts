/**
 * The authentication flags of `k8ts server`, as kube-apiserver's: --anonymous-auth (default
 * true; `--anonymous-auth=false` answers 401 to requests without credentials),
 * --token-auth-file (static tokens CSV), --enable-bootstrap-token-auth (default false, as
 * upstream), --service-account-issuer (default https://kubernetes.default.svc.<cluster domain>),
 * --service-account-jwks-uri and --api-audiences (default: the issuer).
 *
 *   AUTHN_FLAG_OPTIONS                       // parseArgs option table
 *   parseAuthenticationFlags(values): AuthenticationFlags
 *   startAuthentication({ flags, registry, tokens }): the authenticators and what TokenReview,
 *     TokenRequest and issuer discovery need
 */
import type { ApiRegistry } from '../apiserver/api-registry.js';
import { type Authenticator, X509Authenticator } from '../apiserver/authn/x509.js';
import { audienceAgnostic, BearerTokenAuthenticator, UnionTokenAuthenticator } from '../apiserver/authn/token-authenticator.js';
import type { TokenAuthenticator } from '../apiserver/authn/interface.js';
import { StaticTokenAuthenticator } from '../apiserver/authn/static-token-file.js';
import { BootstrapTokenAuthenticator } from '../apiserver/authn/bootstrap-token.js';
import type { TokenReviewer } from '../apiserver/authn/token-review.js';
import { ServiceAccountTokenAuthenticator } from '../apiserver/serviceaccount/authenticator.js';
import { registryTokenGetter, type ServiceAccountTokenGetter } from '../apiserver/serviceaccount/getter.js';
import { IssuerDiscovery } from '../apiserver/serviceaccount/issuer-discovery.js';
import type { TokenIssuer } from '../apiserver/serviceaccount/tokens.js';
import { BOOTSTRAP_TOKEN_NAMESPACE } from '../pki/bootstrap-token.js';

export const AUTHN_FLAG_OPTIONS = {
  'anonymous-auth': { type: 'string', default: 'true' },
  'token-auth-file': { type: 'string' },
  'enable-bootstrap-token-auth': { type: 'boolean', default: false },
  'service-account-issuer': { type: 'string' },
  'service-account-jwks-uri': { type: 'string' },
  'api-audiences': { type: 'string' },
} as const;

export interface AuthenticationFlags {
  anonymous: boolean;
  tokenAuthFile: string | undefined;
  bootstrapTokenAuth: boolean;
  /** undefined: https://kubernetes.default.svc.<cluster domain> */
  serviceAccountIssuer: string | undefined;
  serviceAccountJWKSURI: string | undefined;
  /** undefined: the issuer */
  apiAudiences: string[] | undefined;
}

type Values = Partial<Record<keyof typeof AUTHN_FLAG_OPTIONS, string | boolean | (string | boolean)[] | undefined>>;

function text(values: Values, flag: keyof typeof AUTHN_FLAG_OPTIONS): string | undefined {
  const v = values[flag];
  return typeof v === 'string' && v !== '' ? v : undefined;
}

export function parseAuthenticationFlags(values: Values): AuthenticationFlags {
  const anonymous = String(values['anonymous-auth'] ?? 'true');
  if (anonymous !== 'true' && anonymous !== 'false') throw new Error(`--anonymous-auth: want true or false, got "${anonymous}"`);
  const jwksURI = text(values, 'service-account-jwks-uri');
  if (jwksURI !== undefined && !/^https:\/\/[^/]/.test(jwksURI)) {
    throw new Error(`--service-account-jwks-uri: want an https URL, got "${jwksURI}"`);
  }
  const audiences = text(values, 'api-audiences')
    ?.split(',')
    .map((a) => a.trim())
    .filter(Boolean);
  return {
    anonymous: anonymous === 'true',
    tokenAuthFile: text(values, 'token-auth-file'),
    bootstrapTokenAuth: values['enable-bootstrap-token-auth'] === true,
    serviceAccountIssuer: text(values, 'service-account-issuer'),
    serviceAccountJWKSURI: jwksURI,
    apiAudiences: audiences && audiences.length > 0 ? audiences : undefined,
  };
}

/** The issuer of service-account tokens the flags ask for. */
export function serviceAccountIssuer(flags: AuthenticationFlags, clusterDomain: string): string {
  return flags.serviceAccountIssuer ?? `https://kubernetes.default.svc.${clusterDomain}`;
}

export interface Authentication {
  authenticators: Authenticator[];
  anonymous: boolean;
  tokenReviewer: TokenReviewer;
  issuerDiscovery: IssuerDiscovery;
  tokenGetter: ServiceAccountTokenGetter;
}

/** Client certificates, then bearer tokens: the token file, bootstrap tokens, service-account tokens. */
export async function startAuthentication(options: {
  flags: AuthenticationFlags;
  registry: ApiRegistry;
  tokens: TokenIssuer;
}): Promise<Authentication> {
  const { flags, registry, tokens } = options;
  const apiAudiences = flags.apiAudiences ?? [tokens.issuer];
  const tokenGetter = registryTokenGetter(registry);
  const chain: TokenAuthenticator[] = [];
  if (flags.tokenAuthFile) chain.push(audienceAgnostic(await StaticTokenAuthenticator.fromFile(flags.tokenAuthFile), apiAudiences));
  if (flags.bootstrapTokenAuth) {
    const secret = (name: string) => tokenGetter.secret(BOOTSTRAP_TOKEN_NAMESPACE, name);
    chain.push(audienceAgnostic(new BootstrapTokenAuthenticator({ secret }), apiAudiences));
  }
  chain.push(new ServiceAccountTokenAuthenticator({ issuer: tokens, getter: tokenGetter, apiAudiences }));
  const union = new UnionTokenAuthenticator({ authenticators: chain });
  return {
    authenticators: [new X509Authenticator(), new BearerTokenAuthenticator({ tokens: union, apiAudiences })],
    anonymous: flags.anonymous,
    tokenReviewer: { tokens: union, apiAudiences },
    issuerDiscovery: new IssuerDiscovery({
      issuer: tokens.issuer,
      publicKey: tokens.publicKey,
      ...(flags.serviceAccountJWKSURI ? { jwksURI: flags.serviceAccountJWKSURI } : {}),
    }),
    tokenGetter,
  };
}
