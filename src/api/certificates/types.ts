/** certificates.k8s.io/v1 types (k8s.io/api/certificates/v1); field numbers from upstream's generated.proto. */
import { bytes, defineTypes, field, int32, list, LIST_META, map, OBJECT_META, ref, string, time } from '../../machinery/schema/dsl.js';

/** Definition-name prefix of this group version. */
export const CERTIFICATES_V1 = 'io.k8s.api.certificates.v1';

export const CERTIFICATE_SIGNING_REQUEST = `${CERTIFICATES_V1}.CertificateSigningRequest`;
export const CERTIFICATE_SIGNING_REQUEST_LIST = `${CERTIFICATES_V1}.CertificateSigningRequestList`;

defineTypes(
  {
    name: `${CERTIFICATES_V1}.CertificateSigningRequest`,
    description:
      'CertificateSigningRequest objects provide a mechanism to obtain x509 certificates by submitting a certificate signing request, and having it asynchronously approved and issued.',
    gvk: { group: 'certificates.k8s.io', version: 'v1', kind: 'CertificateSigningRequest' },
    required: ['spec'],
    fields: {
      metadata: field(1, ref(OBJECT_META)),
      spec: field(
        2,
        ref(`${CERTIFICATES_V1}.CertificateSigningRequestSpec`),
        'spec contains the certificate request, and is immutable after creation. Only the request, signerName, expirationSeconds, and usages fields can be set on creation.',
      ),
      status: field(
        3,
        ref(`${CERTIFICATES_V1}.CertificateSigningRequestStatus`),
        'status contains information about whether the request is approved or denied, and the certificate issued by the signer, or the failure condition indicating signer failure.',
      ),
    },
  },
  {
    name: `${CERTIFICATES_V1}.CertificateSigningRequestList`,
    description: 'CertificateSigningRequestList is a collection of CertificateSigningRequest objects',
    gvk: { group: 'certificates.k8s.io', version: 'v1', kind: 'CertificateSigningRequestList' },
    required: ['items'],
    fields: {
      metadata: field(1, ref(LIST_META)),
      items: field(
        2,
        list(ref(`${CERTIFICATES_V1}.CertificateSigningRequest`)),
        'items is a collection of CertificateSigningRequest objects',
      ),
    },
  },
  {
    name: `${CERTIFICATES_V1}.CertificateSigningRequestSpec`,
    description: 'CertificateSigningRequestSpec contains the certificate request.',
    required: ['request', 'signerName'],
    fields: {
      request: field(
        1,
        bytes,
        'request contains an x509 certificate signing request encoded in a "CERTIFICATE REQUEST" PEM block. When serialized as JSON or YAML, the data is additionally base64-encoded.',
        { listType: 'atomic' },
      ),
      signerName: field(
        7,
        string,
        'signerName indicates the requested signer, and is a qualified name. List/watch requests for CertificateSigningRequests can filter on this field using a "spec.signerName=NAME" fieldSelector.',
      ),
      expirationSeconds: field(8, int32, 'expirationSeconds is the requested duration of validity of the issued certificate.'),
      usages: field(
        5,
        list(string),
        'usages specifies a set of key usages requested in the issued certificate. Requests for TLS client certificates typically request: "digital signature", "key encipherment", "client auth".',
        {
          listType: 'atomic',
          enum: [
            'signing',
            'digital signature',
            'content commitment',
            'key encipherment',
            'key agreement',
            'data encipherment',
            'cert sign',
            'crl sign',
            'encipher only',
            'decipher only',
            'any',
            'server auth',
            'client auth',
            'code signing',
            'email protection',
            's/mime',
            'ipsec end system',
            'ipsec tunnel',
            'ipsec user',
            'timestamping',
            'ocsp signing',
            'microsoft sgc',
            'netscape sgc',
          ],
        },
      ),
      username: field(
        2,
        string,
        'username contains the name of the user that created the CertificateSigningRequest. Populated by the API server on creation and immutable.',
      ),
      uid: field(
        3,
        string,
        'uid contains the uid of the user that created the CertificateSigningRequest. Populated by the API server on creation and immutable.',
      ),
      groups: field(
        4,
        list(string),
        'groups contains group membership of the user that created the CertificateSigningRequest. Populated by the API server on creation and immutable.',
        { listType: 'atomic' },
      ),
      extra: field(
        6,
        map(list(string)),
        'extra contains extra attributes of the user that created the CertificateSigningRequest. Populated by the API server on creation and immutable.',
      ),
    },
  },
  {
    name: `${CERTIFICATES_V1}.CertificateSigningRequestStatus`,
    description:
      'CertificateSigningRequestStatus contains conditions used to indicate approved/denied/failed status of the request, and the issued certificate.',
    fields: {
      conditions: field(
        1,
        list(ref(`${CERTIFICATES_V1}.CertificateSigningRequestCondition`)),
        'conditions applied to the request. Known conditions are "Approved", "Denied", and "Failed".',
        { listType: 'map', listMapKeys: ['type'] },
      ),
      certificate: field(
        2,
        bytes,
        'certificate is populated with an issued certificate by the signer after an Approved condition is present. This field is set via the /status subresource.',
        { listType: 'atomic' },
      ),
    },
  },
  {
    name: `${CERTIFICATES_V1}.CertificateSigningRequestCondition`,
    description: 'CertificateSigningRequestCondition describes a condition of a CertificateSigningRequest object',
    required: ['type', 'status'],
    fields: {
      type: field(1, string, 'type of the condition. Known conditions are "Approved", "Denied", and "Failed".'),
      status: field(
        6,
        string,
        'status of the condition, one of True, False, Unknown. Approved, Denied, and Failed conditions may not be "False" or "Unknown".',
      ),
      reason: field(2, string, 'reason indicates a brief reason for the request state'),
      message: field(3, string, 'message contains a human readable message with details about the request state'),
      lastUpdateTime: field(4, time, 'lastUpdateTime is the time of the last update to this condition'),
      lastTransitionTime: field(
        5,
        time,
        "lastTransitionTime is the time the condition last transitioned from one status to another. If unset, when a new condition type is added or an existing condition's status is changed, the server defaults this to the current time.",
      ),
    },
  },
);
