import { XMLBuilder } from 'fast-xml-parser';
import type { DomainDraft } from './domain-draft';

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
  return String(builder.build({ domain: draft.toElement() }));
}
