import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { newForbidden, newNotFound, StatusError } from '../../machinery/errors.js';
import { requestAttributes } from '../authz/attributes.js';
import { readBody } from '../http/body.js';
import { sendError, sendJSON } from '../http/respond.js';
import { parseRequestInfo } from '../request-info.js';
import type { AuditEvent, AuditSink } from './interface.js';
import { eventLine } from './event-fields.js';
import { parsePolicy } from './policy.js';
import { Auditor, auditAnnotator, type RequestAudit } from './request-audit.js';

const events: AuditEvent[] = [];
// through the log line, as the log backend writes it
const sink: AuditSink = { processEvent: (e) => events.push(JSON.parse(eventLine(e)) as AuditEvent), close: async () => undefined };
const auditor = new Auditor({
  sink,
  policy: parsePolicy(`
apiVersion: audit.k8s.io/v1
kind: Policy
rules:
  - level: None
    users: [quiet]
  - level: Request
    omitManagedFields: true
    verbs: [create]
  - level: RequestResponse
`),
});

const ALICE = { name: 'alice', groups: ['system:authenticated'] };
const BOB = { name: 'bob', groups: ['dev', 'system:authenticated'], uid: 'b1' };

async function handle(req: IncomingMessage, res: ServerResponse, audit: RequestAudit): Promise<void> {
  const info = parseRequestInfo(req.method ?? 'GET', new URL(req.url ?? '/', 'http://localhost'));
  if (req.headers.authorization === 'Bearer bad') {
    throw new StatusError({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'Unauthorized',
      reason: 'Unauthorized',
      code: 401,
    });
  }
  const user = req.headers['x-user'] === 'quiet' ? { name: 'quiet', groups: [] } : ALICE;
  const impersonating = req.headers['x-impersonate'];
  if (impersonating) {
    audit.authenticated(user);
    if (impersonating === 'refused') throw newForbidden({ group: '', resource: 'users' }, 'bob', 'no');
    audit.impersonated(BOB);
  }
  audit.authorized(requestAttributes(impersonating ? BOB : user, info), { allowed: true, reason: 'RBAC: allowed' });
  if (req.headers['x-annotate']) {
    auditAnnotator(req)?.('example.k8s.io/a', 'first');
    auditAnnotator(req)?.('example.k8s.io/a', 'second');
  }
  if (info.verb === 'create') {
    const body = JSON.parse((await readBody(req)).toString()) as Record<string, unknown>;
    sendJSON(res, 201, { ...body, metadata: { ...(body.metadata as object), uid: 'u1' } });
  } else if (info.verb === 'watch') {
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.write('{"type":"ADDED","object":{}}\n');
    setTimeout(() => res.end(), 20);
  } else if (info.name === 'missing') throw newNotFound({ group: '', resource: 'configmaps' }, 'missing');
  else if (info.name === 'boom') throw new Error('boom');
  else sendJSON(res, 200, { kind: 'ConfigMap', apiVersion: 'v1', metadata: { name: info.name, managedFields: [{}] }, data: { a: 'b' } });
}

let server: Server;
let port: number;

function call(
  method: string,
  path: string,
  headers: Record<string, string> = {},
  body?: string,
): Promise<{ status: number; auditID: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path, headers: { 'content-type': 'application/json', ...headers } }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, auditID: String(res.headers['audit-id']) }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

async function eventsOf(auditID: string, count: number): Promise<AuditEvent[]> {
  for (let i = 0; i < 100 && events.filter((e) => e.auditID === auditID).length < count; i++) await new Promise((r) => setTimeout(r, 10));
  return events.filter((e) => e.auditID === auditID);
}

before(async () => {
  server = createServer((req, res) => {
    const info = parseRequestInfo(req.method ?? 'GET', new URL(req.url ?? '/', 'http://localhost'));
    const audit = auditor.begin({ req, res, info });
    handle(req, res, audit).catch((err: unknown) => {
      audit.failed(err);
      sendError(res, err);
    });
  });
  server.on('upgrade', (req: IncomingMessage, socket: Duplex) => {
    const info = parseRequestInfo(req.method ?? 'GET', new URL(req.url ?? '/', 'http://localhost'));
    const audit = auditor.begin({ req, socket, info });
    audit.authorized(requestAttributes(ALICE, info), { allowed: true, reason: '' });
    socket.write('HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: test\r\n\r\n');
    socket.end('bye');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
});

after(() => new Promise<void>((r) => server.close(() => r())));

describe('auditing a request', () => {
  it('writes RequestReceived and ResponseComplete with the response object and the Audit-ID header', async () => {
    const r = await call('GET', '/api/v1/namespaces/default/configmaps/c1');
    assert.match(r.auditID, /^[0-9a-f-]{36}$/);
    const [received, complete] = await eventsOf(r.auditID, 2);
    assert.equal(received?.stage, 'RequestReceived');
    assert.equal(received?.responseObject, undefined);
    assert.equal(received?.annotations, undefined);
    assert.equal(complete?.stage, 'ResponseComplete');
    assert.equal(complete?.level, 'RequestResponse');
    assert.deepEqual(complete?.objectRef, { resource: 'configmaps', namespace: 'default', name: 'c1', apiVersion: 'v1' });
    assert.deepEqual(complete?.responseStatus, { metadata: {}, code: 200 });
    assert.deepEqual((complete?.responseObject as { data?: unknown } | undefined)?.data, { a: 'b' });
    assert.deepEqual(complete?.annotations, { 'authorization.k8s.io/decision': 'allow', 'authorization.k8s.io/reason': 'RBAC: allowed' });
    assert.deepEqual(complete?.sourceIPs, ['127.0.0.1']);
  });

  it("keeps a client's Audit-ID", async () => {
    const r = await call('GET', '/api/v1/namespaces/default/configmaps/c1', { 'Audit-ID': 'mine-1' });
    assert.equal(r.auditID, 'mine-1');
    assert.equal((await eventsOf('mine-1', 2)).length, 2);
  });

  it('at Request keeps the request object, its managedFields left out, and names the created object', async () => {
    const body = JSON.stringify({ kind: 'ConfigMap', apiVersion: 'v1', metadata: { name: 'made', managedFields: [{}] }, data: { k: 'v' } });
    const r = await call('POST', '/api/v1/namespaces/default/configmaps', {}, body);
    assert.equal(r.status, 201);
    const [, complete] = await eventsOf(r.auditID, 2);
    assert.equal(complete?.level, 'Request');
    assert.equal(complete?.objectRef?.name, 'made');
    assert.deepEqual(complete?.requestObject, { kind: 'ConfigMap', apiVersion: 'v1', metadata: { name: 'made' }, data: { k: 'v' } });
    assert.equal(complete?.responseObject, undefined);
  });

  it('copies a failure Status into responseStatus', async () => {
    const r = await call('GET', '/api/v1/namespaces/default/configmaps/missing');
    const [, complete] = await eventsOf(r.auditID, 2);
    assert.equal(complete?.responseStatus?.code, 404);
    assert.equal(complete?.responseStatus?.reason, 'NotFound');
    assert.equal(complete?.responseStatus?.message, 'configmaps "missing" not found');
  });

  it('writes Panic for a failure that is not a Status', async () => {
    const r = await call('GET', '/api/v1/namespaces/default/configmaps/boom');
    const stages = (await eventsOf(r.auditID, 2)).map((e) => [e.stage, e.responseStatus?.code]);
    assert.deepEqual(stages, [
      ['RequestReceived', undefined],
      ['Panic', 500],
    ]);
  });

  it('writes ResponseStarted for a watch and leaves its stream out', async () => {
    const r = await call('GET', '/api/v1/namespaces/default/configmaps?watch=true');
    const all = await eventsOf(r.auditID, 3);
    assert.deepEqual(
      all.map((e) => [e.stage, e.verb, e.responseStatus?.code]),
      [
        ['RequestReceived', 'watch', undefined],
        ['ResponseStarted', 'watch', 200],
        ['ResponseComplete', 'watch', 200],
      ],
    );
    assert.equal(all[2]?.responseObject, undefined);
  });

  it('writes one ResponseStarted without a user for a failed authentication', async () => {
    const r = await call('GET', '/api/v1/namespaces/default/configmaps', { authorization: 'Bearer bad' });
    assert.equal(r.status, 401);
    const all = await eventsOf(r.auditID, 1);
    await new Promise((res) => setTimeout(res, 30));
    assert.deepEqual(
      events.filter((e) => e.auditID === r.auditID).map((e) => [e.stage, e.responseStatus?.code, e.user]),
      [['ResponseStarted', 401, {}]],
    );
    assert.equal(all[0]?.annotations, undefined);
    assert.equal(all[0]?.responseStatus?.message, 'Authentication failed, attempted: bearer');
  });

  it('writes ResponseStarted with the 101 of an upgrade, and ResponseComplete when it closes', async () => {
    await new Promise<void>((resolve, reject) => {
      const req = request({
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: '/api/v1/namespaces/default/pods/p/exec?command=sh',
        headers: { Connection: 'Upgrade', Upgrade: 'test', 'Audit-ID': 'exec-1' },
      });
      req.on('upgrade', (_res, socket) => {
        socket.resume();
        socket.on('end', () => resolve());
      });
      req.on('error', reject);
      req.end();
    });
    const all = await eventsOf('exec-1', 3);
    assert.deepEqual(
      all.map((e) => [e.stage, e.verb, e.objectRef?.subresource, e.responseStatus?.code]),
      [
        ['RequestReceived', 'create', 'exec', undefined],
        ['ResponseStarted', 'create', 'exec', 101],
        ['ResponseComplete', 'create', 'exec', 101],
      ],
    );
  });

  it('names the authenticated user and the impersonated one; a refused impersonation is the requestor’s', async () => {
    const r = await call('GET', '/api/v1/namespaces/default/configmaps/c1', { 'x-impersonate': 'bob' });
    const all = await eventsOf(r.auditID, 2);
    assert.deepEqual(
      all.map((e) => [e.stage, e.user.username, e.impersonatedUser]),
      [
        ['RequestReceived', 'alice', { username: 'bob', uid: 'b1', groups: ['dev', 'system:authenticated'] }],
        ['ResponseComplete', 'alice', { username: 'bob', uid: 'b1', groups: ['dev', 'system:authenticated'] }],
      ],
    );
    // the policy matches the authenticated user: quiet impersonating bob is not written
    const quiet = await call('GET', '/api/v1/namespaces/default/configmaps/c1', { 'x-user': 'quiet', 'x-impersonate': 'bob' });
    const refused = await call('GET', '/api/v1/namespaces/default/configmaps/c1', { 'x-impersonate': 'refused' });
    assert.equal(refused.status, 403);
    const denied = await eventsOf(refused.auditID, 2);
    assert.deepEqual(
      denied.map((e) => [e.stage, e.user.username, e.impersonatedUser, e.responseStatus?.code, e.annotations]),
      [
        ['RequestReceived', 'alice', undefined, undefined, undefined],
        ['ResponseComplete', 'alice', undefined, 403, undefined],
      ],
    );
    assert.equal(events.filter((e) => e.auditID === quiet.auditID).length, 0);
  });

  it('carries annotations added while handling (admission) into the later stages, the first value of a key kept', async () => {
    const r = await call('GET', '/api/v1/namespaces/default/configmaps/c1', { 'x-annotate': 'yes' });
    const [received, complete] = await eventsOf(r.auditID, 2);
    assert.equal(received?.annotations?.['example.k8s.io/a'], undefined);
    assert.equal(complete?.annotations?.['example.k8s.io/a'], 'first');
    assert.equal(complete?.annotations?.['authorization.k8s.io/decision'], 'allow');
  });

  it('writes nothing at level None', async () => {
    const r = await call('GET', '/api/v1/namespaces/default/configmaps/c1', { 'x-user': 'quiet' });
    assert.equal(r.status, 200);
    await new Promise((res) => setTimeout(res, 30));
    assert.equal(events.filter((e) => e.auditID === r.auditID).length, 0);
  });
});
