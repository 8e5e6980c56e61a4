import { XMLBuilder } from 'fast-xml-parser';
import type { DomainDraft, XmlElement } from './domain-draft';
import { quoteValue } from '../options/option-error';
import { SandboxError } from '../sandbox-error';

const builder = new XMLBuilder({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  textNodeName: '#text',
  format: true,
  indentBy: '  ',
  suppressEmptyNode: true,
  processEntities: true,
});

/**
 * Serialises a draft to libvirt domain XML. The only place vsb writes XML: every name, path and
 * value goes through fast-xml-parser's entity escaping, never string concatenation.
 */
export function toDomainXml(draft: DomainDraft): string {
  return toXml('domain', draft.toElement());
}

/** Serialises one root element (a domain, a storage pool or volume) with the same escaping and checks. */
export function toXml(root: string, element: XmlElement): string {
  const xml = String(builder.build({ [root]: element }));
  const bad = NOT_XML_CHAR.exec(xml);
  // Entity escaping cannot help here: XML 1.0 has no way to write these characters at all.
  if (bad) {
    const line = xml.slice(xml.lastIndexOf('\n', bad.index) + 1, bad.index);
    const element = /<([A-Za-z]+)[^<]*$/.exec(line)?.[1] ?? root;
    throw new SandboxError('VSB_USAGE', `a value for the ${root}'s <${element}> holds ${quoteValue(bad[0])}, which libvirt's XML cannot carry`);
  }
  return xml;
}

/** What XML 1.0 cannot carry: C0 controls but tab and newlines, lone surrogates, U+FFFE/U+FFFF. */
const NOT_XML_CHAR = /[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
