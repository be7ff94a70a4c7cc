/** Container validation (validateContainers and its helpers in pkg/apis/core/validation). */
import type { FieldError } from '../../machinery/errors.js';
import { duplicate, forbidden, invalid, notFound, notSupported, required, type FieldPath } from '../../machinery/validation/field.js';
import { isDNS1123Label, isRelaxedEnvVarName, isValidPortName, isValidPortNum } from '../../machinery/validation/formats.js';
import { asObj, num, objs, str, type Obj } from './access.js';
import { validateResourceRequirements } from './resource-validation.js';

export const SUPPORTED_PORT_PROTOCOLS = ['SCTP', 'TCP', 'UDP'];
const PULL_POLICIES = ['Always', 'IfNotPresent', 'Never'];
const TERMINATION_MESSAGE_POLICIES = ['FallbackToLogsOnError', 'File'];
const HANDLER_TYPES = ['exec', 'httpGet', 'tcpSocket', 'grpc'];

export function validateDNS1123Label(value: string, path: FieldPath): FieldError[] {
  return isDNS1123Label(value).map((m) => invalid(path, value, m));
}

function validatePorts(ports: Obj[], path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const names = new Set<string>();
  ports.forEach((port, i) => {
    const p = path.index(i);
    const name = str(port['name']);
    if (name) {
      const msgs = isValidPortName(name);
      if (msgs.length > 0) errs.push(...msgs.map((m) => invalid(p.child('name'), name, m)));
      else if (names.has(name)) errs.push(duplicate(p.child('name'), name));
      else names.add(name);
    }
    const containerPort = num(port['containerPort']) ?? 0;
    if (containerPort === 0) errs.push(required(p.child('containerPort')));
    else errs.push(...isValidPortNum(containerPort).map((m) => invalid(p.child('containerPort'), containerPort, m)));
    const hostPort = num(port['hostPort']) ?? 0;
    if (hostPort !== 0) errs.push(...isValidPortNum(hostPort).map((m) => invalid(p.child('hostPort'), hostPort, m)));
    errs.push(...validateProtocol(port['protocol'], p.child('protocol')));
  });
  return errs;
}

export function validateProtocol(protocol: unknown, path: FieldPath): FieldError[] {
  const value = str(protocol);
  if (!value) return [required(path)];
  return SUPPORTED_PORT_PROTOCOLS.includes(value) ? [] : [notSupported(path, value, SUPPORTED_PORT_PROTOCOLS)];
}

function validateEnv(env: Obj[], path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  env.forEach((e, i) => {
    const p = path.index(i).child('name');
    const name = str(e['name']);
    if (!name) errs.push(required(p));
    else errs.push(...isRelaxedEnvVarName(name).map((m) => invalid(p, name, m)));
  });
  return errs;
}

function validateVolumeMounts(mounts: Obj[], volumes: ReadonlySet<string>, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const mountPoints = new Set<string>();
  mounts.forEach((m, i) => {
    const p = path.index(i);
    const name = str(m['name']);
    if (!name) errs.push(required(p.child('name')));
    if (!volumes.has(name)) errs.push(notFound(p.child('name'), name));
    const mountPath = str(m['mountPath']);
    if (!mountPath) errs.push(required(p.child('mountPath')));
    if (mountPoints.has(mountPath)) errs.push(invalid(p.child('mountPath'), mountPath, 'must be unique'));
    mountPoints.add(mountPath);
    const subPath = str(m['subPath']);
    if (subPath) errs.push(...validateLocalDescendingPath(subPath, p.child('subPath')));
  });
  return errs;
}

/** validateLocalDescendingPath: relative, no '..' element. */
export function validateLocalDescendingPath(value: string, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (value.startsWith('/')) errs.push(invalid(path, value, 'must be a relative path'));
  if (value.split('/').includes('..')) errs.push(invalid(path, value, "must not contain '..'"));
  return errs;
}

function validateProbe(probe: unknown, path: FieldPath): FieldError[] {
  const p = asObj(probe);
  if (!p) return [];
  const errs: FieldError[] = [];
  const handlers = HANDLER_TYPES.filter((h) => p[h] !== undefined && p[h] !== null);
  if (handlers.length === 0) errs.push(required(path, 'must specify a handler type'));
  for (const extra of handlers.slice(1)) errs.push(forbidden(path.child(extra), 'may not specify more than 1 handler type'));
  for (const f of ['initialDelaySeconds', 'timeoutSeconds', 'periodSeconds', 'successThreshold', 'failureThreshold']) {
    const v = num(p[f]);
    if (v !== undefined && v < 0) errs.push(invalid(path.child(f), v, 'must be greater than or equal to 0'));
  }
  return errs;
}

/**
 * validateContainers for one list (containers or initContainers). `names` collects container
 * names across lists, so a name used twice is a duplicate wherever it appears.
 */
export function validateContainers(containers: Obj[], volumes: ReadonlySet<string>, names: Set<string>, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  containers.forEach((c, i) => {
    const p = path.index(i);
    const name = str(c['name']);
    if (!name) errs.push(required(p.child('name')));
    else errs.push(...validateDNS1123Label(name, p.child('name')));
    if (name && names.has(name)) errs.push(duplicate(p.child('name'), name));
    else names.add(name);
    const image = str(c['image']);
    if (!image) errs.push(required(p.child('image')));
    else if (image !== image.trim()) errs.push(invalid(p.child('image'), image, 'must not have leading or trailing whitespace'));
    errs.push(...validatePorts(objs(c['ports']), p.child('ports')));
    errs.push(...validateEnv(objs(c['env']), p.child('env')));
    errs.push(...validateVolumeMounts(objs(c['volumeMounts']), volumes, p.child('volumeMounts')));
    for (const probe of ['livenessProbe', 'readinessProbe', 'startupProbe']) errs.push(...validateProbe(c[probe], p.child(probe)));
    const pull = str(c['imagePullPolicy']);
    if (!pull) errs.push(required(p.child('imagePullPolicy')));
    else if (!PULL_POLICIES.includes(pull)) errs.push(notSupported(p.child('imagePullPolicy'), pull, PULL_POLICIES));
    const tmp = str(c['terminationMessagePolicy']);
    if (!tmp) errs.push(required(p.child('terminationMessagePolicy')));
    else if (!TERMINATION_MESSAGE_POLICIES.includes(tmp))
      errs.push(notSupported(p.child('terminationMessagePolicy'), tmp, TERMINATION_MESSAGE_POLICIES));
    errs.push(...validateResourceRequirements(c['resources'], p.child('resources')));
  });
  return errs;
}
