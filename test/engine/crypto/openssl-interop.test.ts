/**
 * An independent oracle for the DER we write ourselves (EC PKCS#8/SPKI, above all secp256k1,
 * which WebCrypto cannot check): Node's OpenSSL. Test-only: the engine itself never imports
 * node:crypto, it has to run in browsers.
 */
import { createPrivateKey, createPublicKey, sign as osslSign, verify as osslVerify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { generateKeyPair, sign, verify, type AsymmetricSpec } from '../../../src/engine/crypto';

const msg = new TextEncoder().encode('checked by OpenSSL');
const CASES: [AsymmetricSpec, string, string, string][] = [
  ['ECC_NIST_P256', 'prime256v1', 'ECDSA_SHA_256', 'sha256'],
  ['ECC_NIST_P384', 'secp384r1', 'ECDSA_SHA_384', 'sha384'],
  ['ECC_NIST_P521', 'secp521r1', 'ECDSA_SHA_512', 'sha512'],
  ['ECC_SECG_P256K1', 'secp256k1', 'ECDSA_SHA_256', 'sha256'],
];

describe('EC keys and signatures against OpenSSL', () => {
  for (const [spec, osslCurve, alg, osslHash] of CASES) {
    it(`${spec}: OpenSSL reads our keys, and each side verifies the other's DER signatures`, async () => {
      const kp = await generateKeyPair(spec);
      const priv = createPrivateKey({ key: Buffer.from(kp.privateKeyPkcs8), format: 'der', type: 'pkcs8' });
      const pub = createPublicKey({ key: Buffer.from(kp.publicKeySpki), format: 'der', type: 'spki' });
      expect(priv.asymmetricKeyDetails?.namedCurve).toBe(osslCurve);
      expect(pub.asymmetricKeyDetails?.namedCurve).toBe(osslCurve);
      // The public key OpenSSL derives from our private key is the one we wrote in the SPKI.
      expect(new Uint8Array(createPublicKey(priv).export({ format: 'der', type: 'spki' }))).toEqual(kp.publicKeySpki);
      for (const mode of ['RAW', 'DIGEST'] as const) {
        const input = mode === 'RAW' ? msg : new Uint8Array(await crypto.subtle.digest(osslHash.replace('sha', 'SHA-'), msg));
        const ours = await sign(spec, kp.privateKeyPkcs8, alg, input, mode);
        expect(osslVerify(osslHash, msg, pub, ours), mode).toBe(true);
      }
      const theirs = new Uint8Array(osslSign(osslHash, msg, priv));
      expect(await verify(spec, kp.publicKeySpki, alg, msg, 'RAW', theirs)).toBe(true);
    });
  }
});
