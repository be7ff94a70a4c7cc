/**
 * The audit flags of `k8ts server`, as kube-apiserver's: --audit-policy-file (an audit.k8s.io/v1
 * Policy), --audit-log-path (`-`: stdout; no path: no audit log), --audit-log-maxage (days),
 * --audit-log-maxbackup (files) and --audit-log-maxsize (MB) for rotation (0: lumberjack's defaults).
 *
 *   AUDIT_FLAG_OPTIONS                  // parseArgs option table
 *   parseAuditFlags(values): AuditFlags | undefined
 *   startAuditor(flags): Auditor | undefined
 */
import { Auditor } from '../apiserver/audit/request-audit.js';
import { LogBackend } from '../apiserver/audit/log-backend.js';
import { loadPolicy } from '../apiserver/audit/policy.js';

export const AUDIT_FLAG_OPTIONS = {
  'audit-policy-file': { type: 'string' },
  'audit-log-path': { type: 'string' },
  'audit-log-maxage': { type: 'string', default: '0' },
  'audit-log-maxbackup': { type: 'string', default: '0' },
  'audit-log-maxsize': { type: 'string', default: '0' },
} as const;

export interface AuditFlags {
  policyFile: string | undefined;
  logPath: string;
  maxAgeDays: number;
  maxBackups: number;
  maxSizeMB: number;
}

type Values = Partial<Record<keyof typeof AUDIT_FLAG_OPTIONS, string | boolean | (string | boolean)[] | undefined>>;

function count(flag: string, value: unknown): number {
  const n = Number(value);
  if (!/^\d+$/.test(String(value)) || !Number.isSafeInteger(n))
    throw new Error(`--${flag}: want a whole number of 0 or more, got "${String(value)}"`);
  return n;
}

/** undefined without --audit-log-path: nothing is audited. */
export function parseAuditFlags(values: Values): AuditFlags | undefined {
  const logPath = values['audit-log-path'];
  const maxAgeDays = count('audit-log-maxage', values['audit-log-maxage'] ?? '0');
  const maxBackups = count('audit-log-maxbackup', values['audit-log-maxbackup'] ?? '0');
  const maxSizeMB = count('audit-log-maxsize', values['audit-log-maxsize'] ?? '0');
  if (typeof logPath !== 'string' || logPath === '') return undefined;
  const policyFile = values['audit-policy-file'];
  return {
    policyFile: typeof policyFile === 'string' && policyFile !== '' ? policyFile : undefined,
    logPath,
    maxAgeDays,
    maxBackups,
    maxSizeMB,
  };
}

/** The auditor the flags ask for; without a policy file, as upstream, no events are recorded. */
export async function startAuditor(flags: AuditFlags | undefined, log: (m: string) => void): Promise<Auditor | undefined> {
  if (!flags) return undefined;
  if (!flags.policyFile) {
    log('audit: no --audit-policy-file given, no audit events will be recorded');
    return undefined;
  }
  const policy = await loadPolicy(flags.policyFile);
  const sink = new LogBackend({
    path: flags.logPath,
    maxAgeDays: flags.maxAgeDays,
    maxBackups: flags.maxBackups,
    maxSizeMB: flags.maxSizeMB,
    log,
  });
  return new Auditor({ policy, sink, log });
}
