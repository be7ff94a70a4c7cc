/** Timestamps as the API writes them in JSON. */

/** metav1.Time: RFC 3339 in UTC with whole seconds, e.g. "2024-01-01T00:00:05Z". */
export function rfc3339(at: number | Date): string {
  return `${new Date(at).toISOString().slice(0, 19)}Z`;
}

/** metav1.MicroTime: RFC 3339 in UTC with exactly six fractional digits, e.g. "2024-01-01T00:00:05.123456Z". */
export function rfc3339Micro(ms: number): string {
  const iso = new Date(ms).toISOString(); // 2024-01-01T00:00:00.123Z
  const micros = String(Math.floor((ms - Math.floor(ms)) * 1000)).padStart(3, '0');
  return `${iso.slice(0, -1)}${micros}Z`;
}
