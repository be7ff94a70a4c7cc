/**
 * Kubernetes' CEL authorizer library (k8s.io/apiserver/pkg/cel/library/authz.go): the `authorizer`
 * variable checks what the requesting user may do —
 * `authorizer.group('apps').resource('deployments').namespace('ns').name('n').check('update').allowed()`,
 * `authorizer.path('/healthz').check('get')`, `authorizer.serviceAccount(ns, name)` and
 * `authorizer.requestResource` (the request's own resource). Checks are asynchronous, so an
 * expression using them evaluates to a Promise.
 */
import type { Environment } from '@marcbachmann/cel-js';
import type { Attributes, Authorizer } from '../authz/interface.js';
import type { UserInfo } from '../registry/context.js';

/** The resource a check is about. */
interface ResourceAttributes {
  group: string;
  resource: string;
  subresource: string;
  namespace: string;
  name: string;
}

export class CelAuthorizer {
  /** The request's own resource, ready to check. */
  readonly requestResource: ResourceCheck;
  constructor(
    readonly authorizer: Authorizer,
    readonly user: UserInfo,
    request: ResourceAttributes,
  ) {
    this.requestResource = new ResourceCheck(this, request);
  }
}

export class PathCheck {
  constructor(
    readonly by: CelAuthorizer,
    readonly path: string,
  ) {}
}

export class GroupCheck {
  constructor(
    readonly by: CelAuthorizer,
    readonly group: string,
  ) {}
}

export class ResourceCheck {
  constructor(
    readonly by: CelAuthorizer,
    readonly attrs: ResourceAttributes,
  ) {}
  with(change: Partial<ResourceAttributes>): ResourceCheck {
    return new ResourceCheck(this.by, { ...this.attrs, ...change });
  }
}

export class AuthorizationDecision {
  constructor(
    readonly allowed: boolean,
    readonly reason: string,
    readonly error: string,
  ) {}
}

async function check(by: CelAuthorizer, attrs: Omit<Attributes, 'user'>): Promise<AuthorizationDecision> {
  try {
    const d = await by.authorizer.authorize({ ...attrs, user: by.user });
    return new AuthorizationDecision(d.allowed, d.reason, '');
  } catch (err) {
    return new AuthorizationDecision(false, '', (err as Error).message);
  }
}

const A = 'kubernetes.authorization.Authorizer';
const P = 'kubernetes.authorization.PathCheck';
const G = 'kubernetes.authorization.GroupCheck';
const R = 'kubernetes.authorization.ResourceCheck';
const D = 'kubernetes.authorization.Decision';

/** Declares the types and methods; the `authorizer` variable itself is declared by the environment. */
export function registerAuthorizerLibrary(env: Environment): string {
  env.registerType(A, CelAuthorizer);
  env.registerType(P, PathCheck);
  env.registerType(G, GroupCheck);
  env.registerType(R, ResourceCheck);
  env.registerType(D, AuthorizationDecision);
  env.registerFunction(`${A}.path(string): ${P}`, (a: CelAuthorizer, path: string) => new PathCheck(a, path));
  env.registerFunction(`${A}.group(string): ${G}`, (a: CelAuthorizer, group: string) => new GroupCheck(a, group));
  env.registerFunction(`${A}.serviceAccount(string, string): ${A}`, (a: CelAuthorizer, ns: string, name: string) => {
    const user = { name: `system:serviceaccount:${ns}:${name}`, groups: ['system:serviceaccounts', `system:serviceaccounts:${ns}`] };
    return new CelAuthorizer(a.authorizer, user, a.requestResource.attrs);
  });
  env.registerFunction(
    `${G}.resource(string): ${R}`,
    (g: GroupCheck, resource: string) => new ResourceCheck(g.by, { group: g.group, resource, subresource: '', namespace: '', name: '' }),
  );
  env.registerFunction(`${R}.subresource(string): ${R}`, (r: ResourceCheck, subresource: string) => r.with({ subresource }));
  env.registerFunction(`${R}.namespace(string): ${R}`, (r: ResourceCheck, namespace: string) => r.with({ namespace }));
  env.registerFunction(`${R}.name(string): ${R}`, (r: ResourceCheck, name: string) => r.with({ name }));
  env.registerFunction(`${R}.check(string): ${D}`, (r: ResourceCheck, verb: string) =>
    check(r.by, { verb, isResourceRequest: true, path: '', version: '*', ...r.attrs }),
  );
  env.registerFunction(`${P}.check(string): ${D}`, (p: PathCheck, verb: string) =>
    check(p.by, {
      verb,
      isResourceRequest: false,
      path: p.path,
      group: '',
      version: '',
      resource: '',
      subresource: '',
      namespace: '',
      name: '',
    }),
  );
  env.registerFunction(`${D}.allowed(): bool`, (d: AuthorizationDecision) => d.allowed);
  env.registerFunction(`${D}.reason(): string`, (d: AuthorizationDecision) => d.reason);
  env.registerFunction(`${D}.errored(): bool`, (d: AuthorizationDecision) => d.error !== '');
  env.registerFunction(`${D}.error(): string`, (d: AuthorizationDecision) => d.error);
  return A;
}
