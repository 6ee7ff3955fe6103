/** The Learn page's markdown-lite parser (src/ui/learn/format.ts): structure only, never HTML. */
import { describe, expect, it } from 'vitest';
import { markdownLite, rows } from '../../src/ui/learn/format';

describe('markdownLite', () => {
  it('splits paragraphs and lists and parses inline marks', () => {
    expect(markdownLite('A **bold** `code` and *soft* word.\nSame paragraph.\n\n- one\n- two <b>')).toEqual([
      {
        kind: 'p',
        parts: [
          { kind: 'text', text: 'A ' },
          { kind: 'strong', text: 'bold' },
          { kind: 'text', text: ' ' },
          { kind: 'code', text: 'code' },
          { kind: 'text', text: ' and ' },
          { kind: 'em', text: 'soft' },
          { kind: 'text', text: ' word. Same paragraph.' },
        ],
      },
      { kind: 'ul', items: [[{ kind: 'text', text: 'one' }], [{ kind: 'text', text: 'two <b>' }]] },
    ]);
  });

  it('leaves lone asterisks alone', () => {
    expect(markdownLite('2 * 3 = 6')).toEqual([{ kind: 'p', parts: [{ kind: 'text', text: '2 * 3 = 6' }] }]);
  });
});

describe('rows', () => {
  it('flattens two levels and shows bytes as sizes', () => {
    expect(rows({ KeyMetadata: { KeyId: 'k', Enabled: true }, Blob: new Uint8Array(4) })).toEqual([
      { path: 'KeyMetadata.KeyId', text: '"k"' },
      { path: 'KeyMetadata.Enabled', text: 'true' },
      { path: 'Blob', text: '<4 bytes>' },
    ]);
  });
});
