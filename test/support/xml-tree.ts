/**
 * A small XML well-formedness check and tree for the SVG text of ep-stats/report: a regex tokenizer over
 * comments, tags, entity references and text, with a stack of open elements. It accepts what the plots
 * write (elements, attributes in double or single quotes, the five predefined entities and character
 * references, comments) and rejects anything else rather than guessing: a stray `<` or `&`, an unknown
 * entity, an attribute without a quoted value or given twice, an end tag that closes another element,
 * unclosed elements, text or a second element outside the root.
 */

/** An element: its name, attributes (entities decoded), child elements and its text (entities decoded). */
export interface XmlElement {
  readonly name: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly children: XmlElement[];
  /** The concatenated text directly inside the element (not of its children). */
  text: string;
}

const NAME = '[A-Za-z_][\\w.:-]*';
const TOKEN = new RegExp(
  [
    '<!--(?<comment>[\\s\\S]*?)-->',
    `<\\/(?<close>${NAME})\\s*>`,
    `<(?<open>${NAME})(?<attributes>(?:\\s+${NAME}\\s*=\\s*(?:"[^"<]*"|'[^'<]*'))*)\\s*(?<selfClosing>\\/?)>`,
    '&(?<entity>[A-Za-z]+|#[0-9]+|#x[0-9A-Fa-f]+);',
    '(?<text>[^<&]+)',
    '(?<stray>[<&])',
  ].join('|'),
  'gy',
);
const ATTRIBUTE = new RegExp(`(${NAME})\\s*=\\s*(?:"([^"]*)"|'([^']*)')`, 'g');
const ENTITIES: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decodeEntity(entity: string): string {
  if (entity.startsWith('#x')) return String.fromCodePoint(Number.parseInt(entity.slice(2), 16));
  if (entity.startsWith('#')) return String.fromCodePoint(Number.parseInt(entity.slice(1), 10));
  const decoded = ENTITIES[entity];
  if (decoded === undefined) throw new Error(`unknown entity &${entity};`);
  return decoded;
}

function decodeText(text: string): string {
  if (/&(?![A-Za-z]+;|#[0-9]+;|#x[0-9A-Fa-f]+;)|</.test(text)) throw new Error(`unescaped text: ${text}`);
  return text.replace(/&([^;]+);/g, (_, entity: string) => decodeEntity(entity));
}

function parseAttributes(source: string): Record<string, string> {
  const attributes: Record<string, string> = {};
  for (const match of source.matchAll(ATTRIBUTE)) {
    const [, name = '', double, single] = match;
    if (Object.hasOwn(attributes, name)) throw new Error(`attribute ${name} given twice`);
    attributes[name] = decodeText(double ?? single ?? '');
  }
  return attributes;
}

/** Parses well-formed XML with one root element (an optional XML declaration is not accepted); throws otherwise. */
export function parseXml(source: string): XmlElement {
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < source.length) {
    const at = TOKEN.lastIndex;
    const groups = TOKEN.exec(source)?.groups;
    if (groups === undefined) throw new Error(`cannot tokenize at ${at}`);
    const current = stack.at(-1);
    if (groups.stray !== undefined) throw new Error(`stray ${groups.stray} at ${at}`);
    if (groups.comment !== undefined) {
      if (groups.comment.includes('--')) throw new Error(`-- inside a comment at ${at}`);
    } else if (groups.open !== undefined) {
      const element: XmlElement = {
        name: groups.open,
        attributes: parseAttributes(groups.attributes ?? ''),
        children: [],
        text: '',
      };
      if (current === undefined) {
        if (root !== undefined) throw new Error(`second root element <${element.name}> at ${at}`);
        root = element;
      } else {
        current.children.push(element);
      }
      if (groups.selfClosing !== '/') stack.push(element);
    } else if (groups.close !== undefined) {
      if (current?.name !== groups.close) {
        throw new Error(`</${groups.close}> at ${at} closes <${current?.name ?? 'nothing'}>`);
      }
      stack.pop();
    } else {
      const text = groups.entity !== undefined ? decodeEntity(groups.entity) : (groups.text ?? '');
      if (current === undefined) {
        if (text.trim() !== '' || groups.entity !== undefined)
          throw new Error(`text outside the root at ${at}`);
      } else {
        current.text += text;
      }
    }
  }
  if (stack.length > 0) throw new Error(`unclosed <${stack.at(-1)?.name}>`);
  if (root === undefined) throw new Error('no root element');
  return root;
}

/** Every element of the tree (the root first, then depth first) for which `keep` holds. */
export function findElements(root: XmlElement, keep: (element: XmlElement) => boolean): XmlElement[] {
  const found: XmlElement[] = [];
  const visit = (element: XmlElement) => {
    if (keep(element)) found.push(element);
    for (const child of element.children) visit(child);
  };
  visit(root);
  return found;
}

/** Elements named `name`, optionally with `class` `className`. */
export function elementsOf(root: XmlElement, name: string, className?: string): XmlElement[] {
  return findElements(
    root,
    (element) => element.name === name && (className === undefined || element.attributes.class === className),
  );
}

/** A numeric attribute, failing the test when it is missing or not a number. */
export function numberAttribute(element: XmlElement | undefined, name: string): number {
  const text = element?.attributes[name];
  const value = Number(text);
  if (text === undefined || text === '' || Number.isNaN(value)) {
    throw new Error(`<${element?.name ?? '?'}> has no numeric ${name}: ${String(text)}`);
  }
  return value;
}
