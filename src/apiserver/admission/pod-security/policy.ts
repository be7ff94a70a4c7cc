/**
 * Pod Security Standards (upstream k8s.io/pod-security-admission/policy): levels, the
 * namespace label that picks a level and version, and the evaluation of a pod's metadata and
 * spec against a level. A pinned version (`v1.N`) leaves out the checks added after it; the
 * checks that remain run at their latest version.
 */
import type { Obj } from '../../../api/core/access.js';
import type { Check, Violation } from './check.js';
import { BASELINE_CHECKS } from './checks-baseline.js';
import { RESTRICTED_CHECKS } from './checks-restricted.js';

export type Level = 'privileged' | 'baseline' | 'restricted';
export const LEVELS: readonly Level[] = ['privileged', 'baseline', 'restricted'];

export interface LevelVersion {
  level: Level;
  /** `latest` or `v1.N`. */
  version: string;
}

export const LABEL_PREFIX = 'pod-security.kubernetes.io/';
export type Mode = 'enforce' | 'audit' | 'warn';
export const MODES: readonly Mode[] = ['enforce', 'audit', 'warn'];

const VERSION = /^v1\.(0|[1-9][0-9]*)$/;

/** Parses a level label value; undefined when invalid. */
export function parseLevel(v: string): Level | undefined {
  return (LEVELS as readonly string[]).includes(v) ? (v as Level) : undefined;
}

/** Parses a version label value; undefined when invalid. */
export function parseVersion(v: string): string | undefined {
  return v === 'latest' || VERSION.test(v) ? v : undefined;
}

/**
 * The policy of each mode from a namespace's labels; an unset or invalid level is privileged
 * (upstream falls back to the defaults), except an invalid enforce level, which is restricted.
 */
export function policyFromLabels(labels: Record<string, string>): Record<Mode, LevelVersion> {
  const out = {} as Record<Mode, LevelVersion>;
  for (const mode of MODES) {
    const raw = labels[`${LABEL_PREFIX}${mode}`];
    const level = raw === undefined ? 'privileged' : (parseLevel(raw) ?? (mode === 'enforce' ? 'restricted' : 'privileged'));
    const version = parseVersion(labels[`${LABEL_PREFIX}${mode}-version`] ?? 'latest') ?? 'latest';
    out[mode] = { level, version };
  }
  return out;
}

/** The checks of a level at a version, in upstream's order (by check id). */
export function checksFor({ level, version }: LevelVersion): Check[] {
  if (level === 'privileged') return [];
  const minor = version === 'latest' ? Number.POSITIVE_INFINITY : Number(version.slice('v1.'.length));
  const checks = level === 'baseline' ? BASELINE_CHECKS : [...BASELINE_CHECKS, ...RESTRICTED_CHECKS];
  return checks.filter((c) => (c.sinceMinor ?? 0) <= minor).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** Evaluates a pod's metadata and spec against a level and version. */
export function evaluatePod(policy: LevelVersion, meta: Obj, spec: Obj): Violation[] {
  const out: Violation[] = [];
  for (const c of checksFor(policy)) {
    const v = c.check(meta, spec);
    if (v) out.push(v);
  }
  return out;
}

/** `restricted:latest`. */
export function policyName(p: LevelVersion): string {
  return `${p.level}:${p.version}`;
}

/** `allowPrivilegeEscalation != false (container "c" must set ...), ...`, as upstream aggregates. */
export function violationsText(violations: readonly Violation[]): string {
  return violations.map((v) => (v.detail ? `${v.reason} (${v.detail})` : v.reason)).join(', ');
}
