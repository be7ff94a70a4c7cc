/**
 * Registry credentials from a pod's imagePullSecrets, as upstream's credentialprovider keyring
 * finds them (pkg/credentialprovider/keyring.go, secrets/secrets.go): each
 * kubernetes.io/dockerconfigjson (`.dockerconfigjson`, its `auths`) or kubernetes.io/dockercfg
 * (`.dockercfg`) Secret is a keyring of registry keys → credentials; a key is a schemeless URL
 * (`https://` and a `/v1/` or `/v2/` path prefix dropped) matched against the image's repository
 * host part by host part (globs like `*.example.com` allowed, the port exact) with the key's path
 * a prefix of the repository's; more specific keys first, secrets in the pod's order. Docker
 * Hub images also match the `index.docker.io` key (isDefaultRegistryMatch).
 *
 *   keyringFromSecrets(secrets: KubeObject[]): DockerKeyring
 *   DockerKeyring.lookup(repository: string): AuthConfig[]   // e.g. lookup("docker.io/library/busybox")
 */
import { asObj, str } from '../api/core/access.js';
import type { KubeObject } from '../machinery/object.js';
import type { AuthConfig } from './runtime/interface.js';

export const DOCKER_CONFIG_JSON_TYPE = 'kubernetes.io/dockerconfigjson';
export const DOCKERCFG_TYPE = 'kubernetes.io/dockercfg';
const DEFAULT_REGISTRY_HOST = 'index.docker.io';

interface DockerConfigEntry {
  auth?: string;
  username?: string;
  password?: string;
}

/** A schemeless URL: lowercased host (with port) and path. */
function parseSchemeless(text: string): { host: string; path: string } | undefined {
  try {
    const u = new URL(`https://${text}`);
    return { host: u.host.toLowerCase(), path: decodeURIComponent(u.pathname) };
  } catch {
    return undefined;
  }
}

/** Host name parts and port (net.SplitHostPort, falling back to no port). */
function splitHost(host: string): { parts: string[]; port: string } {
  const m = /^(.*):(\d+)$/.exec(host);
  return m ? { parts: (m[1] as string).split('.'), port: m[2] as string } : { parts: host.split('.'), port: '' };
}

/** Go's filepath.Match for one host part: `*`, `?` and character classes. */
function globMatch(glob: string, text: string): boolean {
  const re = glob
    .replace(/[.+^${}()|\\]/g, '\\$&')
    .replace(/\*/g, '[^/]*')
    .replace(/\?/g, '[^/]');
  try {
    return new RegExp(`^${re}$`).test(text);
  } catch {
    return false;
  }
}

/** URLsMatchStr: whether the key (a glob URL) covers the repository. */
export function urlsMatch(key: string, repository: string): boolean {
  const glob = parseSchemeless(key);
  const target = parseSchemeless(repository);
  if (!glob || !target) return false;
  const g = splitHost(glob.host);
  const t = splitHost(target.host);
  if (g.port !== t.port || g.parts.length !== t.parts.length) return false;
  if (!target.path.startsWith(glob.path)) return false;
  return g.parts.every((part, i) => globMatch(part, t.parts[i] as string));
}

/** isDefaultRegistryMatch: a repository on Docker Hub (no registry host, or docker.io). */
function isDefaultRegistryMatch(repository: string): boolean {
  const [first = '', rest] = repository.split(/\/(.*)/s);
  if (first === '') return false;
  if (rest === undefined) return true;
  if (first === 'docker.io' || first === 'index.docker.io') return true;
  return !first.includes('.') && !first.includes(':');
}

/** The keyring key of a config location (BasicDockerKeyring.Add). */
function keyOf(location: string): string | undefined {
  const parsed = parseSchemeless(location.replace(/^https?:\/\//, ''));
  if (!parsed) return undefined;
  let path = parsed.path;
  if (path.startsWith('/v2/') || path.startsWith('/v1/')) path = path.slice(3);
  return path.length > 0 && path !== '/' ? parsed.host + path : parsed.host;
}

/** One secret's credentials: registry key → credentials, keys most specific first. */
class BasicDockerKeyring {
  readonly #creds = new Map<string, AuthConfig[]>();
  #index: string[] = [];

  add(config: Record<string, DockerConfigEntry>): void {
    for (const [location, entry] of Object.entries(config)) {
      const key = keyOf(location);
      if (key === undefined) continue;
      let { username = '', password = '' } = entry;
      if (entry.auth) {
        const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
        const colon = decoded.indexOf(':');
        if (colon < 0) continue;
        username = decoded.slice(0, colon);
        password = decoded.slice(colon + 1);
      }
      this.#creds.set(key, [...(this.#creds.get(key) ?? []), { username, password }]);
    }
    // reverse-sorted, so that more specific paths are matched first
    this.#index = [...this.#creds.keys()].sort().reverse();
  }

  lookup(repository: string): AuthConfig[] {
    const found = this.#index.filter((k) => urlsMatch(k, repository)).flatMap((k) => this.#creds.get(k) ?? []);
    if (found.length > 0) return found;
    return isDefaultRegistryMatch(repository) ? (this.#creds.get(DEFAULT_REGISTRY_HOST) ?? []) : [];
  }
}

export interface DockerKeyring {
  /** Every credential for the repository (no tag or digest), in the order to try them. */
  lookup(repository: string): AuthConfig[];
}

/** The docker config a pull secret holds, or undefined for a Secret of another type or without the key. */
export function dockerConfigOf(secret: KubeObject): Record<string, DockerConfigEntry> | undefined {
  const data = asObj(secret['data']) ?? {};
  const type = str(secret['type']);
  const key = type === DOCKER_CONFIG_JSON_TYPE ? '.dockerconfigjson' : type === DOCKERCFG_TYPE ? '.dockercfg' : undefined;
  const encoded = key ? str(data[key]) : '';
  if (!encoded) return undefined;
  try {
    const parsed = JSON.parse(Buffer.from(encoded, 'base64').toString('utf8')) as Record<string, unknown>;
    const config = type === DOCKER_CONFIG_JSON_TYPE ? asObj(parsed['auths']) : parsed;
    return (config ?? {}) as Record<string, DockerConfigEntry>;
  } catch {
    return undefined;
  }
}

/** The union keyring of the pod's pull secrets, in their order (MakeDockerKeyring). */
export function keyringFromSecrets(secrets: KubeObject[]): DockerKeyring {
  const rings: BasicDockerKeyring[] = [];
  for (const secret of secrets) {
    const config = dockerConfigOf(secret);
    if (!config) continue;
    const ring = new BasicDockerKeyring();
    ring.add(config);
    rings.push(ring);
  }
  return { lookup: (repository) => rings.flatMap((r) => r.lookup(repository)) };
}
