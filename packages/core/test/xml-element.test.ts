import assert from 'node:assert/strict';
import { DomainDraft, toDomainXml, xml } from '../src';

describe('xml', () => {
  it('writes attributes, text and children without @_ or #text keys, leaving out undefined ones', () => {
    assert.deepEqual(xml({ arch: 'x86_64', machine: undefined }, 'linux'), { '@_arch': 'x86_64', '#text': 'linux' });
    assert.deepEqual(xml({ type: 'pty' }, { target: xml({ type: 'xen', port: 0 }), readonly: '', log: undefined }), {
      '@_type': 'pty',
      target: { '@_type': 'xen', '@_port': 0 },
      readonly: '',
    });
  });

  it('is what the serializer writes as XML', () => {
    const draft = new DomainDraft();
    draft.type = 'xen';
    draft.addDevice('console', xml({ type: 'pty' }, { target: xml({ type: 'xen', port: 0 }) }));
    assert.match(toDomainXml(draft), /<console type="pty">\s*<target type="xen" port="0"\/>\s*<\/console>/);
  });
});
