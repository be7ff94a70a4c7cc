/**
 * Escalation and bind prevention (upstream pkg/registry/rbac/*\/policybased): a user may write
 * a Role or ClusterRole only with permissions they hold (or with `escalate` on it), and a
 * binding only to a role whose permissions they hold (or with `bind` on it). system:masters
 * may always. Runs as the validating step of writes to the four RBAC resources.
 */
import { newForbidden } from '../../../machinery/errors.js';
import type { AdmissionAttributes, AdmissionPlugin } from '../../admission/interface.js';
import type { UserInfo } from '../../registry/context.js';
import type { Authorizer } from '../interface.js';
import { compactRules, uncovered } from './covers.js';
import type { RuleResolver } from './resolver.js';
import { compactString, type PolicyRule, type RoleRef } from './rules.js';

const RBAC_GROUP = 'rbac.authorization.k8s.io';

export interface EscalationOptions {
  resolver: RuleResolver;
  /** The whole authorizer, asked about `escalate` and `bind`. */
  authorizer: Authorizer;
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

/** Why granting `rules` in `namespace` would escalate, or '' when the user holds them all. */
export function escalationMessage(resolver: RuleResolver, user: UserInfo, namespace: string, rules: PolicyRule[]): string {
  const owner = resolver.rulesFor(user, namespace);
  const missing = uncovered(owner.rules, rules);
  if (missing.length === 0) return '';
  const descriptions = [...new Set(compactRules(missing).map(compactString))].sort();
  const groups = `[${user.groups.map((g) => JSON.stringify(g)).join(' ')}]`;
  let msg = `user "${user.name}" (groups=${groups}) is attempting to grant RBAC permissions not currently held:\n${descriptions.join('\n')}`;
  if (owner.errors.length > 0) msg += `; resolution errors: [${owner.errors.join(' ')}]`;
  return msg;
}

export class RbacEscalationPrevention implements AdmissionPlugin {
  readonly name = 'RBACEscalationPrevention';
  readonly #options: EscalationOptions;

  constructor(options: EscalationOptions) {
    this.#options = options;
  }

  async validate(attrs: AdmissionAttributes): Promise<void> {
    const { type, object: obj, user } = attrs;
    if (type.group !== RBAC_GROUP || !obj || !user || attrs.operation === 'DELETE' || attrs.subresource) return;
    if (user.groups.includes('system:masters')) return;
    const gr = { group: RBAC_GROUP, resource: type.plural };
    if (type.kind === 'Role' || type.kind === 'ClusterRole') {
      if (
        attrs.oldObject &&
        same(obj['rules'], attrs.oldObject['rules']) &&
        same(obj['aggregationRule'], attrs.oldObject['aggregationRule'])
      )
        return;
      if (await this.#allowed(user, 'escalate', type.plural, attrs.namespace, attrs.name)) return;
      if (obj['aggregationRule']) {
        const all: PolicyRule[] = [
          { verbs: ['*'], apiGroups: ['*'], resources: ['*'] },
          { verbs: ['*'], nonResourceURLs: ['*'] },
        ];
        if (escalationMessage(this.#options.resolver, user, '', all)) {
          throw newForbidden(gr, attrs.name, 'must have cluster-admin privileges to use the aggregationRule');
        }
      }
      const msg = escalationMessage(this.#options.resolver, user, attrs.namespace, (obj['rules'] as PolicyRule[] | undefined) ?? []);
      if (msg) throw newForbidden(gr, attrs.name, msg);
      return;
    }
    if (type.kind === 'RoleBinding' || type.kind === 'ClusterRoleBinding') {
      const old = attrs.oldObject;
      if (old && same(obj['roleRef'], old['roleRef']) && same(obj['subjects'], old['subjects'])) return;
      const ref = obj['roleRef'] as RoleRef | undefined;
      if (!ref) return;
      const refPlural = ref.kind === 'ClusterRole' ? 'clusterroles' : 'roles';
      if (await this.#allowed(user, 'bind', refPlural, attrs.namespace, ref.name)) return;
      let rules: PolicyRule[];
      try {
        rules = this.#options.resolver.rulesOfRoleRef(attrs.namespace, ref);
      } catch (err) {
        throw newForbidden(gr, attrs.name, (err as Error).message);
      }
      const msg = escalationMessage(this.#options.resolver, user, attrs.namespace, rules);
      if (msg) throw newForbidden(gr, attrs.name, msg);
    }
  }

  async #allowed(user: UserInfo, verb: string, resource: string, namespace: string, name: string): Promise<boolean> {
    const d = await this.#options.authorizer.authorize({
      user,
      verb,
      isResourceRequest: true,
      path: '',
      group: RBAC_GROUP,
      version: '',
      resource,
      subresource: '',
      namespace,
      name,
    });
    return d.allowed;
  }
}
