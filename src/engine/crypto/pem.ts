import { toBase64 } from './bytes';

/** RFC 7468 textual encoding: base64 body in 64-character lines, ending with a newline. */
export function pem(label: 'PUBLIC KEY' | 'PRIVATE KEY', der: Uint8Array): string {
  const body = toBase64(der).match(/.{1,64}/g) ?? [];
  return [`-----BEGIN ${label}-----`, ...body, `-----END ${label}-----`, ''].join('\n');
}
