/**
 * TokenReview (authentication.k8s.io/v1, pkg/registry/authentication/tokenreview): runs
 * spec.token through the bearer-token authenticators for spec.audiences (the API audiences when
 * empty) and answers status.authenticated, user, audiences and error.
 */
import { newBadRequest, newInternalError } from '../../machinery/errors.js';
import type { TokenAuthenticator } from './interface.js';
import { intersectAudiences } from './token-authenticator.js';

export interface TokenReviewer {
  tokens: TokenAuthenticator;
  apiAudiences: readonly string[];
}

export interface TokenReviewStatus {
  authenticated?: boolean;
  user: { username?: string; uid?: string; groups?: string[]; extra?: Record<string, string[]> };
  audiences?: string[];
  error?: string;
}

export async function reviewToken(reviewer: TokenReviewer, spec: Record<string, unknown>): Promise<TokenReviewStatus> {
  const token = typeof spec['token'] === 'string' ? spec['token'] : '';
  if (token === '') throw newBadRequest('token is required for TokenReview in authentication');
  const requested = Array.isArray(spec['audiences']) ? (spec['audiences'] as unknown[]).map(String) : [];
  const audiences = requested.length > 0 ? requested : [...reviewer.apiAudiences];
  let response: Awaited<ReturnType<TokenAuthenticator['authenticateToken']>>;
  let error: string | undefined;
  try {
    response = await reviewer.tokens.authenticateToken(token, audiences);
    if (!response) error = 'invalid bearer token';
  } catch (err) {
    error = (err as Error).message;
  }
  if (response && audiences.length > 0 && intersectAudiences(audiences, response.audiences).length === 0) {
    throw newInternalError(new Error('token audiences are not valid for the requested audiences'));
  }
  const status: TokenReviewStatus = { user: {} };
  if (response) {
    const { user } = response;
    status.authenticated = true;
    status.user = {
      username: user.name,
      ...(user.uid ? { uid: user.uid } : {}),
      groups: user.groups,
      ...(user.extra ? { extra: user.extra } : {}),
    };
    if (response.audiences.length > 0) status.audiences = response.audiences;
  }
  if (error !== undefined) status.error = error;
  return status;
}
