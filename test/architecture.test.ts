/**
 * Layers point down only (DESIGN.md "Layers"). The scanner parses every source file under src/
 * with the TypeScript parser (so comments and strings never count), resolves each import, and
 * reports what crosses a layer the wrong way.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(__dirname, '..');
const SRC = join(ROOT, 'src');

interface Violation {
  file: string;
  line: number;
  rule: string;
  what: string;
}

type Layer = 'engine' | 'crypto' | 'viz' | 'ui' | 'study' | 'scenario-runner' | 'other';

function layerOf(srcRelative: string): Layer {
  const p = srcRelative.replace(/\\/g, '/');
  const under = (dir: string) => p === dir || p.startsWith(`${dir}/`);
  if (under('engine/crypto')) return 'crypto';
  if (under('engine')) return 'engine';
  for (const l of ['viz', 'ui', 'study', 'scenario-runner'] as const) if (under(l)) return l;
  return 'other';
}

const isSvelte = (spec: string) => spec === 'svelte' || spec.startsWith('svelte/') || spec.startsWith('@sveltejs/');
const isD3 = (spec: string) => spec === 'd3' || /^d3-[a-z-]+(\/|$)/.test(spec) || spec.startsWith('d3/');
const isNoble = (spec: string) => spec.startsWith('@noble/');

/** Module specifiers and property accesses of one file's code. */
function facts(code: string, fileName: string): { imports: { spec: string; line: number }[]; accesses: { text: string; line: number }[] } {
  const sf = ts.createSourceFile(fileName, code, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const imports: { spec: string; line: number }[] = [];
  const accesses: { text: string; line: number }[] = [];
  const line = (n: ts.Node) => sf.getLineAndCharacterOfPosition(n.getStart(sf)).line + 1;
  const visit = (n: ts.Node): void => {
    if ((ts.isImportDeclaration(n) || ts.isExportDeclaration(n)) && n.moduleSpecifier && ts.isStringLiteral(n.moduleSpecifier)) {
      imports.push({ spec: n.moduleSpecifier.text, line: line(n) });
    } else if (
      ts.isImportEqualsDeclaration(n) &&
      ts.isExternalModuleReference(n.moduleReference) &&
      ts.isStringLiteral(n.moduleReference.expression)
    ) {
      imports.push({ spec: n.moduleReference.expression.text, line: line(n) });
    } else if (ts.isCallExpression(n) && n.arguments.length >= 1 && ts.isStringLiteralLike(n.arguments[0]!)) {
      const callee = n.expression;
      if (callee.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(callee) && callee.text === 'require')) {
        imports.push({ spec: (n.arguments[0] as ts.StringLiteralLike).text, line: line(n) });
      }
    } else if (ts.isImportTypeNode(n) && ts.isLiteralTypeNode(n.argument) && ts.isStringLiteral(n.argument.literal)) {
      imports.push({ spec: n.argument.literal.text, line: line(n) });
    }
    if (ts.isPropertyAccessExpression(n) || ts.isElementAccessExpression(n)) {
      const obj = n.expression.getText(sf).replace(/\s+/g, '');
      const prop = ts.isPropertyAccessExpression(n)
        ? n.name.text
        : ts.isStringLiteralLike(n.argumentExpression)
          ? n.argumentExpression.text
          : '';
      accesses.push({ text: `${obj}.${prop}`, line: line(n) });
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return { imports, accesses };
}

/** The code of a file: a .svelte file's <script> blocks, or the whole file. */
function codeOf(path: string, text: string): string {
  if (!path.endsWith('.svelte')) return text;
  // Keep line numbers: blank out everything that is not inside a <script> block.
  const out = text.replace(/[^\n]/g, ' ').split('');
  for (const m of text.matchAll(/<script[^>]*>([\s\S]*?)<\/script>/g)) {
    const start = m.index! + m[0].indexOf('>') + 1;
    for (let i = 0; i < m[1]!.length; i++) out[start + i] = text[start + i]!;
  }
  return out.join('');
}

/** Checks one file (path relative to the repository root) against the layer rules. */
function check(path: string, text: string): Violation[] {
  const srcRel = relative(SRC, join(ROOT, path)).replace(/\\/g, '/');
  const layer = layerOf(srcRel);
  const { imports, accesses } = facts(codeOf(path, text), path);
  const v: Violation[] = [];
  const add = (line: number, rule: string, what: string) => v.push({ file: path, line, rule, what });
  for (const { spec, line } of imports) {
    let target: Layer | undefined;
    if (spec.startsWith('.')) target = layerOf(relative(SRC, resolve(dirname(join(ROOT, path)), spec)).replace(/\\/g, '/'));
    else if (spec.startsWith('src/')) target = layerOf(spec.slice(4));
    const inEngine = layer === 'engine' || layer === 'crypto';
    if (inEngine && (isSvelte(spec) || isD3(spec))) add(line, 'engine imports no Svelte or D3', spec);
    if (inEngine && target && ['ui', 'viz', 'study', 'scenario-runner'].includes(target)) add(line, 'engine imports no upper layer', spec);
    if (layer === 'viz' && target === 'ui') add(line, 'viz does not import ui', spec);
    if ((layer === 'scenario-runner' || layer === 'study') && (isSvelte(spec) || isD3(spec)))
      add(line, `${layer} imports no Svelte or D3`, spec);
    if ((layer === 'scenario-runner' || layer === 'study') && (target === 'ui' || target === 'viz'))
      add(line, `${layer} imports no ui or viz`, spec);
    if (layer !== 'crypto' && isNoble(spec)) add(line, 'only engine/crypto imports @noble/*', spec);
  }
  for (const { text: a, line } of accesses) {
    const inEngine = layer === 'engine' || layer === 'crypto';
    if (inEngine && (/^(globalThis\.)?document\./.test(a) || /^(globalThis\.)?window\./.test(a) || a === 'document.' || a === 'window.'))
      add(line, 'engine never touches the DOM', a);
    if (inEngine && /(^|\.)Math\.random$/.test(a)) add(line, 'engine never uses Math.random', a);
    if (layer !== 'crypto' && /\.subtle$/.test(a)) add(line, 'only engine/crypto uses crypto.subtle', a);
  }
  return v;
}

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...sourceFiles(p));
    else if (/\.(ts|tsx|js|mjs|cjs|svelte)$/.test(name) && !name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

const files = sourceFiles(SRC).map((abs) => ({ path: relative(ROOT, abs).replace(/\\/g, '/'), text: readFileSync(abs, 'utf8') }));
const violations = files.flatMap((f) => check(f.path, f.text));
const rule = (r: string) => violations.filter((v) => v.rule === r);

describe('architecture: layers point down only', () => {
  it('scans the source tree', () => {
    expect(files.some((f) => f.path.startsWith('src/engine/kms/'))).toBe(true);
    expect(files.some((f) => f.path.startsWith('src/engine/crypto/'))).toBe(true);
    // The scanner sees real imports: the crypto layer does use @noble (allowed there).
    const crypto = files.filter((f) => f.path.startsWith('src/engine/crypto/'));
    expect(crypto.some((f) => facts(f.text, f.path).imports.some((i) => isNoble(i.spec)))).toBe(true);
  });

  it('src/engine imports no Svelte or D3', () => expect(rule('engine imports no Svelte or D3')).toEqual([]));
  it('src/engine imports nothing from ui, viz, study or scenario-runner', () => expect(rule('engine imports no upper layer')).toEqual([]));
  it('src/engine never touches document or window', () => expect(rule('engine never touches the DOM')).toEqual([]));
  it('src/engine never uses Math.random', () => expect(rule('engine never uses Math.random')).toEqual([]));
  it('src/viz never imports src/ui', () => expect(rule('viz does not import ui')).toEqual([]));
  it('src/scenario-runner and src/study import no Svelte, D3, ui or viz', () => {
    expect([
      ...rule('scenario-runner imports no Svelte or D3'),
      ...rule('study imports no Svelte or D3'),
      ...rule('scenario-runner imports no ui or viz'),
      ...rule('study imports no ui or viz'),
    ]).toEqual([]);
  });
  it('only src/engine/crypto imports @noble/* or uses crypto.subtle', () => {
    expect([...rule('only engine/crypto imports @noble/*'), ...rule('only engine/crypto uses crypto.subtle')]).toEqual([]);
  });
  it('no rule is broken anywhere', () => expect(violations).toEqual([]));
});

describe('architecture: the scanner catches planted violations', () => {
  const rulesOf = (path: string, text: string) => check(path, text).map((v) => v.rule);

  it('catches Svelte and D3 in the engine, in every import form', () => {
    expect(rulesOf('src/engine/kms/evil.ts', "import { mount } from 'svelte';")).toEqual(['engine imports no Svelte or D3']);
    expect(rulesOf('src/engine/kms/evil.ts', "import * as sel from 'd3-selection';")).toEqual(['engine imports no Svelte or D3']);
    expect(rulesOf('src/engine/evil.ts', "export { select } from 'd3';")).toEqual(['engine imports no Svelte or D3']);
    expect(rulesOf('src/engine/evil.ts', "const m = await import('svelte/store');")).toEqual(['engine imports no Svelte or D3']);
    expect(rulesOf('src/engine/evil.ts', "const d3 = require('d3-scale');")).toEqual(['engine imports no Svelte or D3']);
  });

  it('catches upper layers imported by relative path, including type-only imports', () => {
    expect(rulesOf('src/engine/kms/evil.ts', "import { x } from '../../ui/lib/codec';")).toEqual(['engine imports no upper layer']);
    expect(rulesOf('src/engine/evil.ts', "import type { Plan } from '../viz/flow-plan';")).toEqual(['engine imports no upper layer']);
    expect(rulesOf('src/engine/evil.ts', "export * from '../scenario-runner';")).toEqual(['engine imports no upper layer']);
    expect(rulesOf('src/engine/evil.ts', "type S = import('../study/cards').Card;")).toEqual(['engine imports no upper layer']);
    expect(rulesOf('src/viz/evil.ts', "import App from '../ui/App.svelte';")).toEqual(['viz does not import ui']);
    expect(rulesOf('src/scenario-runner/evil.ts', "import { drawFlow } from '../viz/flow';")).toEqual([
      'scenario-runner imports no ui or viz',
    ]);
    expect(rulesOf('src/study/evil.ts', "import { scaleLinear } from 'd3-scale';")).toEqual(['study imports no Svelte or D3']);
  });

  it('catches the DOM, Math.random, @noble and crypto.subtle where they do not belong', () => {
    expect(rulesOf('src/engine/evil.ts', 'document.title = "x";')).toEqual(['engine never touches the DOM']);
    expect(rulesOf('src/engine/evil.ts', 'const w = window.innerWidth;')).toEqual(['engine never touches the DOM']);
    expect(rulesOf('src/engine/kms/evil.ts', 'const id = Math.random().toString(16);')).toEqual(['engine never uses Math.random']);
    expect(rulesOf('src/engine/kms/evil.ts', "import { sha256 } from '@noble/hashes/sha2.js';")).toEqual([
      'only engine/crypto imports @noble/*',
    ]);
    expect(rulesOf('src/engine/kms/evil.ts', 'const s = globalThis.crypto?.subtle;')).toEqual(['only engine/crypto uses crypto.subtle']);
    expect(rulesOf('src/ui/lib/evil.ts', 'await crypto.subtle.digest("SHA-256", b);')).toEqual(['only engine/crypto uses crypto.subtle']);
  });

  it('checks the script of .svelte files', () => {
    expect(
      rulesOf('src/ui/Evil.svelte', '<script lang="ts">\n  import { sha256 } from \'@noble/hashes/sha2.js\';\n</script>\n<p>hi</p>'),
    ).toEqual(['only engine/crypto imports @noble/*']);
    expect(
      check('src/ui/Evil.svelte', '<p>x</p>\n<script lang="ts">\n  import { sha256 } from \'@noble/hashes/sha2.js\';\n</script>')[0]!.line,
    ).toBe(3);
  });

  it('allows what is allowed, and ignores comments and strings', () => {
    expect(
      rulesOf('src/engine/crypto/aes.ts', "import { gcm } from '@noble/ciphers/aes.js';\nconst s = globalThis.crypto?.subtle;"),
    ).toEqual([]);
    expect(
      rulesOf(
        'src/engine/kms/ok.ts',
        "// import 'svelte'; document.title; Math.random()\n/* import * as d3 from 'd3' */\nconst s = \"import 'svelte'\";",
      ),
    ).toEqual([]);
    expect(
      rulesOf(
        'src/ui/ok.ts',
        "import { mount } from 'svelte';\nimport * as d3 from 'd3';\nimport { createWorld } from '../engine';\ndocument.title = 'x';",
      ),
    ).toEqual([]);
    expect(rulesOf('src/viz/ok.ts', "import { select } from 'd3-selection';\nimport type { Trace } from '../engine';")).toEqual([]);
  });
});
