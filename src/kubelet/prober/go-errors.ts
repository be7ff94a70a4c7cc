/**
 * Network errors worded as Go's net and net/http packages word them, since upstream's probe
 * outputs (and so the Unhealthy events users grep for) are Go error strings:
 * `dial tcp 10.1.2.3:80: connect: connection refused`,
 * `Get "http://10.1.2.3:80/": context deadline exceeded (Client.Timeout exceeded while awaiting headers)`.
 */

/** host:port, with brackets around an IPv6 host (net.JoinHostPort). */
export function joinHostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

const SYSCALL_ERRORS: Record<string, string> = {
  ECONNREFUSED: 'connect: connection refused',
  EHOSTUNREACH: 'connect: no route to host',
  ENETUNREACH: 'connect: network is unreachable',
  ECONNRESET: 'read: connection reset by peer',
  EPIPE: 'write: broken pipe',
  ETIMEDOUT: 'i/o timeout',
};

/** A failed dial, as net.Dial reports it: `dial tcp <addr>: <reason>`. */
export function goDialError(err: unknown, addr: string): string {
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string' && code === 'ENOTFOUND') return `dial tcp: lookup ${addr.replace(/:\d+$/, '')}: no such host`;
  const reason = typeof code === 'string' ? SYSCALL_ERRORS[code] : undefined;
  return `dial tcp ${addr}: ${reason ?? (err instanceof Error ? err.message : String(err))}`;
}

/** A dial that ran out of time. */
export function goDialTimeout(addr: string): string {
  return `dial tcp ${addr}: i/o timeout`;
}
