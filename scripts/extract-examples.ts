/**
 * Extracts the fenced code blocks of every `@example` tag reachable from the package's entry points.
 *
 * @remarks
 * One TypeScript program is created for all entry points. For every export of an entry point (types and
 * interfaces included) the script reads the TSDoc comment of each declaration, splits it into block tags
 * (ignoring `@` inside code fences and `{@link ...}` inline tags) and returns each ```ts fence found in an
 * `@example` tag. Public members of exported classes that carry their own TSDoc are scanned too, under the
 * name `Class.member`. `test/doc-examples.test.ts` runs the examples; run this file directly
 * (`tsx scripts/extract-examples.ts`) to list them.
 */
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import ts from 'typescript';

/** The package's entry points, relative to the repository root. `src/<x>/index.ts` is `ep-stats/<x>`. */
export const ENTRY_POINTS: readonly string[] = [
  'src/index.ts',
  'src/testing/index.ts',
  'src/server/index.ts',
  'src/sql/index.ts',
  'src/report/index.ts',
];

/** The package name that examples import from. */
export const PACKAGE_NAME = 'ep-stats';

/** The repository root (the folder above `scripts/`). */
export const REPOSITORY_ROOT: string = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** One ```ts fence of an `@example` tag. */
export interface DocExample {
  /** Test name: `<symbol> example <index>`. */
  readonly name: string;
  /** The exported name, or `Class.member` for a class member. */
  readonly symbol: string;
  /** 1-based position among the symbol's examples. */
  readonly index: number;
  /** The code inside the fence, with the comment's leading `*` removed. */
  readonly code: string;
  /** Source file, relative to the repository root. */
  readonly file: string;
  /** 1-based line of the fence's first code line in `file`. */
  readonly line: number;
}

/** Where an exported symbol is declared. */
export interface ExportLocation {
  readonly symbol: string;
  readonly file: string;
  readonly line: number;
}

/** Everything the doc-example suite needs. */
export interface ExtractionResult {
  readonly examples: readonly DocExample[];
  /** Exports without any `@example` tag. */
  readonly withoutExample: readonly ExportLocation[];
  /** Symbols with an `@example` tag that contains no ```ts fence. */
  readonly withoutFence: readonly ExportLocation[];
}

/** The module specifier that imports an entry point: `src/index.ts` -> `ep-stats`, `src/x/index.ts` -> `ep-stats/x`. */
export function specifierOf(entryPoint: string): string {
  if (entryPoint === 'src/index.ts') return PACKAGE_NAME;
  const match = /^src\/([\w-]+)\/index\.ts$/.exec(entryPoint);
  if (match === null)
    throw new Error(`entry point '${entryPoint}' is neither src/index.ts nor src/<x>/index.ts`);
  return `${PACKAGE_NAME}/${match[1]}`;
}

/** The absolute path of the entry point that a specifier names, or `undefined` if it names none. */
export function entryPointOf(specifier: string, root: string = REPOSITORY_ROOT): string | undefined {
  const entryPoint = ENTRY_POINTS.find((candidate) => specifierOf(candidate) === specifier);
  return entryPoint === undefined ? undefined : join(root, entryPoint);
}

interface Section {
  readonly tag: string;
  /** Lines of the section (the tag itself removed), each with its offset into the comment's lines. */
  readonly lines: { readonly text: string; readonly index: number }[];
}

const FENCE = /^\s*```/;
const BLOCK_TAG = /(?<![{\w`@])@([a-zA-Z]\w*)/g;

/** Comment text without delimiters and leading `*`, one entry per source line. */
function commentLines(raw: string): string[] {
  const body = raw.replace(/^\/\*\*/, '').replace(/\*\/$/, '');
  return body.split(/\r?\n/).map((line, index) => (index === 0 ? line : line.replace(/^\s*\* ?/, '')));
}

/** Splits a comment into the summary section (tag `''`) and one section per block tag, fences kept whole. */
function sections(lines: readonly string[]): Section[] {
  const result: Section[] = [{ tag: '', lines: [] }];
  let inFence = false;
  lines.forEach((text, index) => {
    const current = (): Section => result[result.length - 1] as Section;
    if (FENCE.test(text)) {
      inFence = !inFence;
      current().lines.push({ text, index });
      return;
    }
    if (inFence) {
      current().lines.push({ text, index });
      return;
    }
    let rest = text;
    let match: RegExpExecArray | null;
    BLOCK_TAG.lastIndex = 0;
    match = BLOCK_TAG.exec(rest);
    while (match !== null) {
      const before = rest.slice(0, match.index);
      if (before.trim() !== '') current().lines.push({ text: before, index });
      result.push({ tag: match[1] as string, lines: [] });
      rest = rest.slice(match.index + match[0].length);
      BLOCK_TAG.lastIndex = 0;
      match = BLOCK_TAG.exec(rest);
    }
    if (rest.trim() !== '' || text.trim() === '') current().lines.push({ text: rest, index });
  });
  return result;
}

/** The ```ts fences of one section: code and the comment-line offset of the first code line. */
function fencesOf(section: Section): { code: string; index: number }[] {
  const fences: { code: string; index: number }[] = [];
  let open: { typescript: boolean; lines: string[]; index: number } | undefined;
  for (const { text, index } of section.lines) {
    if (FENCE.test(text)) {
      if (open === undefined) {
        const language = text.trim().slice(3).trim().split(/\s+/)[0] ?? '';
        open = { typescript: language === 'ts' || language === 'typescript', lines: [], index: index + 1 };
      } else {
        if (open.typescript) fences.push({ code: `${open.lines.join('\n')}\n`, index: open.index });
        open = undefined;
      }
    } else if (open !== undefined) {
      open.lines.push(text);
    }
  }
  return fences;
}

/** The TSDoc comment that documents a declaration: the last `/** ... *\/` before it. */
function docCommentOf(declaration: ts.Node): ts.JSDoc | undefined {
  const docs = ts.getJSDocCommentsAndTags(declaration).filter(ts.isJSDoc);
  return docs[docs.length - 1];
}

interface Collected {
  hasExampleTag: boolean;
  readonly fences: { code: string; file: string; line: number }[];
}

function collect(declaration: ts.Node, into: Collected, root: string): void {
  const doc = docCommentOf(declaration);
  if (doc === undefined) return;
  const sourceFile = doc.getSourceFile();
  const firstLine = sourceFile.getLineAndCharacterOfPosition(doc.pos).line;
  const file = relative(root, sourceFile.fileName).split('\\').join('/');
  for (const section of sections(commentLines(sourceFile.text.slice(doc.pos, doc.end)))) {
    if (section.tag !== 'example') continue;
    into.hasExampleTag = true;
    for (const fence of fencesOf(section)) {
      if (into.fences.some((seen) => seen.code === fence.code)) continue;
      into.fences.push({ code: fence.code, file, line: firstLine + fence.index + 1 });
    }
  }
}

function locationOf(symbol: string, declaration: ts.Node, root: string): ExportLocation {
  const sourceFile = declaration.getSourceFile();
  const line = sourceFile.getLineAndCharacterOfPosition(declaration.getStart(sourceFile)).line + 1;
  return { symbol, file: relative(root, sourceFile.fileName).split('\\').join('/'), line };
}

function isPublicMember(member: ts.ClassElement): boolean {
  if (member.name !== undefined && ts.isPrivateIdentifier(member.name)) return false;
  const flags = ts.getCombinedModifierFlags(member as ts.Declaration);
  return (flags & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected)) === 0;
}

function memberName(member: ts.ClassElement): string | undefined {
  if (ts.isConstructorDeclaration(member)) return 'constructor';
  if (member.name === undefined) return undefined;
  if (ts.isIdentifier(member.name) || ts.isStringLiteral(member.name) || ts.isNumericLiteral(member.name)) {
    return member.name.text;
  }
  return undefined;
}

function compilerOptions(root: string): ts.CompilerOptions {
  const configPath = join(root, 'tsconfig.json');
  const { config, error } = ts.readConfigFile(configPath, (path) => ts.sys.readFile(path));
  if (error !== undefined) throw new Error(ts.flattenDiagnosticMessageText(error.messageText, '\n'));
  const parsed = ts.parseJsonConfigFileContent(config, ts.sys, root, undefined, configPath);
  // Only declarations and their comments are read: no emit, no type library is needed.
  return { ...parsed.options, noEmit: true, types: [], skipLibCheck: true, noLib: true };
}

/** Extracts every example of every export of {@link ENTRY_POINTS} (one program for all of them). */
export function extractExamples(root: string = REPOSITORY_ROOT): ExtractionResult {
  const entryFiles = ENTRY_POINTS.map((entryPoint) => join(root, entryPoint));
  const program = ts.createProgram({ rootNames: entryFiles, options: compilerOptions(root) });
  const checker = program.getTypeChecker();
  const examples: DocExample[] = [];
  const withoutExample: ExportLocation[] = [];
  const withoutFence: ExportLocation[] = [];
  const seen = new Map<ts.Symbol, string>();
  const usedNames = new Set<string>();

  const record = (name: string, collected: Collected, location: ExportLocation, required: boolean): void => {
    if (!collected.hasExampleTag) {
      if (required) withoutExample.push(location);
      return;
    }
    if (collected.fences.length === 0) withoutFence.push(location);
    collected.fences.forEach((fence, position) => {
      const index = position + 1;
      examples.push({ name: `${name} example ${index}`, symbol: name, index, ...fence });
    });
  };

  ENTRY_POINTS.forEach((entryPoint, position) => {
    const sourceFile = program.getSourceFile(entryFiles[position] as string);
    if (sourceFile === undefined) throw new Error(`entry point ${entryPoint} not found`);
    const moduleSymbol = checker.getSymbolAtLocation(sourceFile);
    if (moduleSymbol === undefined) return;
    for (const exported of checker.getExportsOfModule(moduleSymbol)) {
      const target = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
      if (seen.has(target)) continue;
      const declarations = target.declarations ?? [];
      const first = declarations[0];
      if (first === undefined) continue;
      const name = usedNames.has(exported.name)
        ? `${specifierOf(entryPoint)}:${exported.name}`
        : exported.name;
      seen.set(target, name);
      usedNames.add(name);

      const collected: Collected = { hasExampleTag: false, fences: [] };
      for (const declaration of declarations) collect(declaration, collected, root);
      record(name, collected, locationOf(name, first, root), true);

      for (const declaration of declarations) {
        if (!ts.isClassDeclaration(declaration)) continue;
        const members = new Map<string, { collected: Collected; node: ts.ClassElement }>();
        for (const member of declaration.members) {
          const short = memberName(member);
          if (short === undefined || !isPublicMember(member) || docCommentOf(member) === undefined) continue;
          const entry = members.get(short) ?? {
            collected: { hasExampleTag: false, fences: [] },
            node: member,
          };
          collect(member, entry.collected, root);
          members.set(short, entry);
        }
        for (const [short, { collected: memberCollected, node }] of members) {
          const memberFullName = `${name}.${short}`;
          record(memberFullName, memberCollected, locationOf(memberFullName, node, root), false);
        }
      }
    }
  });
  return { examples, withoutExample, withoutFence };
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { examples, withoutExample, withoutFence } = extractExamples();
  for (const example of examples) console.log(`${example.name}  (${example.file}:${example.line})`);
  for (const missing of withoutExample)
    console.log(`no @example: ${missing.symbol}  (${missing.file}:${missing.line})`);
  for (const missing of withoutFence)
    console.log(`no \`\`\`ts fence: ${missing.symbol}  (${missing.file}:${missing.line})`);
  if (withoutExample.length > 0 || withoutFence.length > 0) process.exitCode = 1;
}
