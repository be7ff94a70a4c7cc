/**
 * Which node a user acts for (upstream's nodeidentifier.NewDefaultNodeIdentifier): a user
 * named `system:node:<name>` in the group `system:nodes`. A user in the group with another name
 * is a node of unknown name (nodeName '').
 */
import type { UserInfo } from '../../registry/context.js';

export const NODES_GROUP = 'system:nodes';
export const NODE_USER_PREFIX = 'system:node:';

export interface NodeIdentity {
  isNode: boolean;
  nodeName: string;
}

export function nodeIdentity(user: UserInfo | undefined): NodeIdentity {
  if (!user?.groups.includes(NODES_GROUP)) return { isNode: false, nodeName: '' };
  const nodeName = user.name.startsWith(NODE_USER_PREFIX) ? user.name.slice(NODE_USER_PREFIX.length) : '';
  return { isNode: true, nodeName };
}
