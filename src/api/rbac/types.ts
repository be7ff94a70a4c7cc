/** rbac.authorization.k8s.io/v1 types (k8s.io/api/rbac/v1); field numbers from upstream's generated.proto. */
import { defineTypes, field, LABEL_SELECTOR, list, LIST_META, OBJECT_META, ref, string } from '../../machinery/schema/dsl.js';

/** Definition-name prefix of this group version. */
export const RBAC_V1 = 'io.k8s.api.rbac.v1';

export const ROLE = `${RBAC_V1}.Role`;
export const ROLE_LIST = `${RBAC_V1}.RoleList`;
export const CLUSTER_ROLE = `${RBAC_V1}.ClusterRole`;
export const CLUSTER_ROLE_LIST = `${RBAC_V1}.ClusterRoleList`;
export const ROLE_BINDING = `${RBAC_V1}.RoleBinding`;
export const ROLE_BINDING_LIST = `${RBAC_V1}.RoleBindingList`;
export const CLUSTER_ROLE_BINDING = `${RBAC_V1}.ClusterRoleBinding`;
export const CLUSTER_ROLE_BINDING_LIST = `${RBAC_V1}.ClusterRoleBindingList`;
export const POLICY_RULE = `${RBAC_V1}.PolicyRule`;
export const SUBJECT = `${RBAC_V1}.Subject`;
export const ROLE_REF = `${RBAC_V1}.RoleRef`;
export const AGGREGATION_RULE = `${RBAC_V1}.AggregationRule`;

defineTypes(
  {
    name: `${RBAC_V1}.Role`,
    description: 'Role is a namespaced, logical grouping of PolicyRules that can be referenced as a unit by a RoleBinding.',
    gvk: { group: 'rbac.authorization.k8s.io', version: 'v1', kind: 'Role' },
    fields: {
      metadata: field(1, ref(OBJECT_META), "Standard object's metadata."),
      rules: field(2, list(ref(`${RBAC_V1}.PolicyRule`)), 'Rules holds all the PolicyRules for this Role', { listType: 'atomic' }),
    },
  },
  {
    name: `${RBAC_V1}.RoleList`,
    description: 'RoleList is a collection of Roles',
    gvk: { group: 'rbac.authorization.k8s.io', version: 'v1', kind: 'RoleList' },
    required: ['items'],
    fields: {
      metadata: field(1, ref(LIST_META), "Standard object's metadata."),
      items: field(2, list(ref(`${RBAC_V1}.Role`)), 'Items is a list of Roles'),
    },
  },
  {
    name: `${RBAC_V1}.ClusterRole`,
    description:
      'ClusterRole is a cluster level, logical grouping of PolicyRules that can be referenced as a unit by a RoleBinding or ClusterRoleBinding.',
    gvk: { group: 'rbac.authorization.k8s.io', version: 'v1', kind: 'ClusterRole' },
    fields: {
      metadata: field(1, ref(OBJECT_META), "Standard object's metadata."),
      rules: field(2, list(ref(`${RBAC_V1}.PolicyRule`)), 'Rules holds all the PolicyRules for this ClusterRole', { listType: 'atomic' }),
      aggregationRule: field(
        3,
        ref(`${RBAC_V1}.AggregationRule`),
        'AggregationRule is an optional field that describes how to build the Rules for this ClusterRole. If AggregationRule is set, then the Rules are controller managed and direct changes to Rules will be stomped by the controller.',
      ),
    },
  },
  {
    name: `${RBAC_V1}.ClusterRoleList`,
    description: 'ClusterRoleList is a collection of ClusterRoles',
    gvk: { group: 'rbac.authorization.k8s.io', version: 'v1', kind: 'ClusterRoleList' },
    required: ['items'],
    fields: {
      metadata: field(1, ref(LIST_META), "Standard object's metadata."),
      items: field(2, list(ref(`${RBAC_V1}.ClusterRole`)), 'Items is a list of ClusterRoles'),
    },
  },
  {
    name: `${RBAC_V1}.RoleBinding`,
    description:
      'RoleBinding references a role, but does not contain it. It can reference a Role in the same namespace or a ClusterRole in the global namespace.',
    gvk: { group: 'rbac.authorization.k8s.io', version: 'v1', kind: 'RoleBinding' },
    required: ['roleRef'],
    fields: {
      metadata: field(1, ref(OBJECT_META), "Standard object's metadata."),
      subjects: field(2, list(ref(`${RBAC_V1}.Subject`)), 'Subjects holds references to the objects the role applies to.', {
        listType: 'atomic',
      }),
      roleRef: field(
        3,
        ref(`${RBAC_V1}.RoleRef`),
        'RoleRef can reference a Role in the current namespace or a ClusterRole in the global namespace. If the RoleRef cannot be resolved, the Authorizer must return an error.',
      ),
    },
  },
  {
    name: `${RBAC_V1}.RoleBindingList`,
    description: 'RoleBindingList is a collection of RoleBindings',
    gvk: { group: 'rbac.authorization.k8s.io', version: 'v1', kind: 'RoleBindingList' },
    required: ['items'],
    fields: {
      metadata: field(1, ref(LIST_META), "Standard object's metadata."),
      items: field(2, list(ref(`${RBAC_V1}.RoleBinding`)), 'Items is a list of RoleBindings'),
    },
  },
  {
    name: `${RBAC_V1}.ClusterRoleBinding`,
    description:
      'ClusterRoleBinding references a ClusterRole, but not contain it. It can reference a ClusterRole in the global namespace, and adds who information via Subject.',
    gvk: { group: 'rbac.authorization.k8s.io', version: 'v1', kind: 'ClusterRoleBinding' },
    required: ['roleRef'],
    fields: {
      metadata: field(1, ref(OBJECT_META), "Standard object's metadata."),
      subjects: field(2, list(ref(`${RBAC_V1}.Subject`)), 'Subjects holds references to the objects the role applies to.', {
        listType: 'atomic',
      }),
      roleRef: field(
        3,
        ref(`${RBAC_V1}.RoleRef`),
        'RoleRef can only reference a ClusterRole in the global namespace. If the RoleRef cannot be resolved, the Authorizer must return an error.',
      ),
    },
  },
  {
    name: `${RBAC_V1}.ClusterRoleBindingList`,
    description: 'ClusterRoleBindingList is a collection of ClusterRoleBindings',
    gvk: { group: 'rbac.authorization.k8s.io', version: 'v1', kind: 'ClusterRoleBindingList' },
    required: ['items'],
    fields: {
      metadata: field(1, ref(LIST_META), "Standard object's metadata."),
      items: field(2, list(ref(`${RBAC_V1}.ClusterRoleBinding`)), 'Items is a list of ClusterRoleBindings'),
    },
  },
  {
    name: `${RBAC_V1}.PolicyRule`,
    description:
      'PolicyRule holds information that describes a policy rule, but does not contain information about who the rule applies to or which namespace the rule applies to.',
    required: ['verbs'],
    fields: {
      verbs: field(
        1,
        list(string),
        "Verbs is a list of Verbs that apply to ALL the ResourceKinds contained in this rule. '*' represents all verbs.",
        { listType: 'atomic' },
      ),
      apiGroups: field(
        2,
        list(string),
        'APIGroups is the name of the APIGroup that contains the resources. If multiple API groups are specified, any action requested against one of the enumerated resources in any API group will be allowed.',
        { listType: 'atomic' },
      ),
      resources: field(3, list(string), "Resources is a list of resources this rule applies to. '*' represents all resources.", {
        listType: 'atomic',
      }),
      resourceNames: field(
        4,
        list(string),
        'ResourceNames is an optional white list of names that the rule applies to. An empty set means that everything is allowed.',
        { listType: 'atomic' },
      ),
      nonResourceURLs: field(
        5,
        list(string),
        'NonResourceURLs is a set of partial urls that a user should have access to. *s are allowed, but only as the full, final step in the path Since non-resource URLs are not namespaced, this field is only applicable for ClusterRoles referenced from a ClusterRoleBinding.',
        { listType: 'atomic' },
      ),
    },
  },
  {
    name: `${RBAC_V1}.AggregationRule`,
    description: 'AggregationRule describes how to locate ClusterRoles to aggregate into the ClusterRole',
    fields: {
      clusterRoleSelectors: field(
        1,
        list(ref(LABEL_SELECTOR)),
        "ClusterRoleSelectors holds a list of selectors which will be used to find ClusterRoles and create the rules. If any of the selectors match, then the ClusterRole's permissions will be added",
        { listType: 'atomic' },
      ),
    },
  },
  {
    name: `${RBAC_V1}.Subject`,
    description:
      'Subject contains a reference to the object or user identities a role binding applies to. This can either hold a direct API object reference, or a value for non-objects such as user and group names.',
    atomic: true,
    required: ['kind', 'name'],
    fields: {
      kind: field(
        1,
        string,
        'Kind of object being referenced. Values defined by this API group are "User", "Group", and "ServiceAccount".',
      ),
      apiGroup: field(2, string, 'APIGroup holds the API group of the referenced subject. Defaults to "" for ServiceAccount subjects.'),
      name: field(3, string, 'Name of the object being referenced.'),
      namespace: field(
        4,
        string,
        'Namespace of the referenced object. If the object kind is non-namespace, such as "User" or "Group", and this value is not empty the Authorizer should report an error.',
      ),
    },
  },
  {
    name: `${RBAC_V1}.RoleRef`,
    description: 'RoleRef contains information that points to the role being used',
    atomic: true,
    required: ['apiGroup', 'kind', 'name'],
    fields: {
      apiGroup: field(1, string, 'APIGroup is the group for the resource being referenced'),
      kind: field(2, string, 'Kind is the type of resource being referenced'),
      name: field(3, string, 'Name is the name of resource being referenced'),
    },
  },
);
