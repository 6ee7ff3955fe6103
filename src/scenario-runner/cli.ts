/**
 * The AWS CLI line equivalent to a KMS call, for the page ("what you would type").
 * Blobs go through files (fileb://), as the AWS CLI v2 expects for binary parameters.
 */
const kebab = (s: string) => s.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();

function quote(s: string): string {
  return /^[A-Za-z0-9_./:=@,+-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

function arg(member: string, value: unknown): string[] {
  const flag = `--${kebab(member)}`;
  if (value === undefined) return [];
  if (value instanceof Uint8Array) return [flag, `fileb://${kebab(member)}.bin`];
  if (typeof value === 'boolean') return [value ? flag : `--no-${kebab(member)}`];
  if (typeof value === 'number') return [flag, String(value)];
  if (typeof value === 'string') return [flag, quote(value)];
  if (Array.isArray(value)) {
    if (value.every((x) => typeof x === 'string')) return [flag, ...value.map((x) => quote(x))];
    const items = value.map((x) =>
      x && typeof x === 'object'
        ? Object.entries(x as Record<string, unknown>)
            .map(([k, v]) => `${k}=${String(v)}`)
            .join(',')
        : String(x),
    );
    return [flag, ...items.map(quote)];
  }
  if (value && typeof value === 'object') {
    return [
      flag,
      quote(
        Object.entries(value as Record<string, unknown>)
          .map(([k, v]) => `${k}=${String(v)}`)
          .join(','),
      ),
    ];
  }
  return [flag, quote(String(value))];
}

export function cliLine(action: string, input: Record<string, unknown>, opts: { region?: string; profile?: string } = {}): string {
  const parts = ['aws', 'kms', kebab(action)];
  for (const [k, v] of Object.entries(input)) parts.push(...arg(k, v));
  if (opts.region) parts.push('--region', opts.region);
  if (opts.profile) parts.push('--profile', opts.profile);
  return parts.join(' ');
}
