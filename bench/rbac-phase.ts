/**
 * The rbac phase of `npm run bench`: the RBAC authorizer's decision cost in memory, with the
 * bootstrap policy and N namespaces of three RoleBindings each (the watch caches' view, no
 * HTTP): an allowed request, a denied one (every binding walked), a SelfSubjectRulesReview's
 * rules and an escalation check of a Role. Bounded by operation count; never asserts timings.
 */
import { performance } from 'node:perf_hooks';
import type { PhaseOutcome } from './api-phase.js';
import { fixed } from './report.js';
import { summarize } from './stats.js';
import type { KubeObject } from '../src/machinery/object.js';
import { RbacAuthorizer } from '../src/apiserver/authz/rbac/authorizer.js';
import { bootstrapClusterRoleBindings, bootstrapClusterRoles } from '../src/apiserver/authz/rbac/bootstrap-policy.js';
import { escalationMessage } from '../src/apiserver/authz/rbac/escalation.js';
import { aggregatedRules } from '../src/controllers/clusterroleaggregation/clusterrole-aggregation-controller.js';
import { RuleResolver } from '../src/apiserver/authz/rbac/resolver.js';
import { arrayObjects, resourceAttrs } from '../src/apiserver/authz/rbac/testing.js';

export interface RbacPhaseOptions {
  namespaces: number;
  ops: number;
  log: (line: string) => void;
}

function policy(namespaces: number): KubeObject[] {
  const roles = bootstrapClusterRoles();
  // what the aggregation controller would have written
  for (const r of roles) if (r['aggregationRule']) r['rules'] = aggregatedRules(r, roles);
  const objects: KubeObject[] = [...roles, ...bootstrapClusterRoleBindings()];
  for (let i = 0; i < namespaces; i++) {
    for (const [j, role] of ['view', 'edit', 'admin'].entries()) {
      objects.push({
        kind: 'RoleBinding',
        metadata: { name: `b${j}`, namespace: `ns-${i}` },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role },
        subjects: [{ kind: 'User', name: `user-${i}-${j}` }],
      });
    }
  }
  return objects;
}

function time(ops: number, fn: (i: number) => void): string {
  const samples = new Float64Array(ops);
  for (let i = 0; i < ops; i++) {
    const t = performance.now();
    fn(i);
    samples[i] = performance.now() - t;
  }
  const s = summarize(samples);
  return `p50 ${fixed(s.p50 * 1000, 1)} µs  p99 ${fixed(s.p99 * 1000, 1)} µs  (${ops} ops)`;
}

export async function runRbacPhase(options: RbacPhaseOptions): Promise<PhaseOutcome> {
  const { namespaces, ops } = options;
  options.log(`rbac: bootstrap policy + ${namespaces} namespaces × 3 RoleBindings, ${ops} decisions each`);
  const resolver = new RuleResolver({ objects: arrayObjects(policy(namespaces)) });
  const rbac = new RbacAuthorizer({ resolver });
  const pick = (i: number) => `ns-${i % namespaces}`;
  const user = (i: number, j: number) => ({ name: `user-${i % namespaces}-${j}`, groups: ['system:authenticated'] });
  const rows: [string, string][] = [
    ['allowed (view lists pods)', time(ops, (i) => rbac.authorize(resourceAttrs(user(i, 0), 'list', 'pods', { namespace: pick(i) })))],
    ['denied (view deletes pods)', time(ops, (i) => rbac.authorize(resourceAttrs(user(i, 0), 'delete', 'pods', { namespace: pick(i) })))],
    ['rules of a user (can-i --list)', time(ops, (i) => rbac.rulesFor(user(i, 1), pick(i)))],
    [
      'escalation check (admin writes a Role)',
      time(ops, (i) =>
        escalationMessage(resolver, user(i, 2), pick(i), [
          { verbs: ['get', 'list', 'delete'], apiGroups: ['', 'apps'], resources: ['pods', 'deployments'] },
        ]),
      ),
    ],
  ];
  return {
    failed: false,
    print() {
      for (const [what, result] of rows) console.log(`${what.padEnd(40)} ${result}`);
    },
  };
}
