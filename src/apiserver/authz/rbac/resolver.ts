/**
 * Upstream's DefaultRuleResolver: the rules a user holds in a namespace, found by walking the
 * ClusterRoleBindings and (in a namespace) the RoleBindings that name the user, and the roles
 * they refer to. Reads the registry's watch caches in-process through an RbacObjects view.
 */
import type { KubeObject } from '../../../machinery/object.js';
import type { UserInfo } from '../../registry/context.js';
import { type PolicyRule, type RoleRef, type Subject, subjectAppliesTo } from './rules.js';

/** Where the RBAC objects come from (the watch caches in the server; plain arrays in tests). */
export interface RbacObjects {
  clusterRoleBindings(): readonly KubeObject[];
  roleBindings(namespace: string): readonly KubeObject[];
  clusterRole(name: string): KubeObject | undefined;
  role(namespace: string, name: string): KubeObject | undefined;
}

/** Called per rule found; returns false to stop the walk. `source` says which binding granted it. */
export type RuleVisitor = (source: string, rule: PolicyRule | undefined, error: string | undefined) => boolean;

function subjectsOf(binding: KubeObject): Subject[] {
  return (binding['subjects'] as Subject[] | undefined) ?? [];
}

function describeSubject(subject: Subject, bindingNamespace: string): string {
  if (subject.kind === 'ServiceAccount') return `ServiceAccount "${subject.namespace || bindingNamespace}/${subject.name}"`;
  return `${subject.kind} "${subject.name}"`;
}

export class RuleResolver {
  readonly #objects: RbacObjects;

  constructor(options: { objects: RbacObjects }) {
    this.#objects = options.objects;
  }

  /** The rules of a role reference; throws a NotFound-like message when the role is missing. */
  rulesOfRoleRef(namespace: string, ref: RoleRef): PolicyRule[] {
    if (ref.kind === 'ClusterRole') {
      const role = this.#objects.clusterRole(ref.name);
      if (!role) throw new Error(`clusterrole.rbac.authorization.k8s.io "${ref.name}" not found`);
      return (role['rules'] as PolicyRule[] | undefined) ?? [];
    }
    if (ref.kind === 'Role') {
      const role = this.#objects.role(namespace, ref.name);
      if (!role) throw new Error(`role.rbac.authorization.k8s.io "${ref.name}" not found`);
      return (role['rules'] as PolicyRule[] | undefined) ?? [];
    }
    throw new Error(`unsupported role reference kind: "${ref.kind}"`);
  }

  /** Walks every rule the user holds in `namespace` ('' means cluster-wide rules only). */
  visitRulesFor(user: UserInfo, namespace: string, visit: RuleVisitor): void {
    for (const binding of this.#objects.clusterRoleBindings()) {
      const subject = subjectsOf(binding).find((s) => subjectAppliesTo(user, s, ''));
      if (!subject) continue;
      const ref = binding['roleRef'] as RoleRef;
      const source = `ClusterRoleBinding "${binding.metadata.name}" of ClusterRole "${ref.name}" to ${describeSubject(subject, '')}`;
      if (!this.#visitRef('', ref, source, visit)) return;
    }
    if (namespace === '') return;
    for (const binding of this.#objects.roleBindings(namespace)) {
      const subject = subjectsOf(binding).find((s) => subjectAppliesTo(user, s, namespace));
      if (!subject) continue;
      const ref = binding['roleRef'] as RoleRef;
      const source = `RoleBinding "${binding.metadata.name}/${namespace}" of ${ref.kind} "${ref.name}" to ${describeSubject(subject, namespace)}`;
      if (!this.#visitRef(namespace, ref, source, visit)) return;
    }
  }

  #visitRef(namespace: string, ref: RoleRef, source: string, visit: RuleVisitor): boolean {
    let rules: PolicyRule[];
    try {
      rules = this.rulesOfRoleRef(namespace, ref);
    } catch (err) {
      return visit(source, undefined, (err as Error).message);
    }
    for (const rule of rules) if (!visit(source, rule, undefined)) return false;
    return true;
  }

  /** All rules the user holds in `namespace`, and the errors met resolving roles. */
  rulesFor(user: UserInfo, namespace: string): { rules: PolicyRule[]; errors: string[] } {
    const rules: PolicyRule[] = [];
    const errors: string[] = [];
    this.visitRulesFor(user, namespace, (_source, rule, error) => {
      if (rule) rules.push(rule);
      if (error) errors.push(error);
      return true;
    });
    return { rules, errors };
  }
}
