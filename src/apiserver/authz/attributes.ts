/** The authorizer attributes of an authenticated request (upstream filters.GetAuthorizerAttributes). */
import type { UserInfo } from '../registry/context.js';
import type { RequestInfo } from '../request-info.js';
import type { Attributes } from './interface.js';

export function requestAttributes(user: UserInfo, info: RequestInfo): Attributes {
  return {
    user,
    verb: info.isResourceRequest ? info.verb : info.verb === 'head' ? 'get' : info.verb,
    isResourceRequest: info.isResourceRequest,
    path: info.path,
    group: info.group,
    version: info.version,
    resource: info.resource,
    subresource: info.subresource,
    namespace: info.namespace,
    name: info.name,
  };
}
