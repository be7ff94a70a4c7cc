/** What every resource handler receives. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestInfo } from '../request-info.js';
import type { TokenIssuer } from '../serviceaccount/tokens.js';
import type { KubeletClientConfig } from '../kubelet/kubelet-connection.js';
import type { MetricsApi } from '../metrics/metrics-api.js';
import type { ResourceStore } from '../registry/store.js';
import type { FieldValidation, UserInfo, WriteOptions } from '../registry/context.js';
import { newBadRequest } from '../../machinery/errors.js';
import { managerOrUserAgent, newInvalidOptions, validateFieldManager } from '../../machinery/apply/index.js';
import { negotiateRendering, type Rendering } from '../negotiation.js';
import { newNotAcceptable } from '../../machinery/errors.js';
import { auditAnnotator } from '../audit/request-audit.js';
import type { TokenReviewer } from '../authn/token-review.js';
import type { IssuerDiscovery } from '../serviceaccount/issuer-discovery.js';
import type { ServiceAccountTokenGetter } from '../serviceaccount/getter.js';

export interface HandlerContext {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  info: RequestInfo;
  store: ResourceStore;
  user: UserInfo;
  signal: AbortSignal;
  services: ServerServices;
}

/** Server-wide services some handlers need. */
export interface ServerServices {
  tokens?: TokenIssuer;
  /** The apiserver → kubelet client (pods/log, exec, attach, portforward, nodes/proxy). */
  kubelet?: KubeletClientConfig;
  /** The PodDisruptionBudgets pods/eviction enforces. */
  podDisruptionBudgets?: ResourceStore;
  /** metrics.k8s.io, served from the kubelets' Summaries (metrics/). */
  metrics?: MetricsApi;
  /** TokenReview's authenticators (authn/token-review.ts). */
  tokenReviewer?: TokenReviewer;
  /** /.well-known/openid-configuration and /openid/v1/jwks. */
  issuerDiscovery?: IssuerDiscovery;
  /** The objects a TokenRequest binds its token to. */
  tokenGetter?: ServiceAccountTokenGetter;
}

export function query(ctx: HandlerContext, name: string): string | undefined {
  return ctx.url.searchParams.get(name) ?? undefined;
}

export function rendering(ctx: HandlerContext): Rendering {
  const r = negotiateRendering(ctx.req.headers.accept);
  if (!r)
    throw newNotAcceptable(
      `only the following media types are accepted: application/json, application/yaml, application/vnd.kubernetes.protobuf`,
    );
  return r;
}

/** The manager recorded in managedFields: the fieldManager parameter or the User-Agent's program name. */
export function fieldManager(ctx: HandlerContext, kind: 'CreateOptions' | 'UpdateOptions' | 'PatchOptions', apply = false): string {
  const explicit = query(ctx, 'fieldManager');
  const errs = validateFieldManager(explicit, { apply });
  if (errs.length > 0) throw newInvalidOptions(kind, errs);
  return managerOrUserAgent(explicit, ctx.req.headers['user-agent']);
}

export function writeOptions(ctx: HandlerContext): WriteOptions {
  const dryRun = ctx.url.searchParams.getAll('dryRun');
  for (const d of dryRun) if (d !== 'All') throw newBadRequest(`Invalid dry run value: unsupported dry run value "${d}" (supported: All)`);
  const fv = query(ctx, 'fieldValidation') ?? 'Warn';
  const allowed: FieldValidation[] = ['Strict', 'Warn', 'Ignore'];
  if (!allowed.includes(fv as FieldValidation)) {
    throw newBadRequest(`fieldValidation: Unsupported value: "${fv}": supported values: "Ignore", "Strict", "Warn"`);
  }
  return {
    user: ctx.user,
    dryRun: dryRun.length > 0,
    fieldManager: fieldManager(ctx, optionsKind(ctx), isApply(ctx)),
    fieldValidation: fv as FieldValidation,
    warnings: [],
    ...withAuditAnnotator(ctx),
  };
}

function withAuditAnnotator(ctx: HandlerContext): Pick<WriteOptions, 'addAuditAnnotation'> {
  const annotate = auditAnnotator(ctx.req);
  return annotate ? { addAuditAnnotation: annotate } : {};
}

function optionsKind(ctx: HandlerContext): 'CreateOptions' | 'UpdateOptions' | 'PatchOptions' {
  if (ctx.req.method === 'POST') return 'CreateOptions';
  if (ctx.req.method === 'PUT') return 'UpdateOptions';
  return 'PatchOptions';
}

function isApply(ctx: HandlerContext): boolean {
  return ctx.req.method === 'PATCH' && (ctx.req.headers['content-type'] ?? '').startsWith('application/apply-patch');
}
