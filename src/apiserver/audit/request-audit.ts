/**
 * Auditing one request (upstream endpoints/filters/audit.go): the Audit-ID header; after
 * authorization the policy picks the level and RequestReceived is written; long-running requests
 * (watch, exec, attach, portforward, proxy, log) write ResponseStarted when their headers go out;
 * the end writes ResponseComplete, or Panic when the handler failed with something not a Status.
 * A failed authentication writes one ResponseStarted event with the 401, as upstream. Bodies are
 * kept only when the level asks for them: readBody hands the request body over (requestBodyRead),
 * the response is taken from what is written, both bounded.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { TLSSocket } from 'node:tls';
import { StatusError, type Status } from '../../machinery/errors.js';
import { statusOf } from '../http/respond.js';
import { mediaType } from '../http/body.js';
import type { Attributes, Decision } from '../authz/interface.js';
import { requestAttributes } from '../authz/attributes.js';
import type { RequestInfo } from '../request-info.js';
import type { UserInfo } from '../registry/context.js';
import type { AuditEvent, AuditSink, Policy, RequestAuditConfig, ResponseStatus, Stage } from './interface.js';
import { evaluatePolicy } from './policy.js';
import {
  decodeBody,
  RawJSON,
  eventUser,
  inUpstreamOrder,
  microTime,
  objectRefOf,
  omitManagedFields,
  responseStatusOf,
  sourceIPs,
} from './event-fields.js';

/** Response bodies kept for RequestResponse events, at most (larger ones are left out). */
const MAX_RESPONSE_BYTES = 3 * 1024 * 1024;
const LONG_RUNNING_VERBS = new Set(['watch', 'proxy']);
const LONG_RUNNING_SUBRESOURCES = new Set(['attach', 'exec', 'proxy', 'log', 'portforward']);

const requestBodies = new WeakMap<IncomingMessage, RequestAudit>();
const audits = new WeakMap<IncomingMessage, RequestAudit>();

/** Called by readBody with every body it read: the audit of that request keeps it if its level asks. */
export function requestBodyRead(req: IncomingMessage, body: Buffer): void {
  requestBodies.get(req)?.bodyRead(body);
}

/** upstream getAuthMethods: what the failed request offered, never the credentials themselves. */
function authenticationFailure(req: IncomingMessage): string {
  const methods: string[] = [];
  const [scheme = '', credentials] = (req.headers.authorization ?? '').trim().split(' ');
  if (scheme.toLowerCase() === 'basic') methods.push('basic');
  if (scheme.toLowerCase() === 'bearer' && credentials) methods.push('bearer');
  if (new URL(req.url ?? '/', 'https://localhost').searchParams.get('access_token')) methods.push('access_token');
  const tls = req.socket as Partial<TLSSocket>;
  if (tls.getPeerCertificate && Object.keys(tls.getPeerCertificate()).length > 0) methods.push('x509');
  return methods.length > 0 ? `Authentication failed, attempted: ${methods.join(', ')}` : 'Authentication failed, no credentials provided';
}

/**
 * upstream admission Attributes.AddAnnotation: how handlers let admission annotate the audit
 * event of their request; undefined when the request is not audited.
 */
export function auditAnnotator(req: IncomingMessage): ((key: string, value: string) => void) | undefined {
  const audit = audits.get(req);
  return audit ? (key, value) => audit.addAnnotation(key, value) : undefined;
}

export interface AuditorOptions {
  policy: Policy;
  sink: AuditSink;
  log?: (message: string) => void;
}

export class Auditor {
  readonly #options: AuditorOptions;

  constructor(options: AuditorOptions) {
    this.#options = options;
  }

  /** Begins auditing a request; res for ordinary requests, socket for upgrades. */
  begin(options: { req: IncomingMessage; info: RequestInfo; res?: ServerResponse; socket?: Duplex }): RequestAudit {
    return new RequestAudit({ ...options, ...this.#options });
  }

  close(): Promise<void> {
    return this.#options.sink.close();
  }
}

interface RequestAuditOptions extends AuditorOptions {
  req: IncomingMessage;
  info: RequestInfo;
  res?: ServerResponse;
  socket?: Duplex;
}

export class RequestAudit {
  readonly auditID: string;
  readonly #o: RequestAuditOptions;
  readonly #received = microTime();
  readonly #longRunning: boolean;
  #config: RequestAuditConfig | undefined;
  #event: AuditEvent | undefined;
  #requestBody: Buffer | undefined;
  #response: Buffer[] | undefined;
  #responseBytes = 0;
  #status: ResponseStatus | undefined;
  #panic = false;
  #upgradeCode: number | undefined;
  #done = false;
  #authenticated: UserInfo | undefined;
  #impersonated: UserInfo | undefined;
  /** Annotations added by admission (upstream AddAnnotation): the first value of a key stays. */
  readonly #annotations: Record<string, string> = {};

  constructor(options: RequestAuditOptions) {
    this.#o = options;
    audits.set(options.req, this);
    const given = options.req.headers['audit-id'];
    this.auditID = typeof given === 'string' && given.trim() !== '' ? given.trim() : randomUUID();
    options.res?.setHeader('Audit-ID', this.auditID);
    const { info } = options;
    this.#longRunning =
      LONG_RUNNING_VERBS.has(info.verb) || LONG_RUNNING_SUBRESOURCES.has(info.subresource) || options.socket !== undefined;
    (options.res ?? options.socket)?.once('close', () => this.#complete());
  }

  /** The user authentication found: the event's user, and the one the policy matches (as upstream). */
  authenticated(user: UserInfo): void {
    this.#authenticated = user;
  }

  /** The user the request impersonates: the event's impersonatedUser. */
  impersonated(user: UserInfo): void {
    this.#impersonated = user;
  }

  addAnnotation(key: string, value: string): void {
    if (!(key in this.#annotations)) this.#annotations[key] = value;
  }

  /** The authorizer's answer: the policy picks the level, RequestReceived is written, the decision annotated. */
  authorized(attrs: Attributes, decision: Decision): void {
    if (!this.#start(attrs)) return;
    // as upstream, RequestReceived is written before the authorizer's annotations exist
    this.#emit('RequestReceived');
    const annotations: Record<string, string> = { 'authorization.k8s.io/decision': decision.allowed ? 'allow' : 'forbid' };
    if (decision.reason) annotations['authorization.k8s.io/reason'] = decision.reason;
    this.#event = { ...(this.#event as AuditEvent), annotations };
    const { res, socket } = this.#o;
    if (socket) this.#onSocketHead(socket);
    if (!res) return;
    if (this.#longRunning) this.#onHeaders(res);
    else if (this.#config?.level === 'RequestResponse') this.#captureResponse(res);
  }

  /** The request failed with err; before authorization, authentication failed. */
  failed(err: unknown): void {
    const status = statusOf(err);
    this.#status = responseStatusOf(status, status.code);
    this.#panic = !(err instanceof StatusError);
    if (this.#event || this.#done) return;
    // refused before authorization (impersonation): RequestReceived now, ResponseComplete at the end
    if (this.#authenticated) {
      if (this.#start(requestAttributes(this.#authenticated, this.#o.info))) this.#emit('RequestReceived');
      return;
    }
    // upstream WithFailedAuthenticationAudit: no user, one ResponseStarted event
    if (!this.#start(requestAttributes({ name: '', groups: [] }, this.#o.info))) return;
    const event = this.#event as unknown as AuditEvent;
    event.user = {};
    event.responseStatus = { metadata: {}, message: authenticationFailure(this.#o.req), code: status.code };
    this.#emit('ResponseStarted');
    this.#done = true;
  }

  bodyRead(body: Buffer): void {
    this.#requestBody = body;
  }

  #start(acting: Attributes): boolean {
    // the policy and the event's user are the authenticated user's, not the impersonated one's
    const attrs = this.#authenticated ? { ...acting, user: this.#authenticated } : acting;
    const config = evaluatePolicy(this.#o.policy, attrs);
    if (config.level === 'None') {
      this.#done = true;
      return false;
    }
    this.#config = config;
    const { req, info } = this.#o;
    const objectRef = objectRefOf(info);
    const userAgent = req.headers['user-agent'];
    this.#event = {
      kind: 'Event',
      apiVersion: 'audit.k8s.io/v1',
      level: config.level,
      auditID: this.auditID,
      stage: 'RequestReceived',
      requestURI: req.url ?? '/',
      verb: attrs.verb,
      user: eventUser(attrs.user),
      ...(this.#impersonated ? { impersonatedUser: eventUser(this.#impersonated) } : {}),
      sourceIPs: sourceIPs(req),
      ...(userAgent ? { userAgent } : {}),
      ...(objectRef ? { objectRef } : {}),
      requestReceivedTimestamp: this.#received,
      stageTimestamp: this.#received,
    };
    // the body is needed for a create's name at Metadata, for the object from Request on
    if (config.level !== 'Metadata' || (info.verb === 'create' && !info.name)) requestBodies.set(req, this);
    return true;
  }

  #emit(stage: Stage, extra: Partial<AuditEvent> = {}): void {
    if (!this.#event || this.#config?.omitStages.includes(stage)) return;
    const annotations = { ...this.#event.annotations, ...this.#annotations };
    this.#o.sink.processEvent(
      inUpstreamOrder({
        ...this.#event,
        ...(Object.keys(annotations).length > 0 ? { annotations } : {}),
        ...extra,
        stage,
        stageTimestamp: microTime(),
      }),
    );
  }

  /** ResponseStarted when a long-running request's headers are written. */
  #onHeaders(res: ServerResponse): void {
    const writeHead = res.writeHead;
    const audit = this;
    res.writeHead = function (this: ServerResponse, ...args: Parameters<ServerResponse['writeHead']>) {
      res.writeHead = writeHead;
      audit.#emit('ResponseStarted', { responseStatus: { metadata: {}, code: args[0] } });
      return writeHead.apply(this, args);
    } as ServerResponse['writeHead'];
  }

  /** An upgrade's response is written raw: ResponseStarted with the code of its status line (101, or the kubelet's error). */
  #onSocketHead(socket: Duplex): void {
    const write = socket.write;
    const audit = this;
    socket.write = function (this: Duplex, chunk: unknown, ...rest: unknown[]) {
      socket.write = write;
      const head = typeof chunk === 'string' ? chunk.slice(0, 16) : Buffer.isBuffer(chunk) ? chunk.subarray(0, 16).toString('latin1') : '';
      const code = /^HTTP\/1\.[01] (\d{3})/.exec(head)?.[1];
      if (code) {
        audit.#upgradeCode = Number(code);
        audit.#emit('ResponseStarted', { responseStatus: { metadata: {}, code: audit.#upgradeCode } });
      }
      return (write as (...a: unknown[]) => boolean).call(this, chunk, ...rest);
    } as Duplex['write'];
  }

  #captureResponse(res: ServerResponse): void {
    this.#response = [];
    const keep = (chunk: unknown): void => {
      if (!this.#response || chunk === undefined || chunk === null || typeof chunk === 'function') return;
      const buf = typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk as Uint8Array);
      this.#responseBytes += buf.length;
      if (this.#responseBytes > MAX_RESPONSE_BYTES) this.#response = undefined;
      else this.#response.push(buf);
    };
    const { write, end } = res;
    res.write = function (this: ServerResponse, chunk: unknown, ...rest: unknown[]) {
      keep(chunk);
      return (write as (...a: unknown[]) => boolean).call(this, chunk, ...rest);
    } as ServerResponse['write'];
    res.end = function (this: ServerResponse, chunk?: unknown, ...rest: unknown[]) {
      keep(chunk);
      return (end as (...a: unknown[]) => ServerResponse).call(this, chunk, ...rest);
    } as ServerResponse['end'];
  }

  #complete(): void {
    if (this.#done || !this.#event) return;
    this.#done = true;
    this.#finish().catch((err: unknown) => this.#o.log?.(`audit: event ${this.auditID} not written: ${(err as Error).message}`));
  }

  async #finish(): Promise<void> {
    const config = this.#config as RequestAuditConfig;
    const { req, res, info } = this.#o;
    const event = this.#event as AuditEvent;
    const code = res?.statusCode ?? this.#upgradeCode ?? 101;
    let responseObject: unknown;
    if (this.#response && res) {
      const type = String(res.getHeader('content-type') ?? '');
      const body = Buffer.concat(this.#response);
      // a successful JSON body goes into the line as written; a Status is read for responseStatus
      if (code < 400 && !config.omitManagedFields && mediaType(type) === 'application/json')
        responseObject = new RawJSON(body.toString('utf8'));
      else responseObject = await decodeBody(body, type);
    }
    const kept = responseObject as Partial<Status> | undefined;
    const status = this.#status ?? responseStatusOf(kept?.kind === 'Status' ? kept : {}, code);
    const extra: Partial<AuditEvent> = { responseStatus: status };
    if (this.#requestBody) {
      const requestObject = await decodeBody(this.#requestBody, req.headers['content-type']);
      const meta = (requestObject as { metadata?: { name?: unknown; namespace?: unknown } } | undefined)?.metadata;
      if (event.objectRef && info.verb === 'create' && typeof meta?.name === 'string') {
        extra.objectRef = { ...event.objectRef, name: event.objectRef.name ?? meta.name };
      }
      if (config.level !== 'Metadata' && requestObject !== undefined) {
        extra.requestObject = config.omitManagedFields ? omitManagedFields(requestObject) : requestObject;
      }
    }
    if (responseObject !== undefined) extra.responseObject = config.omitManagedFields ? omitManagedFields(responseObject) : responseObject;
    this.#emit(this.#panic ? 'Panic' : 'ResponseComplete', extra);
  }
}
