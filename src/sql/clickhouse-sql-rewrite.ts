/**
 * Options of {@link rewriteClickHouseSql}.
 *
 * @example
 * ```ts
 * import type { ClickHouseRewriteOptions } from 'ep-stats/sql';
 * const forOldServers: ClickHouseRewriteOptions = { inlineCommonTableExpressions: true };
 * forOldServers.inlineCommonTableExpressions; // => true
 * ```
 * @public
 */
export interface ClickHouseRewriteOptions {
  /**
   * Whether to replace the common table expressions of a leading `WITH name AS (...)` list by subqueries
   * where they are read (ClickHouse before 20.11 has no such `WITH`). Default `false`.
   */
  readonly inlineCommonTableExpressions?: boolean;
}

type TokenKind =
  | 'space'
  | 'comment'
  | 'string'
  | 'quoted'
  | 'word'
  | 'open'
  | 'close'
  | 'comma'
  | 'dot'
  | 'other';

interface Token {
  readonly kind: TokenKind;
  readonly text: string;
}

/** Words that may follow a table in `FROM`, so that a word after a table is an alias only if not one of these. */
const AFTER_TABLE = new Set([
  'ANTI',
  'ANY',
  'ALL',
  'ARRAY',
  'ASOF',
  'CROSS',
  'FINAL',
  'FORMAT',
  'FULL',
  'GLOBAL',
  'GROUP',
  'HAVING',
  'INNER',
  'INTO',
  'JOIN',
  'LEFT',
  'LIMIT',
  'LOCAL',
  'ON',
  'ORDER',
  'OUTER',
  'PREWHERE',
  'RIGHT',
  'SAMPLE',
  'SEMI',
  'SETTINGS',
  'UNION',
  'USING',
  'WHERE',
  'WINDOW',
]);

/** Clauses after which a select item's alias may be read (so the select is left as written). */
const ALIAS_READING_CLAUSES = new Set([
  'ORDER',
  'HAVING',
  'LIMIT',
  'QUALIFY',
  'WINDOW',
  'FORMAT',
  'SETTINGS',
]);

/** Splits SQL into tokens; `undefined` when a string, quoted name or comment is not closed. */
function tokenize(sql: string): Token[] | undefined {
  const tokens: Token[] = [];
  let position = 0;
  const take = (kind: TokenKind, end: number) => {
    tokens.push({ kind, text: sql.slice(position, end) });
    position = end;
  };
  while (position < sql.length) {
    const character = sql[position] as string;
    const rest = sql.slice(position);
    const space = /^\s+/.exec(rest);
    const word = /^[A-Za-z0-9_$]+/.exec(rest);
    if (space) take('space', position + space[0].length);
    else if (rest.startsWith('--')) {
      const end = sql.indexOf('\n', position);
      take('comment', end < 0 ? sql.length : end);
    } else if (rest.startsWith('/*')) {
      const end = sql.indexOf('*/', position + 2);
      if (end < 0) return undefined;
      take('comment', end + 2);
    } else if (character === "'" || character === '`' || character === '"') {
      const end = closingQuote(sql, position);
      if (end === undefined) return undefined;
      take(character === "'" ? 'string' : 'quoted', end + 1);
    } else if (word) take('word', position + word[0].length);
    else if (character === '(') take('open', position + 1);
    else if (character === ')') take('close', position + 1);
    else if (character === ',') take('comma', position + 1);
    else if (character === '.') take('dot', position + 1);
    else take('other', position + 1);
  }
  return tokens;
}

/** Index of the quote that closes the string or name opened at `start` (`\` escapes, doubled quotes). */
function closingQuote(sql: string, start: number): number | undefined {
  const quote = sql[start];
  for (let index = start + 1; index < sql.length; index++) {
    const character = sql[index];
    if (character === '\\') index++;
    else if (character === quote) {
      if (sql[index + 1] === quote) index++;
      else return index;
    }
  }
  return undefined;
}

/** The name of an identifier token (quoted names unquoted), or `undefined` for other tokens. */
function nameOf(token: Token | undefined): string | undefined {
  if (token === undefined) return undefined;
  if (token.kind === 'word') return token.text;
  if (token.kind !== 'quoted') return undefined;
  const quote = token.text[0] as string;
  return token.text.slice(1, -1).replace(/\\(.)/gs, '$1').replaceAll(`${quote}${quote}`, quote);
}

const isWord = (token: Token | undefined, word: string) =>
  token?.kind === 'word' && token.text.toUpperCase() === word;

const significant = (token: Token) => token.kind !== 'space' && token.kind !== 'comment';

/** Index of the next (or previous, with `step` -1) significant token from `index`, else -1. */
function nextSignificant(tokens: readonly Token[], index: number, step = 1): number {
  for (let at = index; at >= 0 && at < tokens.length; at += step) {
    if (significant(tokens[at] as Token)) return at;
  }
  return -1;
}

/** Index of the `)` that closes the `(` at `open`, else -1. */
function closingParenthesis(tokens: readonly Token[], open: number): number {
  let depth = 0;
  for (let index = open; index < tokens.length; index++) {
    const kind = tokens[index]?.kind;
    if (kind === 'open') depth++;
    else if (kind === 'close' && --depth === 0) return index;
  }
  return -1;
}

/** Splits tokens at depth 0 where `isSeparator` returns a count of separator tokens to drop (else 0). */
function splitTopLevel(tokens: readonly Token[], isSeparator: (index: number) => number): Token[][] {
  const parts: Token[][] = [[]];
  let depth = 0;
  for (let index = 0; index < tokens.length; index++) {
    const token = tokens[index] as Token;
    if (token.kind === 'open') depth++;
    if (token.kind === 'close') depth--;
    const skip = depth === 0 ? isSeparator(index) : 0;
    if (skip > 0) {
      parts.push([]);
      index += skip - 1;
    } else (parts[parts.length - 1] as Token[]).push(token);
  }
  return parts;
}

/** The tokens without leading and trailing spaces and comments. */
function trimmed(tokens: readonly Token[]): Token[] {
  const first = nextSignificant(tokens, 0);
  return first < 0 ? [] : tokens.slice(first, nextSignificant(tokens, tokens.length - 1, -1) + 1);
}

const text = (tokens: readonly Token[]) =>
  tokens
    .map((token) => token.text)
    .join('')
    .trim();

/** Every identifier name in the tokens (words that call a function excluded). */
function identifierNames(tokens: readonly Token[]): Set<string> {
  const names = new Set<string>();
  tokens.forEach((token, index) => {
    const name = nameOf(token);
    if (name === undefined) return;
    const next = tokens[nextSignificant(tokens, index + 1)];
    if (token.kind === 'word' && next?.kind === 'open') return;
    names.add(name);
  });
  return names;
}

/** Whether a word of `words` (upper case) occurs outside parentheses. */
function hasTopLevelWord(tokens: readonly Token[], words: ReadonlySet<string>): boolean {
  let depth = 0;
  return tokens.some((token) => {
    if (token.kind === 'open') depth++;
    else if (token.kind === 'close') depth--;
    return depth === 0 && token.kind === 'word' && words.has(token.text.toUpperCase());
  });
}

/** Column names `ep_column_1`, `ep_column_2`, ... that the statement does not use yet. */
class FreshNames {
  #count = 0;
  constructor(private readonly taken: ReadonlySet<string>) {}

  next(): string {
    let name: string;
    do name = `ep_column_${++this.#count}`;
    while (this.taken.has(name));
    return name;
  }

  /** `base`, or `base_1`, `base_2`, ... when the statement uses it. */
  named(base: string): string {
    let name = base;
    for (let suffix = 1; this.taken.has(name); suffix++) name = `${base}_${suffix}`;
    return name;
  }
}

interface SelectItem {
  readonly tokens: Token[];
  /** The expression, without `AS alias`. */
  readonly expression: Token[];
  readonly alias: Token | undefined;
}

function selectItem(tokens: Token[]): SelectItem {
  const last = nextSignificant(tokens, tokens.length - 1, -1);
  const as = nextSignificant(tokens, last - 1, -1);
  const alias = tokens[last];
  if (as >= 0 && isWord(tokens[as], 'AS') && nameOf(alias) !== undefined) {
    return { tokens, expression: tokens.slice(0, as), alias };
  }
  return { tokens, expression: tokens, alias: undefined };
}

/** The column name of an item without alias that is a (possibly qualified) column, else `undefined`. */
function plainColumn(item: SelectItem): Token | undefined {
  const parts = item.tokens.filter(significant);
  const last = parts[parts.length - 1];
  if (nameOf(last) === undefined) return undefined;
  const isQualified = parts.every((token, index) =>
    index % 2 === 1 ? token.kind === 'dot' : nameOf(token) !== undefined,
  );
  return parts.length % 2 === 1 && isQualified ? last : undefined;
}

/**
 * One `SELECT ... FROM ...` (no `DISTINCT`, no clause that reads aliases) in which an item's alias names a
 * column that another item or a later clause reads: ClickHouse would read the alias there. Rewritten as
 * `SELECT inner AS alias, ... FROM (SELECT expression AS inner, ... FROM ...)`, which reads the columns.
 */
function unshadowSelect(tokens: readonly Token[], names: FreshNames): Token[] {
  const select = nextSignificant(tokens, 0);
  if (!isWord(tokens[select], 'SELECT')) return [...tokens];
  let depth = 0;
  let from = -1;
  for (let index = select + 1; index < tokens.length && from < 0; index++) {
    const token = tokens[index] as Token;
    if (token.kind === 'open') depth++;
    else if (token.kind === 'close') depth--;
    else if (depth === 0 && isWord(token, 'FROM')) from = index;
  }
  if (from < 0 || isWord(tokens[nextSignificant(tokens, select + 1)], 'DISTINCT')) return [...tokens];
  const rest = tokens.slice(from);
  if (hasTopLevelWord(rest, ALIAS_READING_CLAUSES)) return [...tokens];
  const items = splitTopLevel(tokens.slice(select + 1, from), (index) =>
    tokens[select + 1 + index]?.kind === 'comma' ? 1 : 0,
  ).map(selectItem);
  const readElsewhere = (item: SelectItem) =>
    identifierNames([...items.filter((other) => other !== item).flatMap((other) => other.tokens), ...rest]);
  const shadowing = items.some((item) => {
    const alias = nameOf(item.alias);
    return alias !== undefined && readElsewhere(item).has(alias);
  });
  if (!shadowing || items.some((item) => item.alias === undefined && plainColumn(item) === undefined)) {
    return [...tokens];
  }
  const inner: string[] = [];
  const outer: string[] = [];
  for (const item of items) {
    if (item.alias === undefined) {
      inner.push(text(trimmed(item.tokens)));
      outer.push((plainColumn(item) as Token).text);
      continue;
    }
    const fresh = names.next();
    inner.push(`${text(trimmed(item.expression))} AS \`${fresh}\``);
    outer.push(`\`${fresh}\` AS ${item.alias.text}`);
  }
  // The clauses stay tokens, so that common table expressions read there can still be inlined.
  let end = rest.length;
  while (end > 0 && !significant(rest[end - 1] as Token)) end--;
  return [
    ...tokens.slice(0, select),
    { kind: 'other', text: `SELECT ${outer.join(', ')} FROM (SELECT ${inner.join(', ')} ` },
    ...rest.slice(0, end),
    { kind: 'close', text: ')' },
    ...rest.slice(end),
  ];
}

/** A query body: each `UNION` branch un-shadowed. */
function unshadowQuery(tokens: readonly Token[], names: FreshNames): Token[] {
  const separators: Token[][] = [];
  const branches = splitTopLevel(tokens, (index) => {
    if (!isWord(tokens[index], 'UNION')) return 0;
    const next = nextSignificant(tokens, index + 1);
    const all = isWord(tokens[next], 'ALL') || isWord(tokens[next], 'DISTINCT');
    const end = all ? next + 1 : index + 1;
    separators.push(tokens.slice(index, end));
    return end - index;
  });
  return branches.flatMap((branch, index) => [
    ...unshadowSelect(branch, names),
    ...(separators[index] ?? []),
  ]);
}

/** Clauses that keep a `UNION` branch from being folded into one `ARRAY JOIN`. */
const NOT_FOLDABLE = new Set([
  'ARRAY',
  'FINAL',
  'FORMAT',
  'GROUP',
  'HAVING',
  'JOIN',
  'LIMIT',
  'ORDER',
  'PREWHERE',
  'SAMPLE',
  'SETTINGS',
  'WINDOW',
]);

const raw = (text: string): Token => ({ kind: 'other', text });

interface FoldableBranch {
  readonly items: SelectItem[];
  readonly relation: Token;
  readonly condition: Token[];
}

/** A branch `SELECT items FROM relation [WHERE condition]`, else `undefined`. */
function foldableBranch(tokens: readonly Token[]): FoldableBranch | undefined {
  const select = nextSignificant(tokens, 0);
  if (!isWord(tokens[select], 'SELECT') || isWord(tokens[nextSignificant(tokens, select + 1)], 'DISTINCT')) {
    return undefined;
  }
  let depth = 0;
  let from = -1;
  for (let index = select + 1; index < tokens.length && from < 0; index++) {
    const token = tokens[index] as Token;
    if (token.kind === 'open') depth++;
    else if (token.kind === 'close') depth--;
    else if (depth === 0 && isWord(token, 'FROM')) from = index;
  }
  const relationIndex = nextSignificant(tokens, from + 1);
  const relation = tokens[relationIndex];
  if (from < 0 || relation === undefined || nameOf(relation) === undefined) return undefined;
  const where = nextSignificant(tokens, relationIndex + 1);
  const condition = where < 0 ? [] : tokens.slice(where + 1);
  if ((where >= 0 && !isWord(tokens[where], 'WHERE')) || hasTopLevelWord(condition, NOT_FOLDABLE)) {
    return undefined;
  }
  const list = tokens.slice(select + 1, from);
  const items = splitTopLevel(list, (index) => (list[index]?.kind === 'comma' ? 1 : 0)).map(selectItem);
  return { items, relation, condition };
}

/**
 * `SELECT a1, b1 FROM r WHERE c1 UNION ALL SELECT a2, b2 FROM r WHERE c2` as one pass over `r`:
 * `SELECT tupleElement(row, 1) AS a1, tupleElement(row, 2) AS b1 FROM (SELECT row FROM r ARRAY JOIN
 * [tuple(a1, b1, c1), tuple(a2, b2, c2)] AS row WHERE tupleElement(row, 3))`, so that `r` is evaluated
 * once; `undefined` unless every branch has that form over the same relation.
 */
function foldUnion(tokens: readonly Token[], names: FreshNames): Token[] | undefined {
  let unionAll = true;
  const branches = splitTopLevel(tokens, (index) => {
    if (!isWord(tokens[index], 'UNION')) return 0;
    const all = nextSignificant(tokens, index + 1);
    if (!isWord(tokens[all], 'ALL')) unionAll = false;
    return all - index + 1;
  }).map(foldableBranch);
  const [first] = branches;
  if (!unionAll || branches.length < 2 || first === undefined) return undefined;
  const relation = nameOf(first.relation);
  const outputs = first.items.map((item) => item.alias ?? plainColumn(item));
  const sameShape = branches.every(
    (branch) => nameOf(branch?.relation) === relation && branch?.items.length === first.items.length,
  );
  if (!sameShape || outputs.some((output) => output === undefined)) return undefined;
  const row = `\`${names.named('ep_row')}\``;
  const columns = outputs.map((output, index) => `tupleElement(${row}, ${index + 1}) AS ${output?.text}`);
  const tuples = (branches as FoldableBranch[]).flatMap((branch, index) => [
    raw(index === 0 ? 'tuple(' : ', tuple('),
    ...branch.items.flatMap((item, position) => [
      ...(position === 0 ? [] : [raw(', ')]),
      ...trimmed(item.expression),
    ]),
    raw(', ('),
    ...(branch.condition.length === 0 ? [raw('1')] : trimmed(branch.condition)),
    raw('))'),
  ]);
  return [
    raw(`SELECT ${columns.join(', ')} FROM (SELECT ${row} `),
    { kind: 'word', text: 'FROM' },
    { kind: 'space', text: ' ' },
    first.relation,
    raw(' ARRAY JOIN ['),
    ...tuples,
    raw(`] AS ${row} WHERE tupleElement(${row}, ${outputs.length + 1}))`),
  ];
}

interface CommonTableExpression {
  readonly name: string;
  readonly nameToken: Token;
  readonly body: Token[];
}

/** The `WITH name AS (...), ...` list and the query after it, or `undefined` when there is none. */
function commonTableExpressions(
  tokens: readonly Token[],
): { ctes: CommonTableExpression[]; query: Token[] } | undefined {
  let index = nextSignificant(tokens, 0);
  if (!isWord(tokens[index], 'WITH')) return undefined;
  const ctes: CommonTableExpression[] = [];
  for (;;) {
    const nameIndex = nextSignificant(tokens, index + 1);
    const as = nextSignificant(tokens, nameIndex + 1);
    const open = nextSignificant(tokens, as + 1);
    const name = nameOf(tokens[nameIndex]);
    if (name === undefined || !isWord(tokens[as], 'AS') || tokens[open]?.kind !== 'open') return undefined;
    const close = closingParenthesis(tokens, open);
    if (close < 0) return undefined;
    ctes.push({ name, nameToken: tokens[nameIndex] as Token, body: tokens.slice(open + 1, close) });
    index = nextSignificant(tokens, close + 1);
    if (tokens[index]?.kind !== 'comma') return { ctes, query: tokens.slice(close + 1) };
  }
}

/** Replaces tables named like an inlined expression (after `FROM` or `JOIN`) by its subquery. */
function inline(tokens: readonly Token[], inlined: ReadonlyMap<string, string>): string {
  return tokens
    .map((token, index) => {
      const sql = inlined.get(nameOf(token) ?? '');
      if (sql === undefined) return token.text;
      const before = tokens[nextSignificant(tokens, index - 1, -1)];
      const after = tokens[nextSignificant(tokens, index + 1)];
      const isTable = isWord(before, 'FROM') || isWord(before, 'JOIN');
      if (!isTable || tokens[index - 1]?.kind === 'dot' || after?.kind === 'dot') return token.text;
      const hasAlias =
        isWord(after, 'AS') || (after?.kind === 'word' && !AFTER_TABLE.has(after.text.toUpperCase()));
      return hasAlias ? `(${sql})` : `(${sql}) AS ${token.text}`;
    })
    .join('');
}

/**
 * Adapts a statement of this module to ClickHouse, whose `SELECT` reads a select item's alias wherever its
 * name appears in the same `SELECT`, and whose servers before 20.11 have no common table expressions.
 *
 * @remarks
 * - A `SELECT` in which an alias names a column that the `SELECT` also reads
 *   (`SUM(count_1) AS count_1, SUM(count_1 * count_1) AS squares`) would read the alias in ClickHouse (and
 *   nest aggregates); it is rewritten as an outer `SELECT` over an inner one with fresh aliases, which reads
 *   the columns as standard SQL does. Only the `SELECT`s of the `WITH` list and the `UNION` branches of the
 *   main query are looked at (not nested subqueries), and not those with `DISTINCT` or with a clause that
 *   may read aliases (`ORDER BY`, `HAVING`, `LIMIT`).
 * - With `inlineCommonTableExpressions`, a leading `WITH name AS (query), ...` list is removed and each
 *   table name that reads one of its expressions (after `FROM` or `JOIN`) becomes the subquery: the same
 *   evaluation as current ClickHouse servers give common table expressions, which they compute again at
 *   each reference.
 * Strings, quoted names and comments are kept as written. A statement that is not a `SELECT` (or a `WITH`
 * list and a `SELECT`), or cannot be split into tokens, is returned unchanged.
 *
 * @param sql - A statement, e.g. from {@link compileAggregatedGoalsQuery} with {@link clickhouseDialect}.
 * @param options - Whether to inline common table expressions.
 * @returns The statement for ClickHouse.
 *
 * @example
 * ```ts
 * import { rewriteClickHouseSql } from 'ep-stats/sql';
 * const sql = 'SELECT SUM(c) AS c, COUNT(c) AS n FROM t';
 * rewriteClickHouseSql(sql); // => 'SELECT `ep_column_1` AS c, `ep_column_2` AS n FROM (SELECT SUM(c) AS `ep_column_1`, COUNT(c) AS `ep_column_2` FROM t)'
 * const chained = 'WITH a AS (SELECT 1 AS x)\nSELECT x FROM a';
 * rewriteClickHouseSql(chained, { inlineCommonTableExpressions: true }); // => 'SELECT x FROM (SELECT 1 AS x) AS a'
 * ```
 * @public
 */
export function rewriteClickHouseSql(sql: string, options: ClickHouseRewriteOptions = {}): string {
  const tokens = tokenize(sql);
  if (tokens === undefined) return sql;
  const names = new FreshNames(identifierNames(tokens));
  const list = commonTableExpressions(tokens);
  if (list === undefined) {
    const first = tokens[nextSignificant(tokens, 0)];
    if (!isWord(first, 'SELECT')) return sql;
    return unshadowQuery(tokens, names)
      .map((token) => token.text)
      .join('');
  }
  if (options.inlineCommonTableExpressions !== true) {
    const ctes = list.ctes.map(
      ({ nameToken, body }) => `${nameToken.text} AS (${text(trimmed(unshadowQuery(body, names)))})`,
    );
    return `WITH ${ctes.join(',\n')}\n${text(unshadowQuery(list.query, names))}`;
  }
  const inlined = new Map<string, string>();
  for (const { name, body } of list.ctes) {
    inlined.set(name, inline(trimmed(unshadowQuery(body, names)), inlined));
  }
  const query = foldUnion(list.query, names) ?? unshadowQuery(list.query, names);
  return inline(query, inlined).trim();
}
