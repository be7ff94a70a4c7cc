/**
 * Bearer tokens: the union of the token authenticators (static file, bootstrap tokens,
 * service-account JWTs), and the request authenticator that reads the `Authorization: Bearer`
 * header (k8s.io/apiserver pkg/authentication/request/bearertoken).
 *
 *   UnionTokenAuthenticator        // the first that knows the token wins; errors are collected
 *   audienceAgnostic(inner, apiAudiences)   // tokens with no audience of their own
 *   BearerTokenAuthenticator       // Authenticator of requests
 */
import type { IncomingMessage } from 'node:http';
import type { UserInfo } from '../registry/context.js';
import type { Authenticator } from './x509.js';
import type { TokenAuthenticator, TokenResponse } from './interface.js';

/** The audiences in both lists, in the order of the first. */
export function intersectAudiences(a: readonly string[], b: readonly string[]): string[] {
  return a.filter((x) => b.includes(x));
}

/** Upstream's error for a token none of whose audiences were asked for. */
export function audienceError(tokenAudiences: readonly string[], targets: readonly string[]): Error {
  const quote = (xs: readonly string[]) => `[${xs.map((x) => JSON.stringify(x)).join(' ')}]`;
  return new Error(`token audiences ${quote(tokenAudiences)} is invalid for the target audiences ${quote(targets)}`);
}

/**
 * Wraps an authenticator whose tokens carry no audience: valid for the API audiences only, so a
 * review for other audiences does not authenticate them (upstream's audAgnosticTokenAuthenticator).
 */
export function audienceAgnostic(
  inner: { authenticateToken(token: string): Promise<UserInfo | undefined> },
  apiAudiences: readonly string[],
): TokenAuthenticator {
  return {
    async authenticateToken(token, audiences) {
      const auds = intersectAudiences(apiAudiences, audiences);
      if (auds.length === 0) return undefined;
      const user = await inner.authenticateToken(token);
      return user ? { user, audiences: auds } : undefined;
    },
  };
}

export class TokenAuthenticationError extends Error {
  readonly code = 'Unauthorized';
}

/** Tries each authenticator in turn; the first that accepts the token wins. */
export class UnionTokenAuthenticator implements TokenAuthenticator {
  readonly #authenticators: readonly TokenAuthenticator[];

  constructor(options: { authenticators: readonly TokenAuthenticator[] }) {
    this.#authenticators = options.authenticators;
  }

  /** Throws TokenAuthenticationError, with every refusal's message, when one refused and none accepted. */
  async authenticateToken(token: string, audiences: readonly string[]): Promise<TokenResponse | undefined> {
    const errors: string[] = [];
    for (const a of this.#authenticators) {
      try {
        const response = await a.authenticateToken(token, audiences);
        if (response) return { ...response, user: withAuthenticatedGroup(response.user) };
      } catch (err) {
        errors.push((err as Error).message);
      }
    }
    if (errors.length === 0) return undefined;
    throw new TokenAuthenticationError(errors.length === 1 ? (errors[0] as string) : `[${errors.join(', ')}]`);
  }
}

/** Every authenticated user is in system:authenticated (upstream's AuthenticatedGroupAdder). */
function withAuthenticatedGroup(user: UserInfo): UserInfo {
  if (user.groups.includes('system:authenticated') || user.groups.includes('system:unauthenticated')) return user;
  return { ...user, groups: [...user.groups, 'system:authenticated'] };
}

/** The token of an `Authorization: Bearer <token>` header; undefined otherwise. */
export function bearerToken(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization?.trim();
  if (!header) return undefined;
  const space = header.indexOf(' ');
  if (space < 0 || header.slice(0, space).toLowerCase() !== 'bearer') return undefined;
  const token = header.slice(space + 1).trim();
  return token === '' ? undefined : token;
}

/** Authenticates requests by their bearer token, for the API's own audiences. */
export class BearerTokenAuthenticator implements Authenticator {
  readonly #tokens: TokenAuthenticator;
  readonly #apiAudiences: readonly string[];

  constructor(options: { tokens: TokenAuthenticator; apiAudiences: readonly string[] }) {
    this.#tokens = options.tokens;
    this.#apiAudiences = options.apiAudiences;
  }

  /** undefined without a bearer token, or for one nobody accepts (the server answers 401 then). */
  async authenticate(req: IncomingMessage): Promise<UserInfo | undefined> {
    const token = bearerToken(req);
    if (token === undefined) return undefined;
    try {
      return (await this.#tokens.authenticateToken(token, this.#apiAudiences))?.user;
    } catch {
      return undefined;
    }
  }
}
