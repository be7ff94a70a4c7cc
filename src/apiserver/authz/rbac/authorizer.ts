/**
 * The RBAC authorizer (upstream plugin/pkg/auth/authorizer/rbac): allows a request when some
 * rule the user holds through a (Cluster)RoleBinding matches it. Upstream's reasons: the
 * binding that allowed, or the role-resolution errors met when nothing did.
 */
import type { UserInfo } from '../../registry/context.js';
import type { Attributes, Authorizer, Decision, SubjectRules } from '../interface.js';
import type { RuleResolver } from './resolver.js';
import { aggregateErrors, ruleAllows } from './rules.js';

export class RbacAuthorizer implements Authorizer {
  readonly resolver: RuleResolver;

  constructor(options: { resolver: RuleResolver }) {
    this.resolver = options.resolver;
  }

  authorize(attrs: Attributes): Decision {
    let allowedBy = '';
    const errors: string[] = [];
    this.resolver.visitRulesFor(attrs.user, attrs.namespace, (source, rule, error) => {
      if (error) errors.push(error);
      if (rule && ruleAllows(attrs, rule)) {
        allowedBy = source;
        return false;
      }
      return true;
    });
    if (allowedBy) return { allowed: true, reason: `RBAC: allowed by ${allowedBy}` };
    return { allowed: false, reason: errors.length > 0 ? `RBAC: ${aggregateErrors(errors)}` : '' };
  }

  rulesFor(user: UserInfo, namespace: string): SubjectRules {
    const { rules, errors } = this.resolver.rulesFor(user, namespace);
    const out: SubjectRules = { resourceRules: [], nonResourceRules: [], incomplete: errors.length > 0 };
    for (const r of rules) {
      if ((r.resources ?? []).length > 0) {
        out.resourceRules.push({
          verbs: r.verbs,
          apiGroups: r.apiGroups ?? [],
          resources: r.resources ?? [],
          ...(r.resourceNames?.length ? { resourceNames: r.resourceNames } : {}),
        });
      }
      if ((r.nonResourceURLs ?? []).length > 0) out.nonResourceRules.push({ verbs: r.verbs, nonResourceURLs: r.nonResourceURLs ?? [] });
    }
    if (errors.length > 0) out.evaluationError = aggregateErrors(errors);
    return out;
  }
}

/** Upstream's union authorizer: the first that allows wins; the reasons of denials are joined. */
export class UnionAuthorizer implements Authorizer {
  readonly #authorizers: Authorizer[];

  constructor(authorizers: Authorizer[]) {
    this.#authorizers = authorizers;
  }

  async authorize(attrs: Attributes): Promise<Decision> {
    const reasons: string[] = [];
    for (const a of this.#authorizers) {
      const d = await a.authorize(attrs);
      if (d.allowed) return d;
      if (d.reason) reasons.push(d.reason);
    }
    return { allowed: false, reason: reasons.join('\n') };
  }

  rulesFor(user: UserInfo, namespace: string): SubjectRules {
    const out: SubjectRules = { resourceRules: [], nonResourceRules: [], incomplete: false };
    const errors: string[] = [];
    for (const a of this.#authorizers) {
      const r = a.rulesFor ? a.rulesFor(user, namespace) : { resourceRules: [], nonResourceRules: [], incomplete: true };
      pushNew(out.resourceRules, r.resourceRules);
      pushNew(out.nonResourceRules, r.nonResourceRules);
      out.incomplete ||= r.incomplete;
      if (r.evaluationError) errors.push(r.evaluationError);
    }
    if (errors.length > 0) out.evaluationError = errors.join(', ');
    return out;
  }
}

/** Appends the rules `to` does not have yet (system:masters' rules come from both authorizers). */
function pushNew<T>(to: T[], rules: readonly T[]): void {
  const seen = new Set(to.map((r) => JSON.stringify(r)));
  for (const r of rules) {
    const key = JSON.stringify(r);
    if (!seen.has(key)) to.push(r);
    seen.add(key);
  }
}
