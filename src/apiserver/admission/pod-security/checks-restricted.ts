/**
 * The restricted Pod Security Standard's checks on top of baseline (upstream pod-security-admission
 * policy/check_*.go at their latest versions): volume types, privilege escalation, running as
 * non-root, runAsUser=0, seccomp and capabilities drop ALL.
 */
import { arr, asObj, objs, str, type Obj } from '../../../api/core/access.js';
import { setters } from './checks-baseline.js';
import { allContainers, type Check, containersPhrase, joinQuote, pluralize, securityContext } from './check.js';

const ALLOWED_VOLUME_TYPES = new Set([
  'configMap',
  'csi',
  'downwardAPI',
  'emptyDir',
  'ephemeral',
  'image',
  'persistentVolumeClaim',
  'projected',
  'secret',
]);

const isWindows = (spec: Obj): boolean => asObj(spec['os'])?.['name'] === 'windows';
/** Pods in a user namespace may run as (namespaced) root (KEP-127). */
const inUserNamespace = (spec: Obj): boolean => spec['hostUsers'] === false;

/**
 * The pattern of runAsNonRoot and seccompProfile: explicit bad values on the pod or containers
 * are named first; otherwise containers left unset without a good pod-level value.
 */
function podOrContainers(spec: Obj, field: (sc: Obj) => unknown, good: (v: unknown) => boolean): { explicit?: string; implicit: string[] } {
  const podValue = field(securityContext(spec));
  const podGood = podValue !== undefined && good(podValue);
  const explicit = setters(podValue !== undefined && !podGood, spec, (sc) => field(sc) !== undefined && !good(field(sc)));
  const implicit = allContainers(spec)
    .filter((c) => field(securityContext(c)) === undefined && !podGood)
    .map((c) => str(c['name']));
  return explicit ? { explicit, implicit } : { implicit };
}

export const RESTRICTED_CHECKS: readonly Check[] = [
  {
    id: 'restrictedVolumes',
    check: (_meta, spec) => {
      const types = new Set<string>();
      const names: string[] = [];
      for (const v of objs(spec['volumes'])) {
        const bad = Object.keys(v).filter((k) => k !== 'name' && !ALLOWED_VOLUME_TYPES.has(k));
        if (bad.length === 0) continue;
        names.push(str(v['name']));
        for (const t of bad) types.add(t);
      }
      if (names.length === 0) return undefined;
      const n = names.length;
      const detail = `${pluralize('volume', 'volumes', n)} ${joinQuote(names)} ${pluralize('uses', 'use', n)} ${pluralize('restricted volume type', 'restricted volume types', types.size)} ${joinQuote([...types].sort())}`;
      return { reason: 'restricted volume types', detail };
    },
  },
  {
    id: 'allowPrivilegeEscalation',
    sinceMinor: 8,
    check: (_meta, spec) => {
      if (isWindows(spec)) return undefined;
      const bad = allContainers(spec)
        .filter((c) => securityContext(c)['allowPrivilegeEscalation'] !== false)
        .map((c) => str(c['name']));
      if (bad.length === 0) return undefined;
      return {
        reason: 'allowPrivilegeEscalation != false',
        detail: `${containersPhrase(bad)} must set securityContext.allowPrivilegeEscalation=false`,
      };
    },
  },
  {
    id: 'runAsNonRoot',
    check: (_meta, spec) => {
      if (inUserNamespace(spec)) return undefined;
      const r = podOrContainers(
        spec,
        (sc) => sc['runAsNonRoot'],
        (v) => v === true,
      );
      const reason = 'runAsNonRoot != true';
      if (r.explicit) return { reason, detail: `${r.explicit} must not set securityContext.runAsNonRoot=false` };
      if (r.implicit.length > 0)
        return { reason, detail: `pod or ${containersPhrase(r.implicit)} must set securityContext.runAsNonRoot=true` };
      return undefined;
    },
  },
  {
    id: 'runAsUser',
    sinceMinor: 23,
    check: (_meta, spec) => {
      if (inUserNamespace(spec)) return undefined;
      const root = (sc: Obj): boolean => sc['runAsUser'] === 0;
      const who = setters(root(securityContext(spec)), spec, root);
      return who ? { reason: 'runAsUser=0', detail: `${who} must not set runAsUser=0` } : undefined;
    },
  },
  {
    id: 'seccompProfile_restricted',
    sinceMinor: 19,
    check: (_meta, spec) => {
      if (isWindows(spec)) return undefined;
      const type = (sc: Obj): unknown => (asObj(sc['seccompProfile']) ? str(asObj(sc['seccompProfile'])?.['type']) : undefined);
      const valid = (v: unknown): boolean => v === 'RuntimeDefault' || v === 'Localhost';
      const r = podOrContainers(spec, type, valid);
      if (r.explicit) {
        const values = new Set(
          [type(securityContext(spec)), ...allContainers(spec).map((c) => type(securityContext(c)))].filter(
            (v) => v !== undefined && !valid(v),
          ),
        );
        return {
          reason: 'seccompProfile',
          detail: `${r.explicit} must not set securityContext.seccompProfile.type to ${joinQuote([...values].map(String).sort())}`,
        };
      }
      if (r.implicit.length > 0) {
        return {
          reason: 'seccompProfile',
          detail: `pod or ${containersPhrase(r.implicit)} must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost"`,
        };
      }
      return undefined;
    },
  },
  {
    id: 'capabilities_restricted',
    sinceMinor: 22,
    check: (_meta, spec) => {
      if (isWindows(spec)) return undefined;
      const missingDrop: string[] = [];
      const adding: string[] = [];
      const forbidden = new Set<string>();
      for (const c of allContainers(spec)) {
        const caps = asObj(securityContext(c)['capabilities']);
        if (!arr(caps?.['drop']).includes('ALL')) missingDrop.push(str(c['name']));
        const bad = arr(caps?.['add'])
          .map(str)
          .filter((cap) => cap !== 'NET_BIND_SERVICE');
        for (const cap of bad) forbidden.add(cap);
        if (bad.length > 0) adding.push(str(c['name']));
      }
      const details: string[] = [];
      if (missingDrop.length > 0) details.push(`${containersPhrase(missingDrop)} must set securityContext.capabilities.drop=["ALL"]`);
      if (adding.length > 0)
        details.push(
          `${containersPhrase(adding)} must not include ${joinQuote([...forbidden].sort())} in securityContext.capabilities.add`,
        );
      return details.length > 0 ? { reason: 'unrestricted capabilities', detail: details.join('; ') } : undefined;
    },
  },
];
