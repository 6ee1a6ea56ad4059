/** The XML check of the plot tests (test/support/xml-tree.ts) rejects what is not well-formed. */
import { describe, expect, it } from 'vitest';
import { parseXml } from '../support/xml-tree.js';

describe('parseXml', () => {
  it('reads elements, attributes, text and entities', () => {
    const root = parseXml('<a x="1 &amp; 2"><b/><!-- note --><c y=\'q\'>&lt;&#65;&#x42;&quot;</c> tail</a>');
    expect(root.name).toBe('a');
    expect(root.attributes).toEqual({ x: '1 & 2' });
    expect(root.children.map((child) => child.name)).toEqual(['b', 'c']);
    expect(root.children[1]?.text).toBe('<AB"');
    expect(root.text).toBe(' tail');
  });

  it.each([
    ['an unclosed element', '<a><b></a>'],
    ['a crossed end tag', '<a><b></a></b>'],
    ['a stray <', '<a>1 < 2</a>'],
    ['a stray &', '<a>1 & 2</a>'],
    ['an unknown entity', '<a>&nbsp;</a>'],
    ['an unquoted attribute', '<a x=1></a>'],
    ['an attribute given twice', '<a x="1" x="2"></a>'],
    ['< in an attribute', '<a x="<"></a>'],
    ['two roots', '<a/><b/>'],
    ['text outside the root', 'text<a/>'],
    ['nothing', '  '],
  ])('rejects %s', (_, text) => {
    expect(() => parseXml(text)).toThrow();
  });
});
