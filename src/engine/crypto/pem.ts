import { fromBase64, toBase64 } from './bytes';

/** RFC 7468 textual encoding: base64 body in 64-character lines, ending with a newline. */
export function pem(label: 'PUBLIC KEY' | 'PRIVATE KEY', der: Uint8Array): string {
  const body = toBase64(der).match(/.{1,64}/g) ?? [];
  return [`-----BEGIN ${label}-----`, ...body, `-----END ${label}-----`, ''].join('\n');
}

/** Reads the first PEM block of a text: its label and DER bytes. Lines may end in CRLF. */
export function pemDecode(text: string): { label: string; der: Uint8Array } {
  const m = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/.exec(text);
  if (!m) throw new TypeError('pemDecode: no PEM block found');
  return { label: m[1]!, der: fromBase64(m[2]!.replace(/\s+/g, '')) };
}
