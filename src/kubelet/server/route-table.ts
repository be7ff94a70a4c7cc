/**
 * The kubelet server's path patterns: '/containerLogs/{namespace}/{pod}/{container}' matched
 * segment by segment; a `{name}` segment matches one non-empty segment, URL-decoded.
 */
import type { KubeletRoute, KubeletRoutes } from './interface.js';

export interface RouteMatch {
  route: KubeletRoute;
  params: Record<string, string>;
}

function segments(path: string): string[] {
  return path.split('/').filter((s) => s !== '');
}

export class RouteTable implements KubeletRoutes {
  readonly #routes: { route: KubeletRoute; pattern: string[] }[] = [];

  add(route: KubeletRoute): void {
    this.#routes.push({ route, pattern: segments(route.path) });
  }

  /** The first route whose pattern matches the path; `methodAllowed` false when only the method is wrong. */
  match(method: string, pathname: string): { found?: RouteMatch; methodAllowed: boolean } {
    const parts = segments(pathname);
    let pathMatched = false;
    for (const { route, pattern } of this.#routes) {
      const params = matchPattern(pattern, parts);
      if (!params) continue;
      pathMatched = true;
      if (route.methods.includes(method)) return { found: { route, params }, methodAllowed: true };
    }
    return { methodAllowed: !pathMatched };
  }
}

function matchPattern(pattern: string[], parts: string[]): Record<string, string> | undefined {
  if (pattern.length !== parts.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i++) {
    const p = pattern[i] as string;
    const s = parts[i] as string;
    if (p.startsWith('{') && p.endsWith('}')) {
      try {
        params[p.slice(1, -1)] = decodeURIComponent(s);
      } catch {
        return undefined;
      }
    } else if (p !== s) return undefined;
  }
  return params;
}
