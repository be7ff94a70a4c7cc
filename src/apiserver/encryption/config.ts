/**
 * `--encryption-provider-config`: an apiserver.config.k8s.io/v1 EncryptionConfiguration
 * (upstream's server/options/encryptionconfig). Each resources[] entry names group resources
 * (`secrets`, `deployments.apps`, `*.apps`, `*.` for the core group, `*.*`) and its providers
 * in order; every key of every provider is one prefix transformer (`k8s:enc:aescbc:v1:key1:`),
 * the first writes. A resource takes its exact entry, else its group's wildcard, else `*.*`;
 * the first entry naming it wins. kms is not supported.
 */
import { readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import { AESCBCTransformer, AESGCMTransformer } from './aes.js';
import type { PrefixTransformer, Transformer, TransformerFor } from './interface.js';
import { identityTransformer, PrefixTransformers } from './prefix-transformers.js';
import { SecretboxTransformer } from './secretbox.js';

const API_VERSION = 'apiserver.config.k8s.io/v1';
const KIND = 'EncryptionConfiguration';

interface Key {
  name?: unknown;
  secret?: unknown;
}

type ProviderName = 'aescbc' | 'aesgcm' | 'secretbox' | 'identity' | 'kms';
const PROVIDERS: readonly ProviderName[] = ['aescbc', 'aesgcm', 'secretbox', 'identity', 'kms'];

/** Key lengths each keyed provider accepts (upstream's validation). */
const KEY_LENGTHS: Record<'aescbc' | 'aesgcm' | 'secretbox', readonly number[]> = {
  aescbc: [16, 24, 32],
  aesgcm: [16, 24, 32],
  secretbox: [32],
};

const MAKERS: Record<'aescbc' | 'aesgcm' | 'secretbox', (key: Buffer) => Transformer> = {
  aescbc: (key) => new AESCBCTransformer({ key }),
  aesgcm: (key) => new AESGCMTransformer({ key }),
  secretbox: (key) => new SecretboxTransformer({ key }),
};

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The prefix transformers of one provider element; field errors go to `errors` (secrets never quoted). */
function providerTransformers(provider: unknown, path: string, errors: string[]): PrefixTransformer[] {
  if (!isObject(provider)) {
    errors.push(`${path}: Invalid value: provider must be an object`);
    return [];
  }
  const named = PROVIDERS.filter((p) => provider[p] !== undefined && provider[p] !== null);
  if (named.length !== 1) {
    errors.push(
      named.length === 0
        ? `${path}: Invalid value: provider does not contain any of the expected providers: KMS, AESGCM, AESCBC, Secretbox, Identity`
        : `${path}: Invalid value: more than one provider specified in a single element, should split into different list elements`,
    );
    return [];
  }
  const name = named[0] as ProviderName;
  if (name === 'identity') return [{ prefix: '', transformer: identityTransformer }];
  if (name === 'kms') {
    errors.push(`${path}.kms: Unsupported value: the kms provider is not supported by k8ts`);
    return [];
  }
  const keys = (provider[name] as { keys?: unknown }).keys;
  if (!Array.isArray(keys) || keys.length === 0) {
    errors.push(`${path}.${name}.keys: Required value: keys list cannot be empty`);
    return [];
  }
  const out: PrefixTransformer[] = [];
  const seen = new Set<string>();
  keys.forEach((k: Key, j) => {
    const keyPath = `${path}.${name}.keys[${j}]`;
    if (typeof k?.name !== 'string' || k.name === '') return errors.push(`${keyPath}.name: Required value: key name is required`);
    if (k.name.includes(':')) return errors.push(`${keyPath}.name: Invalid value: "${k.name}": key name should not contain ":"`);
    if (seen.has(k.name)) return errors.push(`${keyPath}.name: Duplicate value: "${k.name}"`);
    seen.add(k.name);
    if (typeof k.secret !== 'string' || k.secret === '') return errors.push(`${keyPath}.secret: Required value: secret is required`);
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(k.secret))
      return errors.push(`${keyPath}.secret: Invalid value: "REDACTED": secret is not a valid base64 string`);
    const secret = Buffer.from(k.secret, 'base64');
    if (!KEY_LENGTHS[name].includes(secret.length)) {
      return errors.push(
        `${keyPath}.secret: Invalid value: "REDACTED": secret is not of the expected length, got ${secret.length}, expected one of [${KEY_LENGTHS[name].join(' ')}]`,
      );
    }
    out.push({ prefix: `k8s:enc:${name}:v1:${k.name}:`, transformer: MAKERS[name](secret) });
  });
  return out;
}

/** Reads the transformers of each group resource from an EncryptionConfiguration document. */
export function parseEncryptionConfiguration(text: string): TransformerFor {
  const doc: unknown = parseYaml(text);
  if (!isObject(doc) || doc.kind !== KIND || doc.apiVersion !== API_VERSION) {
    throw new Error(`error while parsing file: expected kind "${KIND}" of apiVersion "${API_VERSION}"`);
  }
  const errors: string[] = [];
  const byResource = new Map<string, Transformer>();
  const resources = Array.isArray(doc.resources) ? doc.resources : [];
  if (resources.length === 0) errors.push('resources: Required value: resources cannot be empty');
  resources.forEach((entry: unknown, i) => {
    const path = `resources[${i}]`;
    const names = isObject(entry) && Array.isArray(entry.resources) ? entry.resources : [];
    const providers = isObject(entry) && Array.isArray(entry.providers) ? entry.providers : [];
    if (names.length === 0) errors.push(`${path}.resources: Required value: resources cannot be empty`);
    if (providers.length === 0) errors.push(`${path}.providers: Required value: providers cannot be empty`);
    const list = providers.flatMap((p: unknown, j) => providerTransformers(p, `${path}.providers[${j}]`, errors));
    if (list.length === 0) return;
    const transformer = new PrefixTransformers(list);
    names.forEach((r: unknown, j) => {
      if (typeof r !== 'string' || r === '') return errors.push(`${path}.resources[${j}]: Required value: resource name missing`);
      const key = r.toLowerCase();
      if (!byResource.has(key)) byResource.set(key, transformer);
    });
  });
  if (errors.length > 0) throw new Error(`error while parsing encryption provider configuration: ${errors.join(', ')}`);
  return (group, resource) =>
    byResource.get(group ? `${resource}.${group}` : resource) ?? byResource.get(`*.${group}`) ?? byResource.get('*.*');
}

/** Loads `--encryption-provider-config`. */
export async function loadEncryptionConfiguration(path: string): Promise<TransformerFor> {
  return parseEncryptionConfiguration(await readFile(path, 'utf8'));
}
