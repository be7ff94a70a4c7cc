/** Image references as the kubelet and container runtimes spell them (docker reference normalization). */

/**
 * The fully qualified reference: "nginx" → "docker.io/library/nginx:latest",
 * "me/app:1" → "docker.io/me/app:1"; registries (a first part with ".", ":" or "localhost")
 * and digests are kept.
 */
export function normalizeImage(image: string): string {
  let name = image;
  let suffix = '';
  const at = name.indexOf('@');
  if (at >= 0) {
    suffix = name.slice(at);
    name = name.slice(0, at);
  }
  const slash = name.lastIndexOf('/');
  const colon = name.lastIndexOf(':');
  if (colon > slash) {
    suffix = name.slice(colon) + suffix;
    name = name.slice(0, colon);
  } else if (!suffix) {
    suffix = ':latest';
  }
  const first = name.split('/')[0] ?? '';
  const hasRegistry = name.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost');
  if (!hasRegistry) name = name.includes('/') ? `docker.io/${name}` : `docker.io/library/${name}`;
  return name + suffix;
}

/** The repository part of a reference, without tag or digest. */
export function imageRepository(image: string): string {
  const ref = normalizeImage(image);
  const at = ref.indexOf('@');
  const noDigest = at >= 0 ? ref.slice(0, at) : ref;
  const colon = noDigest.lastIndexOf(':');
  return colon > noDigest.lastIndexOf('/') ? noDigest.slice(0, colon) : noDigest;
}

/** The image's tag ("latest" when it has neither tag nor digest; "" with a digest only). */
export function imageTag(image: string): string {
  if (image.includes('@')) {
    const beforeDigest = image.slice(0, image.indexOf('@'));
    const c = beforeDigest.lastIndexOf(':');
    return c > beforeDigest.lastIndexOf('/') ? beforeDigest.slice(c + 1) : '';
  }
  const c = image.lastIndexOf(':');
  return c > image.lastIndexOf('/') ? image.slice(c + 1) : 'latest';
}

/** The defaulted imagePullPolicy: Always for ":latest" (or no tag), IfNotPresent otherwise. */
export function defaultPullPolicy(image: string): 'Always' | 'IfNotPresent' {
  return imageTag(image) === 'latest' ? 'Always' : 'IfNotPresent';
}
