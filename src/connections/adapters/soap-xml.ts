/**
 * A small strict XML reader for SOAP envelopes such as Salesforce's Outbound Messages: elements,
 * attributes, text, the five predefined entities and character references, comments, the XML
 * declaration and CDATA. A DOCTYPE (and so any entity expansion) or processing instruction is
 * refused, as are mixed content, unclosed or mismatched tags; depth and element count are bounded.
 * (src/calendars/business-time/xml-calendar.ts keeps its own reader private and refuses text, so
 * it cannot serve here.) Names keep their prefix; localName() strips it.
 */

export interface XmlNode {
  name: string;
  attributes: Record<string, string>;
  children: XmlNode[];
  /** Text of a leaf element (entities decoded); '' when it has child elements or is empty. */
  text: string;
}

export const XML_LIMITS = { maxDepth: 16, maxElements: 50_000 } as const;

const NAME = /[A-Za-z_][\w.:-]*/y;
const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

export function localName(name: string): string {
  const colon = name.indexOf(':');
  return colon === -1 ? name : name.slice(colon + 1);
}

function decode(raw: string): string {
  return raw.replace(/&([^;&<]{1,10});/g, (whole, entity: string) => {
    if (entity in ENTITIES) return ENTITIES[entity];
    const code = entity.startsWith('#x') ? parseInt(entity.slice(2), 16) : entity.startsWith('#') ? parseInt(entity.slice(1), 10) : NaN;
    if (!Number.isInteger(code) || code <= 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) throw new Error(`unknown entity ${whole}`);
    return String.fromCodePoint(code);
  });
}

/** The root element, or why the text is not a well-formed document of this subset. */
export function readXml(text: string): { ok: true; root: XmlNode } | { ok: false; reason: string } {
  try {
    return { ok: true, root: read(text) };
  } catch (error) {
    return { ok: false, reason: `body is not well-formed XML: ${(error as Error).message}` };
  }
}

function read(text: string): XmlNode {
  let at = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let elements = 0;
  const stack: XmlNode[] = [];
  const pendingText: string[] = [];
  let root: XmlNode | undefined;
  const skipSpace = () => {
    while (at < text.length && /\s/.test(text[at])) at++;
  };
  const name = (): string => {
    NAME.lastIndex = at;
    const match = NAME.exec(text);
    if (!match) throw new Error(`a name was expected at offset ${at}`);
    at = NAME.lastIndex;
    return match[0];
  };
  while (at < text.length) {
    if (text.startsWith('<?', at)) {
      const end = text.indexOf('?>', at);
      if (end === -1 || !/^<\?xml[\s?]/.test(text.slice(at, at + 6)) || at > 1 || root) throw new Error('processing instructions other than the XML declaration are not accepted');
      at = end + 2;
    } else if (text.startsWith('<!--', at)) {
      const end = text.indexOf('-->', at + 4);
      if (end === -1) throw new Error('unterminated comment');
      at = end + 3;
    } else if (text.startsWith('<![CDATA[', at)) {
      const end = text.indexOf(']]>', at);
      if (end === -1 || stack.length === 0) throw new Error('CDATA outside an element or unterminated');
      pendingText.push(text.slice(at + 9, end));
      at = end + 3;
    } else if (text.startsWith('<!', at)) {
      throw new Error('DOCTYPE and other declarations are not accepted');
    } else if (text.startsWith('</', at)) {
      at += 2;
      const closing = name();
      skipSpace();
      if (text[at] !== '>') throw new Error(`</${closing} is not closed`);
      at++;
      const open = stack.pop();
      if (!open || open.name !== closing) throw new Error(`</${closing}> does not close <${open?.name ?? 'nothing'}>`);
      const content = pendingText.join('');
      pendingText.length = 0;
      if (content.trim() !== '') {
        if (open.children.length > 0) throw new Error(`<${open.name}> mixes text and elements`);
        open.text = content;
      }
    } else if (text[at] === '<') {
      at++;
      if (root && stack.length === 0) throw new Error('more than one root element');
      if (stack.length >= XML_LIMITS.maxDepth) throw new Error(`elements are nested deeper than ${XML_LIMITS.maxDepth} levels (the limit)`);
      if (++elements > XML_LIMITS.maxElements) throw new Error(`more than ${XML_LIMITS.maxElements} elements (the limit)`);
      const parent = stack[stack.length - 1];
      if (parent && pendingText.join('').trim() !== '') throw new Error(`<${parent.name}> mixes text and elements`);
      pendingText.length = 0;
      const node: XmlNode = { name: name(), attributes: Object.create(null) as Record<string, string>, children: [], text: '' };
      for (;;) {
        const before = at;
        skipSpace();
        if (text.startsWith('/>', at)) {
          at += 2;
          break;
        }
        if (text[at] === '>') {
          at++;
          stack.push(node);
          break;
        }
        if (at === before) throw new Error(`<${node.name}>: a space was expected before an attribute`);
        const attribute = name();
        skipSpace();
        if (text[at] !== '=') throw new Error(`<${node.name}>: attribute ${attribute} has no value`);
        at++;
        skipSpace();
        const quote = text[at];
        if (quote !== '"' && quote !== "'") throw new Error(`<${node.name}>: attribute ${attribute} is not quoted`);
        const end = text.indexOf(quote, at + 1);
        if (end === -1) throw new Error(`<${node.name}>: attribute ${attribute} is not closed`);
        const value = text.slice(at + 1, end);
        if (value.includes('<')) throw new Error(`<${node.name}>: attribute ${attribute} holds "<"`);
        if (attribute in node.attributes) throw new Error(`<${node.name}>: attribute ${attribute} is given twice`);
        node.attributes[attribute] = decode(value);
        at = end + 1;
      }
      if (parent) parent.children.push(node);
      else root = node;
    } else {
      const next = text.indexOf('<', at);
      const end = next === -1 ? text.length : next;
      const chunk = text.slice(at, end);
      if (stack.length === 0) {
        if (chunk.trim() !== '') throw new Error('text outside the root element');
      } else {
        if (chunk.includes('>') && chunk.includes(']]>')) throw new Error('"]]>" in text');
        pendingText.push(decode(chunk));
      }
      at = end;
    }
  }
  if (stack.length > 0) throw new Error(`<${stack[stack.length - 1].name}> is not closed`);
  if (!root) throw new Error('no root element');
  return root;
}

export function childrenNamed(node: XmlNode, local: string): XmlNode[] {
  return node.children.filter((child) => localName(child.name) === local);
}

export function childNamed(node: XmlNode, local: string): XmlNode | undefined {
  return node.children.find((child) => localName(child.name) === local);
}

export function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c] as string);
}
