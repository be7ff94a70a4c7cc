/**
 * RequestInfo: what a URL and method ask for, like upstream's RequestInfoFactory
 * (staging/src/k8s.io/apiserver/pkg/endpoints/request/requestinfo.go).
 */
import { boolParam } from './handlers/parameters.js';

export interface RequestInfo {
  isResourceRequest: boolean;
  path: string;
  /** get, list, watch, create, update, patch, delete, deletecollection (resource requests) or the lower-case HTTP method. */
  verb: string;
  apiPrefix: string;
  group: string;
  version: string;
  namespace: string;
  resource: string;
  subresource: string;
  name: string;
  parts: string[];
}

const NAMESPACE_SUBRESOURCES = new Set(['status', 'finalize']);

export function parseRequestInfo(method: string, url: URL): RequestInfo {
  const path = url.pathname;
  const info: RequestInfo = {
    isResourceRequest: false,
    path,
    verb: method.toLowerCase(),
    apiPrefix: '',
    group: '',
    version: '',
    namespace: '',
    resource: '',
    subresource: '',
    name: '',
    parts: [],
  };
  let parts = path.split('/').filter((p) => p !== '');
  if (parts.length < 2) return info;
  const prefix = parts[0];
  if (prefix !== 'api' && prefix !== 'apis') return info;
  info.apiPrefix = prefix;
  parts = parts.slice(1);
  if (prefix === 'apis') {
    if (parts.length < 2) return info;
    info.group = parts[0] ?? '';
    parts = parts.slice(1);
  }
  info.version = parts[0] ?? '';
  parts = parts.slice(1);
  if (parts.length === 0) return info;
  info.isResourceRequest = true;

  let watchPrefix = false;
  if (parts[0] === 'watch') {
    // the deprecated /watch/ path prefix
    watchPrefix = true;
    parts = parts.slice(1);
  }
  if (parts[0] === 'namespaces' && parts.length > 1) {
    info.namespace = parts[1] ?? '';
    // /namespaces/{name} and /namespaces/{name}/status|finalize address the Namespace itself
    if (parts.length > 2 && !NAMESPACE_SUBRESOURCES.has(parts[2] ?? '')) parts = parts.slice(2);
  }
  info.parts = parts;
  info.resource = parts[0] ?? '';
  if (parts.length >= 2) info.name = parts[1] ?? '';
  if (parts.length >= 3) info.subresource = parts[2] ?? '';
  if (info.resource === 'namespaces' && parts.length >= 2) info.namespace = '';

  // upstream decodes ListOptions here: `watch` is any first value but "0" or "false" (any case)
  const isWatch = watchPrefix || boolParam(url.searchParams, 'watch');
  switch (method) {
    case 'GET':
    case 'HEAD':
      info.verb = info.name ? 'get' : isWatch ? 'watch' : 'list';
      if (info.name && isWatch) info.verb = 'watch';
      break;
    case 'POST':
      info.verb = 'create';
      break;
    case 'PUT':
      info.verb = 'update';
      break;
    case 'PATCH':
      info.verb = 'patch';
      break;
    case 'DELETE':
      info.verb = info.name ? 'delete' : 'deletecollection';
      break;
    default:
      info.verb = method.toLowerCase();
  }
  if (watchPrefix) info.verb = 'watch';
  return info;
}
