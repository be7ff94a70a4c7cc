/**
 * Watch streams for the benchmark: each watcher holds its own HTTPS connection to
 * `GET …?watch=1`, splits the newline-delimited JSON events and reports (type, name) per event.
 * The name is read with a cheap scan of `"metadata":{…"name":"…"` so that the client's own
 * JSON parsing does not dominate the measurement.
 */
import { request } from 'node:https';
import type { ClientRequest } from 'node:http';
import type { TlsCredentials } from './https-client.js';

export interface WatchEvent {
  type: string;
  name: string;
}

export interface Watcher {
  /** Events received so far. */
  readonly received: number;
  close(): void;
}

const TYPE = /^\{"type":"([A-Z]+)"/;
const NAME = /"name":"([^"]*)"/g;

/** Extracts the event type and metadata.name from one watch event line. */
export function scanEvent(line: string): WatchEvent | undefined {
  const type = TYPE.exec(line)?.[1];
  if (type === undefined) return parseEvent(line);
  const meta = line.indexOf('"metadata":{');
  NAME.lastIndex = Math.max(meta, 0);
  const name = NAME.exec(line)?.[1] ?? '';
  return { type, name };
}

/** Extracts the event type and metadata.name with JSON.parse. */
export function parseEvent(line: string): WatchEvent | undefined {
  try {
    const ev = JSON.parse(line) as { type?: string; object?: { metadata?: { name?: string } } };
    return ev.type ? { type: ev.type, name: ev.object?.metadata?.name ?? '' } : undefined;
  } catch {
    return undefined;
  }
}

export interface OpenWatcherOptions {
  host: string;
  port: number;
  path: string;
  tls: TlsCredentials;
  onEvent: (ev: WatchEvent) => void;
  /** Parse each event with JSON.parse instead of the cheap scan (exact metadata.name). */
  exact?: boolean;
  /** Called once when the stream ends or fails after it was opened. */
  onEnd?: () => void;
}

/** Opens one watch and resolves once the response headers arrived (the watch is registered). */
export function openWatcher(options: OpenWatcherOptions): Promise<Watcher> {
  return new Promise((resolve, reject) => {
    let received = 0;
    let req: ClientRequest | undefined;
    const watcher: Watcher = {
      get received() {
        return received;
      },
      close: () => req?.destroy(),
    };
    req = request(
      {
        host: options.host,
        port: options.port,
        path: options.path,
        method: 'GET',
        headers: { Accept: 'application/json' },
        agent: false,
        ca: options.tls.caPem,
        cert: options.tls.certPem,
        key: options.tls.keyPem,
      },
      (res) => {
        if (res.statusCode !== 200) {
          res.resume();
          reject(new Error(`watch ${options.path}: HTTP ${res.statusCode}`));
          return;
        }
        res.setEncoding('utf8');
        let pending = '';
        res.on('data', (chunk: string) => {
          pending += chunk;
          let nl = pending.indexOf('\n');
          while (nl >= 0) {
            const line = pending.slice(0, nl);
            const ev = options.exact ? parseEvent(line) : scanEvent(line);
            pending = pending.slice(nl + 1);
            if (ev && ev.type !== 'BOOKMARK') {
              received++;
              options.onEvent(ev);
            }
            nl = pending.indexOf('\n');
          }
        });
        let ended = false;
        const end = (): void => {
          if (ended) return;
          ended = true;
          options.onEnd?.();
        };
        res.on('end', end);
        res.on('close', end);
        res.on('error', end);
        resolve(watcher);
      },
    );
    req.on('error', (err) => reject(err));
    req.end();
  });
}
