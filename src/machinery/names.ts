/**
 * Object names: generateName suffixes (k8s.io/apiserver/pkg/storage/names) and the per-kind name
 * validators (k8s.io/apimachinery/pkg/api/validation, .../validation/path).
 */
import { randomInt } from 'node:crypto';
import { isDNS1035Label, isDNS1123Label, isDNS1123Subdomain } from './validation/formats.js';

/** utilrand's alphabet: no vowels (no words) and no confusable characters. */
export const NAME_SUFFIX_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';
export const GENERATED_SUFFIX_LENGTH = 5;
const MAX_NAME_LENGTH = 63;
const MAX_GENERATED_BASE_LENGTH = MAX_NAME_LENGTH - GENERATED_SUFFIX_LENGTH;

/** utilrand.String(n). */
export function randomNameSuffix(n = GENERATED_SUFFIX_LENGTH, random: (max: number) => number = randomInt): string {
  let out = '';
  for (let i = 0; i < n; i++) out += NAME_SUFFIX_ALPHABET[random(NAME_SUFFIX_ALPHABET.length)] ?? 'b';
  return out;
}

/** SimpleNameGenerator.GenerateName: base cut to 58 characters, then 5 random characters. */
export function generateName(base: string, random?: (max: number) => number): string {
  const b = base.length > MAX_GENERATED_BASE_LENGTH ? base.slice(0, MAX_GENERATED_BASE_LENGTH) : base;
  return b + randomNameSuffix(GENERATED_SUFFIX_LENGTH, random);
}

/**
 * Validates a name for a kind. `prefix` is true when the value is a generateName prefix that a
 * suffix will be appended to. Returns upstream's messages, empty when valid.
 */
export type ValidateNameFunc = (name: string, prefix: boolean) => string[];

/** A prefix may end in '-': upstream swaps the last two characters for 'a' before checking. */
export function maskTrailingDash(name: string): string {
  return name.length > 1 && name.endsWith('-') ? `${name.slice(0, -2)}a` : name;
}

export const nameIsDNSSubdomain: ValidateNameFunc = (name, prefix) => isDNS1123Subdomain(prefix ? maskTrailingDash(name) : name);

export const nameIsDNSLabel: ValidateNameFunc = (name, prefix) => isDNS1123Label(prefix ? maskTrailingDash(name) : name);

export const nameIsDNS1035Label: ValidateNameFunc = (name, prefix) => isDNS1035Label(prefix ? maskTrailingDash(name) : name);

export const validateNamespaceName: ValidateNameFunc = nameIsDNSLabel;
export const validateServiceAccountName: ValidateNameFunc = nameIsDNSSubdomain;

const NAME_MAY_NOT_BE = ['.', '..'];
const NAME_MAY_NOT_CONTAIN = ['/', '%'];

/** path.IsValidPathSegmentName: a name that is safe as a URL path segment and storage key. */
export function isValidPathSegmentName(name: string): string[] {
  for (const bad of NAME_MAY_NOT_BE) if (name === bad) return [`may not be '${bad}'`];
  return isValidPathSegmentPrefix(name);
}

export function isValidPathSegmentPrefix(name: string): string[] {
  return NAME_MAY_NOT_CONTAIN.filter((bad) => name.includes(bad)).map((bad) => `may not contain '${bad}'`);
}

/** path.ValidatePathSegmentName: the name validator of RBAC kinds and others with free-form names. */
export const validatePathSegmentName: ValidateNameFunc = (name, prefix) =>
  prefix ? isValidPathSegmentPrefix(name) : isValidPathSegmentName(name);
