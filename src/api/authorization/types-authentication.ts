/** authentication.k8s.io/v1 reviews (k8s.io/api/authentication/v1); field numbers from upstream's generated.proto.
 *
 * TokenRequest (the serviceaccounts/token subresource) is declared with the core types. */
import { boolean, defineTypes, field, list, map, OBJECT_META, ref, string } from '../../machinery/schema/dsl.js';

/** Definition-name prefix of this group version. */
export const AUTHENTICATION_V1 = 'io.k8s.api.authentication.v1';

export const TOKEN_REVIEW = `${AUTHENTICATION_V1}.TokenReview`;
export const SELF_SUBJECT_REVIEW = `${AUTHENTICATION_V1}.SelfSubjectReview`;
export const USER_INFO = `${AUTHENTICATION_V1}.UserInfo`;

defineTypes(
  {
    name: `${AUTHENTICATION_V1}.TokenReview`,
    description:
      'TokenReview attempts to authenticate a token to a known user. Note: TokenReview requests may be cached by the webhook token authenticator plugin in the kube-apiserver.',
    gvk: { group: 'authentication.k8s.io', version: 'v1', kind: 'TokenReview' },
    required: ['spec'],
    fields: {
      metadata: field(1, ref(OBJECT_META), "Standard object's metadata."),
      spec: field(2, ref(`${AUTHENTICATION_V1}.TokenReviewSpec`), 'Spec holds information about the request being evaluated'),
      status: field(
        3,
        ref(`${AUTHENTICATION_V1}.TokenReviewStatus`),
        'Status is filled in by the server and indicates whether the request can be authenticated.',
      ),
    },
  },
  {
    name: `${AUTHENTICATION_V1}.SelfSubjectReview`,
    description:
      'SelfSubjectReview contains the user information that the kube-apiserver has about the user making this request. When using impersonation, users will receive the user info of the user being impersonated.',
    gvk: { group: 'authentication.k8s.io', version: 'v1', kind: 'SelfSubjectReview' },
    fields: {
      metadata: field(1, ref(OBJECT_META), "Standard object's metadata."),
      status: field(2, ref(`${AUTHENTICATION_V1}.SelfSubjectReviewStatus`), 'Status is filled in by the server with the user attributes.'),
    },
  },
  {
    name: `${AUTHENTICATION_V1}.TokenReviewSpec`,
    description: 'TokenReviewSpec is a description of the token authentication request.',
    fields: {
      token: field(1, string, 'Token is the opaque bearer token.'),
      audiences: field(
        2,
        list(string),
        'Audiences is a list of the identifiers that the resource server presented with the token identifies as. Audience-aware token authenticators will verify that the token was intended for at least one of the audiences in this list.',
        { listType: 'atomic' },
      ),
    },
  },
  {
    name: `${AUTHENTICATION_V1}.TokenReviewStatus`,
    description: 'TokenReviewStatus is the result of the token authentication request.',
    fields: {
      authenticated: field(1, boolean, 'Authenticated indicates that the token was associated with a known user.'),
      user: field(2, ref(`${AUTHENTICATION_V1}.UserInfo`), 'User is the UserInfo associated with the provided token.'),
      audiences: field(
        4,
        list(string),
        "Audiences are audience identifiers chosen by the authenticator that are compatible with both the TokenReview and token. An identifier is any identifier in the intersection of the TokenReviewSpec audiences and the token's audiences.",
        { listType: 'atomic' },
      ),
      error: field(3, string, "Error indicates that the token couldn't be checked"),
    },
  },
  {
    name: `${AUTHENTICATION_V1}.SelfSubjectReviewStatus`,
    description: 'SelfSubjectReviewStatus is filled by the kube-apiserver and sent back to a user.',
    fields: {
      userInfo: field(1, ref(`${AUTHENTICATION_V1}.UserInfo`), 'User attributes of the user making this request.'),
    },
  },
  {
    name: `${AUTHENTICATION_V1}.UserInfo`,
    description: 'UserInfo holds the information about the user needed to implement the user.Info interface.',
    fields: {
      username: field(1, string, 'The name that uniquely identifies this user among all active users.'),
      uid: field(
        2,
        string,
        'A unique value that identifies this user across time. If this user is deleted and another user by the same name is added, they will have different UIDs.',
      ),
      groups: field(3, list(string), 'The names of groups this user is a part of.', { listType: 'atomic' }),
      extra: field(4, map(list(string)), 'Any additional information provided by the authenticator.'),
    },
  },
);
