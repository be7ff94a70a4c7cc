/**
 * --token-auth-file: a CSV file of static bearer tokens, one a line:
 * `token,user,uid,"group1,group2"` (the groups column optional), as kube-apiserver reads it
 * (k8s.io/apiserver plugin/pkg/authenticator/token/tokenfile). Read once at start.
 */
import { readFile } from 'node:fs/promises';
import type { UserInfo } from '../registry/context.js';

/** Splits CSV text into records (RFC 4180 quoting, as Go's encoding/csv). */
export function parseCSV(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  let blank = true;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
      continue;
    }
    if (c === '"' && field === '') {
      quoted = true;
      blank = false;
    } else if (c === ',') {
      record.push(field);
      field = '';
      blank = false;
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      if (!blank || field !== '') records.push([...record, field]);
      record = [];
      field = '';
      blank = true;
    } else {
      field += c;
      blank = false;
    }
  }
  if (quoted) throw new Error('extraneous or missing " in quoted-field');
  if (!blank || field !== '') records.push([...record, field]);
  return records;
}

/** The users of a token file's text; `path` names the file in errors. */
export function parseTokenFile(text: string, path: string): Map<string, UserInfo> {
  const tokens = new Map<string, UserInfo>();
  for (const record of parseCSV(text)) {
    if (record.length < 3) {
      throw new Error(`token file '${path}' must have at least 3 columns (token, user name, user uid), found ${record.length}`);
    }
    const [token, name, uid, groups] = record as [string, string, string, string | undefined];
    if (token === '') continue;
    tokens.set(token, { name, uid, groups: groups === undefined ? [] : groups.split(',') });
  }
  return tokens;
}

export class StaticTokenAuthenticator {
  readonly #tokens: Map<string, UserInfo>;

  constructor(options: { tokens: Map<string, UserInfo> }) {
    this.#tokens = options.tokens;
  }

  static async fromFile(path: string): Promise<StaticTokenAuthenticator> {
    return new StaticTokenAuthenticator({ tokens: parseTokenFile(await readFile(path, 'utf8'), path) });
  }

  /** A map lookup, as upstream's tokenfile authenticator. */
  async authenticateToken(token: string): Promise<UserInfo | undefined> {
    const user = this.#tokens.get(token);
    return user ? { ...user, groups: [...user.groups] } : undefined;
  }
}
