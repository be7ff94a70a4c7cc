/**
 * Lists and watches of configmaps over real HTTPS against a `k8ts server` process: paging,
 * resourceVersion semantics, event order, bookmarks, selectors, 410 Expired, Table watches and
 * watch-list (sendInitialEvents). Needs `npx tsc -p tsconfig.json` first.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:https';
import { startServer, type TestServer } from './support/server.js';
import { ApiClient, readKubeconfig, type KubeconfigTLS } from './support/http.js';

// bookmarks every 300 ms instead of upstream's minute (read once by the server at start)
process.env['K8TS_WATCH_BOOKMARK_INTERVAL_MS'] = '300';

let server: TestServer;
let api: ApiClient;
let tls: KubeconfigTLS;
const NS = 'default';
const CM = `/api/v1/namespaces/${NS}/configmaps`;

interface Meta {
  name?: string;
  resourceVersion?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}
interface Obj {
  kind?: string;
  apiVersion?: string;
  metadata: Meta;
  data?: Record<string, string>;
  rows?: { cells: unknown[]; object?: Obj }[];
  columnDefinitions?: unknown[];
  code?: number;
  reason?: string;
  message?: string;
}
interface ListBody {
  kind: string;
  metadata: { resourceVersion: string; continue?: string; remainingItemCount?: number };
  items: Obj[];
}
interface Event {
  type: string;
  object: Obj;
}

// the API server alone: controllers write objects of their own (the root CA publisher puts
// kube-root-ca.crt in every namespace), and these tests count every ConfigMap they list and watch
const SERVER_ARGS = ['--disable-controllers'];

before(async () => {
  server = await startServer({ args: SERVER_ARGS });
  api = new ApiClient(server.kubeconfig);
  tls = readKubeconfig(server.kubeconfig);
});

after(async () => {
  api?.close();
  await server?.stop();
  await server?.cleanup();
});

/** A streaming watch: events as they arrive, and whether the server ended the stream. */
class WatchStream {
  readonly events: Event[] = [];
  status = 0;
  contentType = '';
  ended = false;
  #waiters: (() => void)[] = [];
  #destroy: () => void = () => {};
  readonly ready: Promise<void>;

  constructor(path: string, headers: Record<string, string> = {}) {
    const url = new URL(path, tls.server);
    this.ready = new Promise((resolve, reject) => {
      const req = request(
        url,
        { method: 'GET', ca: tls.ca, cert: tls.cert, key: tls.key, headers: { Accept: 'application/json', ...headers } },
        (res) => {
          this.status = res.statusCode ?? 0;
          this.contentType = String(res.headers['content-type'] ?? '');
          let buf = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => {
            buf += chunk;
            let i: number;
            while ((i = buf.indexOf('\n')) >= 0) {
              const line = buf.slice(0, i);
              buf = buf.slice(i + 1);
              if (line.trim() !== '') this.events.push(JSON.parse(line) as Event);
            }
            this.#wake();
          });
          res.on('end', () => {
            if (buf.trim() !== '' && this.status !== 200) this.events.push({ type: 'HTTP', object: JSON.parse(buf) as Obj });
            this.ended = true;
            this.#wake();
          });
          res.on('error', () => {
            this.ended = true;
            this.#wake();
          });
          resolve();
        },
      );
      req.on('error', reject);
      req.end();
      this.#destroy = () => req.destroy();
    });
  }

  #wake(): void {
    for (const w of this.#waiters.splice(0)) w();
  }

  /** Waits until `pred` holds for the events so far (or the stream ends, or `ms` pass). */
  async until(pred: (events: Event[]) => boolean, ms = 5000): Promise<Event[]> {
    const deadline = Date.now() + ms;
    while (!pred(this.events)) {
      if (this.ended) throw new Error(`stream ended; events: ${JSON.stringify(this.events.map(brief))}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out; events: ${JSON.stringify(this.events.map(brief))}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.#waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
    return this.events;
  }

  async untilEnded(ms = 5000): Promise<void> {
    const deadline = Date.now() + ms;
    while (!this.ended) {
      if (Date.now() > deadline) throw new Error('stream did not end');
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, 100);
        this.#waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  /** Events other than bookmarks, as "TYPE name". */
  changes(): string[] {
    return this.events.filter((e) => e.type !== 'BOOKMARK').map(brief);
  }

  close(): void {
    this.#destroy();
  }
}

const brief = (e: Event): string => `${e.type} ${e.object.metadata?.name ?? e.object.rows?.[0]?.object?.metadata.name ?? ''}`.trim();

async function watch(path: string, headers: Record<string, string> = {}): Promise<WatchStream> {
  const w = new WatchStream(path, headers);
  await w.ready;
  return w;
}

async function createCM(name: string, labels: Record<string, string> = {}, data: Record<string, string> = {}, ns = NS): Promise<Obj> {
  const res = await api.request('POST', `/api/v1/namespaces/${ns}/configmaps`, {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name, labels },
    data,
  });
  assert.equal(res.status, 201, res.body);
  return res.json<Obj>();
}

async function list(query: string, ns = NS): Promise<ListBody> {
  const res = await api.request('GET', `/api/v1/namespaces/${ns}/configmaps?${query}`);
  assert.equal(res.status, 200, res.body);
  return res.json<ListBody>();
}

/** A namespace of its own per test, so tests do not see each other's configmaps. */
async function namespace(name: string): Promise<string> {
  const res = await api.request('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  assert.equal(res.status, 201, res.body);
  return name;
}

describe('list', () => {
  it('pages 7 configmaps with limit=2 and continue, at one resourceVersion', async () => {
    const ns = await namespace('paging');
    for (let i = 0; i < 7; i++) await createCM(`cm-${i}`, {}, {}, ns);
    const seen: string[] = [];
    const counts: (number | undefined)[] = [];
    let cont: string | undefined;
    let rv: string | undefined;
    let pages = 0;
    do {
      const page = await list(`limit=2${cont ? `&continue=${encodeURIComponent(cont)}` : ''}`, ns);
      pages++;
      assert.ok(page.items.length <= 2);
      rv ??= page.metadata.resourceVersion;
      assert.equal(page.metadata.resourceVersion, rv, "every page at the first page's revision");
      seen.push(...page.items.map((o) => o.metadata.name ?? ''));
      counts.push(page.metadata.remainingItemCount);
      cont = page.metadata.continue;
      if (pages === 1) await createCM('cm-late', {}, {}, ns); // not visible to later pages
    } while (cont);
    assert.equal(pages, 4);
    assert.deepEqual(seen, ['cm-0', 'cm-1', 'cm-2', 'cm-3', 'cm-4', 'cm-5', 'cm-6']);
    assert.deepEqual(counts, [5, 3, 1, undefined]);
  });

  it('resourceVersion=0 (any) and unset (most recent) both list from the cache', async () => {
    const ns = await namespace('rv-semantics');
    const created = await createCM('one', {}, {}, ns);
    const recent = await list('', ns);
    const any = await list('resourceVersion=0', ns);
    assert.deepEqual(
      recent.items.map((o) => o.metadata.name),
      ['one'],
    );
    assert.deepEqual(
      any.items.map((o) => o.metadata.name),
      ['one'],
    );
    assert.equal(recent.kind, 'ConfigMapList');
    assert.ok(Number(recent.metadata.resourceVersion) >= Number(created.metadata.resourceVersion));
    assert.ok(Number(any.metadata.resourceVersion) >= Number(created.metadata.resourceVersion));
    const exact = await list(`resourceVersion=${created.metadata.resourceVersion}&resourceVersionMatch=Exact`, ns);
    assert.equal(exact.metadata.resourceVersion, created.metadata.resourceVersion);
    const bad = await api.request('GET', `/api/v1/namespaces/${ns}/configmaps?resourceVersionMatch=Exact`);
    assert.equal(bad.status, 422, bad.body);
    assert.match(bad.json<Obj>().message ?? '', /resourceVersionMatch is forbidden unless resourceVersion is provided/);
  });
});

describe('watch', () => {
  it('from a list resourceVersion: ADDED, MODIFIED, DELETED in order as newline-delimited JSON', async () => {
    const ns = await namespace('order');
    const rv = (await list('', ns)).metadata.resourceVersion;
    const w = await watch(`/api/v1/namespaces/${ns}/configmaps?watch=true&resourceVersion=${rv}`);
    assert.equal(w.status, 200);
    assert.match(w.contentType, /^application\/json/);
    const res = await api.request('POST', `/api/v1/namespaces/${ns}/configmaps`, {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'x' },
    });
    assert.equal(res.status, 201);
    await api.request(
      'PATCH',
      `/api/v1/namespaces/${ns}/configmaps/x`,
      { data: { k: 'v' } },
      { 'Content-Type': 'application/merge-patch+json' },
    );
    await api.request('DELETE', `/api/v1/namespaces/${ns}/configmaps/x`);
    const events = await w.until((e) => e.length >= 3);
    assert.deepEqual(events.map(brief), ['ADDED x', 'MODIFIED x', 'DELETED x']);
    assert.deepEqual(events[1]?.object.data, { k: 'v' });
    const rvs = events.map((e) => Number(e.object.metadata.resourceVersion));
    assert.ok(rvs[0]! < rvs[1]! && rvs[1]! < rvs[2]!, `increasing resourceVersions ${rvs.join(',')}`);
    w.close();
  });

  it('watch is read as upstream reads a bool parameter: watch=True and a bare ?watch start a watch, watch=FALSE lists', async () => {
    // the Python client sends watch=True; upstream's Convert_Slice_string_To_bool is false only for "0" and "false" (any case)
    const ns = await namespace('boolwatch');
    const rv = (await list('', ns)).metadata.resourceVersion;
    const upper = await watch(`/api/v1/namespaces/${ns}/configmaps?watch=True&resourceVersion=${rv}`);
    const bare = await watch(`/api/v1/namespaces/${ns}/configmaps?watch&resourceVersion=${rv}`);
    assert.equal(upper.status, 200);
    assert.equal(bare.status, 200);
    await createCM('w', {}, {}, ns);
    assert.deepEqual((await upper.until((e) => e.length >= 1)).map(brief), ['ADDED w']);
    assert.deepEqual((await bare.until((e) => e.length >= 1)).map(brief), ['ADDED w']);
    upper.close();
    bare.close();
    const listed = await list('watch=FALSE', ns);
    assert.equal(listed.kind, 'ConfigMapList');
    assert.deepEqual(
      listed.items.map((i) => i.metadata.name),
      ['w'],
    );
  });

  it('allowWatchBookmarks sends BOOKMARKs; timeoutSeconds=1 ends the stream with a final bookmark', async () => {
    const w = await watch(
      `${CM}?watch=true&allowWatchBookmarks=true&timeoutSeconds=1&resourceVersion=${(await list('')).metadata.resourceVersion}`,
    );
    await w.untilEnded(4000);
    const bookmarks = w.events.filter((e) => e.type === 'BOOKMARK');
    assert.ok(bookmarks.length >= 2, `periodic bookmarks and a final one, got ${bookmarks.length}`);
    const last = w.events[w.events.length - 1];
    assert.equal(last?.type, 'BOOKMARK');
    assert.equal(last?.object.kind, 'ConfigMap');
    assert.equal(last?.object.apiVersion, 'v1');
    assert.match(last?.object.metadata.resourceVersion ?? '', /^\d+$/);
  });

  it('with labelSelector: DELETED when the label stops matching, ADDED when it matches again', async () => {
    const ns = await namespace('selector');
    await createCM('l', { app: 'web' }, {}, ns);
    const rv = (await list('', ns)).metadata.resourceVersion;
    const w = await watch(`/api/v1/namespaces/${ns}/configmaps?watch=true&labelSelector=app%3Dweb&resourceVersion=${rv}`);
    const path = `/api/v1/namespaces/${ns}/configmaps/l`;
    const merge = { 'Content-Type': 'application/merge-patch+json' };
    await api.request('PATCH', path, { data: { a: '1' } }, merge);
    await api.request('PATCH', path, { metadata: { labels: { app: 'db' } } }, merge);
    await api.request('PATCH', path, { data: { a: '2' } }, merge); // not matching: nothing
    await api.request('PATCH', path, { metadata: { labels: { app: 'web' } } }, merge);
    const events = await w.until((e) => e.length >= 3);
    assert.deepEqual(events.map(brief), ['MODIFIED l', 'DELETED l', 'ADDED l']);
    assert.deepEqual(events[1]?.object.metadata.labels, { app: 'web' }, 'DELETED carries the last matching state');
    assert.deepEqual(events[2]?.object.data, { a: '2' });
    w.close();
  });

  it('fieldSelector=metadata.name=x sees only x', async () => {
    const ns = await namespace('fieldsel');
    const rv = (await list('', ns)).metadata.resourceVersion;
    const w = await watch(`/api/v1/namespaces/${ns}/configmaps?watch=true&fieldSelector=metadata.name%3Dx&resourceVersion=${rv}`);
    await createCM('y', {}, {}, ns);
    await createCM('x', {}, {}, ns);
    await createCM('z', {}, {}, ns);
    await api.request('DELETE', `/api/v1/namespaces/${ns}/configmaps/x`);
    await w.until((e) => e.length >= 2);
    await new Promise((r) => setTimeout(r, 200));
    assert.deepEqual(w.changes(), ['ADDED x', 'DELETED x']);
    w.close();
  });

  it('resourceVersion=0 starts with synthetic ADDED events for the current state', async () => {
    const ns = await namespace('synthetic');
    await createCM('s1', {}, {}, ns);
    await createCM('s2', {}, {}, ns);
    const w = await watch(`/api/v1/namespaces/${ns}/configmaps?watch=true&resourceVersion=0`);
    await w.until((e) => e.length >= 2);
    await createCM('s3', {}, {}, ns);
    await w.until((e) => e.length >= 3);
    assert.deepEqual(w.changes(), ['ADDED s1', 'ADDED s2', 'ADDED s3']);
    w.close();
  });

  it('Table watch: each event carries a one-row Table', async () => {
    const ns = await namespace('table');
    const rv = (await list('', ns)).metadata.resourceVersion;
    const w = await watch(`/api/v1/namespaces/${ns}/configmaps?watch=true&resourceVersion=${rv}`, {
      Accept: 'application/json;as=Table;v=v1;g=meta.k8s.io',
    });
    assert.match(w.contentType, /as=Table/);
    await createCM('t', {}, { a: 'b' }, ns);
    const [ev] = await w.until((e) => e.length >= 1);
    assert.equal(ev?.type, 'ADDED');
    assert.equal(ev?.object.kind, 'Table');
    assert.equal(ev?.object.apiVersion, 'meta.k8s.io/v1');
    assert.equal(ev?.object.rows?.length, 1);
    assert.equal(ev?.object.rows?.[0]?.cells[0], 't');
    assert.equal(ev?.object.rows?.[0]?.object?.kind, 'PartialObjectMetadata');
    assert.ok((ev?.object.columnDefinitions?.length ?? 0) > 0);
    w.close();
  });

  it('sendInitialEvents=true: the initial state, then a bookmark annotated k8s.io/initial-events-end', async () => {
    const ns = await namespace('watchlist');
    await createCM('w1', {}, {}, ns);
    await createCM('w2', {}, {}, ns);
    const w = await watch(
      `/api/v1/namespaces/${ns}/configmaps?watch=true&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true`,
    );
    const events = await w.until((e) => e.some((x) => x.type === 'BOOKMARK'));
    const end = events.findIndex((e) => e.type === 'BOOKMARK');
    assert.deepEqual(events.slice(0, end).map(brief), ['ADDED w1', 'ADDED w2']);
    const bm = events[end]?.object;
    assert.equal(bm?.metadata.annotations?.['k8s.io/initial-events-end'], 'true');
    assert.match(bm?.metadata.resourceVersion ?? '', /^\d+$/);
    await createCM('w3', {}, {}, ns);
    await w.until((e) => e.some((x) => x.type === 'ADDED' && x.object.metadata.name === 'w3'));
    w.close();
    const bad = await api.request('GET', `/api/v1/namespaces/${ns}/configmaps?watch=true&sendInitialEvents=true`);
    assert.equal(bad.status, 422, bad.body);
    assert.match(bad.json<Obj>().message ?? '', /sendInitialEvents requires setting resourceVersionMatch to NotOlderThan/);
  });
});

describe('watch after a restart', () => {
  it('a resourceVersion older than the cache window gets one ERROR 410 Expired, then the stream closes', async () => {
    const ns = await namespace('expired');
    const old = await createCM('before', {}, {}, ns);
    // a write to another resource type moves the revision past the configmap's
    const sec = await api.request('POST', `/api/v1/namespaces/${ns}/secrets`, {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 's' },
    });
    assert.equal(sec.status, 201, sec.body);
    api.close();
    await server.stop();
    server = await startServer({ dataDir: server.dataDir, args: SERVER_ARGS });
    api = new ApiClient(server.kubeconfig);
    tls = readKubeconfig(server.kubeconfig);
    const w = await watch(`/api/v1/namespaces/${ns}/configmaps?watch=true&resourceVersion=${old.metadata.resourceVersion}`);
    await w.untilEnded();
    assert.equal(w.status, 200);
    assert.equal(w.events.length, 1, JSON.stringify(w.events));
    const [ev] = w.events;
    assert.equal(ev?.type, 'ERROR');
    assert.equal(ev?.object.kind, 'Status');
    assert.equal(ev?.object.code, 410);
    assert.equal(ev?.object.reason, 'Expired');
    assert.match(ev?.object.message ?? '', new RegExp(`^too old resource version: ${old.metadata.resourceVersion} \\(\\d+\\)$`));
    // the list resourceVersion after the restart is a valid starting point
    const rv = (await list('', ns)).metadata.resourceVersion;
    const ok = await watch(`/api/v1/namespaces/${ns}/configmaps?watch=true&resourceVersion=${rv}`);
    await createCM('after', {}, {}, ns);
    await ok.until((e) => e.length >= 1);
    assert.deepEqual(ok.changes(), ['ADDED after']);
    ok.close();
  });
});
