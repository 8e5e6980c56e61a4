import type { XmlElement, XmlValue } from './domain-draft';

/** Attribute values of {@link xml}; `undefined` leaves the attribute out. */
export type XmlAttributes = Readonly<Record<string, string | number | undefined>>;
/** Content of {@link xml}: text, or child elements by tag (`undefined` leaves a child out, `''` is an empty one). */
export type XmlContent = string | number | Readonly<Record<string, XmlValue | undefined>>;

/**
 * One XML element for a {@link DomainDraft} without fast-xml-parser's `@_`/`#text` keys, so a plugin
 * reads like the XML it makes: `xml({ type: 'pty' }, { target: xml({ type: 'xen', port: 0 }) })` is
 * `<console type="pty"><target type="xen" port="0"/></console>`, `xml({ arch: 'x86_64' }, 'linux')`
 * is `<type arch="x86_64">linux</type>`. The serializer still writes (and escapes) the XML.
 */
export function xml(attributes: XmlAttributes = {}, content?: XmlContent): XmlElement {
  const element: XmlElement = {};
  for (const [name, value] of Object.entries(attributes)) if (value !== undefined) element[`@_${name}`] = value;
  if (typeof content === 'string' || typeof content === 'number') {
    element['#text'] = content;
  } else if (content) {
    for (const [tag, child] of Object.entries(content)) if (child !== undefined) element[tag] = child;
  }
  return element;
}
