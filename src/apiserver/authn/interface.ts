/**
 * The contract of bearer-token authentication (k8s.io/apiserver pkg/authentication/authenticator
 * Token): static tokens, bootstrap tokens and service-account tokens each implement it; the
 * union of them authenticates requests and answers TokenReviews.
 */
import type { UserInfo } from '../registry/context.js';

export interface TokenResponse {
  user: UserInfo;
  /** The audiences, of those asked for, the token is valid for. */
  audiences: string[];
}

export interface TokenAuthenticator {
  /**
   * The user of a token valid for at least one of `audiences`; undefined when the token is not
   * this authenticator's. Throws (with a message safe to show the client) for a token it
   * recognizes but refuses: expired, bound object gone, wrong audience.
   */
  authenticateToken(token: string, audiences: readonly string[]): Promise<TokenResponse | undefined>;
}
