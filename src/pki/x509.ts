/**
 * The one place that loads @peculiar/x509: loads the Reflect metadata polyfill its dependency tsyringe needs
 * and points it at Node's WebCrypto. Every pki module imports `x509` from here, never from
 * '@peculiar/x509' directly, so the setup always runs first.
 */
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { webcrypto } from 'node:crypto';

x509.cryptoProvider.set(webcrypto);

export { x509 };

export type CryptoKey = webcrypto.CryptoKey;
export type CryptoKeyPair = webcrypto.CryptoKeyPair;

/** Node's WebCrypto SubtleCrypto. */
export const subtle: webcrypto.SubtleCrypto = webcrypto.subtle;
