/**
 * Local steps for the AWS Encryption SDK: what the SDK does on the caller's machine around the
 * KMS calls a scenario makes itself (GenerateDataKey before, Decrypt of the EDK after). They use
 * the real message format from the engine's esdk module; no step here calls KMS.
 */
import { decrypt, encrypt, readMessageHeader, type Keyring } from '../engine/esdk';
import type { LocalOp } from './local';

class EsdkStepError extends Error {
  constructor(name: string, message: string) {
    super(message);
    this.name = name;
  }
}

function bytes(input: Record<string, unknown>, name: string): Uint8Array {
  const v = input[name];
  if (!(v instanceof Uint8Array)) throw new EsdkStepError('ValidationError', `${name} must be bytes`);
  return v;
}

function context(input: Record<string, unknown>): Record<string, string> {
  const v = input.encryptionContext ?? {};
  if (typeof v !== 'object' || v === null || Object.values(v).some((x) => typeof x !== 'string'))
    throw new EsdkStepError('ValidationError', 'encryptionContext must be a mapping of strings');
  return v as Record<string, string>;
}

/** The keyring a KMS keyring would be once KMS has answered: it holds the data key and its EDK. */
function answeredKeyring(dataKey: Uint8Array, encryptedDataKey?: Uint8Array, keyArn?: string): Keyring {
  return {
    async onEncrypt(m) {
      const edk = {
        providerId: 'aws-kms',
        providerInfo: keyArn!,
        rawInfo: new TextEncoder().encode(keyArn!),
        encryptedDataKey: encryptedDataKey!,
      };
      return { ...m, plaintextDataKey: dataKey.slice(), encryptedDataKeys: [...m.encryptedDataKeys, edk] };
    },
    async onDecrypt(m) {
      return { ...m, plaintextDataKey: dataKey.slice() };
    },
  };
}

export const ESDK_LOCAL_OPS: Record<string, LocalOp> = {
  'encryption-sdk-encrypt': {
    members: ['dataKey', 'encryptedDataKey', 'keyArn', 'plaintext', 'encryptionContext', 'frameLength'],
    required: ['dataKey', 'encryptedDataKey', 'keyArn', 'plaintext'],
    describe:
      'the AWS Encryption SDK on your machine: derives a per-message key from the data key, encrypts in frames, writes a message whose header carries the encrypted data key (suite 0x0478)',
    async run(input, random) {
      const frameLength = input.frameLength === undefined ? 4096 : Number(input.frameLength);
      const { result, messageHeader } = await encrypt(
        answeredKeyring(bytes(input, 'dataKey'), bytes(input, 'encryptedDataKey'), String(input.keyArn)),
        bytes(input, 'plaintext'),
        { suiteId: 0x0478, frameLength, encryptionContext: context(input), random },
      );
      const length = bytes(input, 'plaintext').length;
      return {
        message: result,
        suiteId: messageHeader.suiteId,
        frames: Math.max(1, Math.ceil(length / frameLength)),
        providerId: messageHeader.encryptedDataKeys[0]!.providerId,
      };
    },
  },
  'encryption-sdk-read-header': {
    members: ['message'],
    required: ['message'],
    describe: 'reads an Encryption SDK message header on your machine: the encrypted data key, its KMS key ARN and the encryption context',
    async run(input) {
      const { messageHeader } = await readMessageHeader(bytes(input, 'message'));
      const edk = messageHeader.encryptedDataKeys.find((e) => e.providerId === 'aws-kms');
      if (!edk) throw new EsdkStepError('NoKmsDataKey', 'the message holds no aws-kms encrypted data key');
      return {
        encryptedDataKey: edk.encryptedDataKey,
        keyArn: edk.providerInfo,
        encryptionContext: messageHeader.encryptionContext,
        suiteId: messageHeader.suiteId,
      };
    },
  },
  'encryption-sdk-decrypt': {
    members: ['dataKey', 'message'],
    required: ['dataKey', 'message'],
    describe: 'the Encryption SDK decrypts on your machine: checks the key commitment and the header, then every frame in order',
    async run(input) {
      try {
        const { plaintext } = await decrypt(answeredKeyring(bytes(input, 'dataKey')), bytes(input, 'message'));
        return { plaintext };
      } catch (e) {
        throw new EsdkStepError('DecryptionFailed', e instanceof Error ? e.message : String(e));
      }
    },
  },
};
