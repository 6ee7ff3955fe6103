/**
 * Thrown when bytes fail a cryptographic check: a bad GCM tag, bad OAEP padding, or key
 * bytes that are not the kind of key asked for. Callers map it to the AWS error that fits
 * (InvalidCiphertextException, IncorrectKeyException, ...); the message is for logs only and
 * deliberately never says *why* decryption failed, so it cannot act as a padding oracle.
 */
export class CryptoFailure extends Error {
  constructor(message = 'cryptographic operation failed') {
    super(message);
    this.name = 'CryptoFailure';
  }
}
