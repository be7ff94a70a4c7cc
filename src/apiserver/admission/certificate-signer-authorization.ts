/**
 * Upstream's CertificateApproval and CertificateSigning admission plugins: approving or denying
 * a CertificateSigningRequest (its approval subresource) needs the verb `approve`, and issuing
 * its certificate (a status update that changes status.certificate) the verb `sign`, on the
 * certificates.k8s.io resource `signers` named after the request's signerName (or
 * `<domain>/*`).
 */
import { newForbidden } from '../../machinery/errors.js';
import type { KubeObject } from '../../machinery/object.js';
import type { Authorizer } from '../authz/interface.js';
import type { AdmissionAttributes, AdmissionPlugin } from './interface.js';

const GROUP = 'certificates.k8s.io';

const isCSR = (attrs: AdmissionAttributes): boolean =>
  attrs.operation === 'UPDATE' && attrs.type.group === GROUP && attrs.type.plural === 'certificatesigningrequests';
const signerOf = (obj: KubeObject | undefined): string => String((obj?.['spec'] as { signerName?: string } | undefined)?.signerName ?? '');
const certificateOf = (obj: KubeObject | undefined): string =>
  String((obj?.['status'] as { certificate?: string } | undefined)?.certificate ?? '');

/** IsAuthorizedForSignerName: the verb on signers/<signerName>, else on signers/<domain>/*. */
async function authorizedForSigner(authorizer: Authorizer, attrs: AdmissionAttributes, verb: string, signerName: string): Promise<boolean> {
  if (!attrs.user) return false;
  const ask = async (name: string) =>
    (
      await authorizer.authorize({
        user: attrs.user as NonNullable<AdmissionAttributes['user']>,
        verb,
        isResourceRequest: true,
        path: '',
        group: GROUP,
        version: '*',
        resource: 'signers',
        subresource: '',
        namespace: '',
        name,
      })
    ).allowed;
  return (await ask(signerName)) || (await ask(`${signerName.split('/')[0]}/*`));
}

abstract class SignerVerbPlugin implements AdmissionPlugin {
  abstract readonly name: string;
  protected abstract readonly verb: string;
  protected abstract readonly subresource: string;
  readonly #authorizer: Authorizer;

  constructor(options: { authorizer: Authorizer }) {
    this.#authorizer = options.authorizer;
  }

  /** Whether this update is one the verb is needed for. */
  protected abstract applies(attrs: AdmissionAttributes): boolean;

  async validate(attrs: AdmissionAttributes): Promise<void> {
    if (!isCSR(attrs) || attrs.subresource !== this.subresource || !this.applies(attrs)) return;
    const signerName = signerOf(attrs.oldObject ?? attrs.object);
    if (await authorizedForSigner(this.#authorizer, attrs, this.verb, signerName)) return;
    throw newForbidden(
      { group: GROUP, resource: 'certificatesigningrequests' },
      attrs.name,
      `user not permitted to ${this.verb} requests with signerName "${signerName}"`,
    );
  }
}

export class CertificateApproval extends SignerVerbPlugin {
  readonly name = 'CertificateApproval';
  protected readonly verb = 'approve';
  protected readonly subresource = 'approval';
  protected applies(): boolean {
    return true;
  }
}

export class CertificateSigning extends SignerVerbPlugin {
  readonly name = 'CertificateSigning';
  protected readonly verb = 'sign';
  protected readonly subresource = 'status';
  protected applies(attrs: AdmissionAttributes): boolean {
    return certificateOf(attrs.object) !== certificateOf(attrs.oldObject);
  }
}
