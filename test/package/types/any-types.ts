/**
 * Finds `any` in declaration files: the keyword as a type, and the places where a `.d.ts` means `any`
 * without writing it (a parameter, property or variable without a type, a method without a return type).
 *
 * The file is parsed with the TypeScript parser, not searched as text: `any` in a comment, in a string
 * (`'any'`), inside a word (`Many`, `company`) or as a name (`{ any: number }`, `x.any`) is not a type.
 */
import ts from 'typescript';

/** One `any` found. */
export interface AnyType {
  /** 1-based line. */
  readonly line: number;
  /** `any` (the keyword) or what lacks a type, e.g. `parameter without a type`. */
  readonly kind: string;
  /** The line's text, trimmed. */
  readonly text: string;
}

const PRIVATE = new Set([ts.SyntaxKind.PrivateKeyword]);

function isPrivate(node: ts.Node): boolean {
  if (!ts.canHaveModifiers(node)) return false;
  if ((ts.getModifiers(node) ?? []).some((modifier) => PRIVATE.has(modifier.kind))) return true;
  // `#private;` and `#field;` (ECMAScript private names): not reachable from outside.
  const name = (node as { name?: ts.Node }).name;
  return name !== undefined && ts.isPrivateIdentifier(name);
}

/** Inside a private member (whose declaration emit drops types on purpose: it is not public). */
function inPrivateMember(node: ts.Node): boolean {
  for (let current: ts.Node | undefined = node; current !== undefined; current = current.parent) {
    if (ts.isClassElement(current) && isPrivate(current)) return true;
  }
  return false;
}

/** What lacks a type where a declaration file then means `any`, or undefined. */
function missingType(node: ts.Node): string | undefined {
  if (inPrivateMember(node)) return undefined;
  if (ts.isParameter(node) && node.type === undefined) {
    // A setter's parameter takes the getter's type.
    return ts.isSetAccessorDeclaration(node.parent) ? undefined : 'parameter without a type';
  }
  if ((ts.isPropertyDeclaration(node) || ts.isPropertySignature(node)) && node.type === undefined) {
    // `static readonly x = 1` keeps a literal type.
    const literal = ts.isPropertyDeclaration(node) && node.initializer !== undefined;
    return literal ? undefined : 'property without a type';
  }
  if (ts.isVariableDeclaration(node) && node.type === undefined && node.initializer === undefined) {
    return 'variable without a type';
  }
  if (
    (ts.isMethodDeclaration(node) ||
      ts.isMethodSignature(node) ||
      ts.isFunctionDeclaration(node) ||
      ts.isCallSignatureDeclaration(node) ||
      ts.isConstructSignatureDeclaration(node) ||
      ts.isGetAccessorDeclaration(node)) &&
    node.type === undefined
  ) {
    return 'return type missing';
  }
  return undefined;
}

/**
 * Every `any` of a declaration file.
 *
 * @param fileName - Names the file (its extension tells the parser it is a declaration file).
 * @param text - The file's content.
 */
export function findAnyTypes(fileName: string, text: string): AnyType[] {
  const source = ts.createSourceFile(
    fileName,
    text,
    { languageVersion: ts.ScriptTarget.Latest, jsDocParsingMode: ts.JSDocParsingMode.ParseNone },
    true,
    ts.ScriptKind.TS,
  );
  const lines = text.split(/\r?\n/);
  const found: AnyType[] = [];
  const report = (node: ts.Node, kind: string) => {
    const line = source.getLineAndCharacterOfPosition(node.getStart(source)).line;
    found.push({ line: line + 1, kind, text: (lines[line] ?? '').trim() });
  };
  const visit = (node: ts.Node): void => {
    if (node.kind === ts.SyntaxKind.AnyKeyword) report(node, 'any');
    const missing = missingType(node);
    if (missing !== undefined) report(node, missing);
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}
