import assert from 'node:assert/strict';
import { guestCapabilitiesOf, securityCapabilitiesOf } from '../src';

describe('guestCapabilitiesOf', () => {
  it('reads os type, arch, machines (aliases and per-domain ones too) and domain types', () => {
    const xml = `<capabilities><host><cpu><arch>x86_64</arch></cpu><secmodel><model>none</model></secmodel></host>
      <guest><os_type>hvm</os_type><arch name='x86_64'><wordsize>64</wordsize><emulator>/usr/bin/qemu-system-x86_64</emulator>
        <machine maxCpus='288'>pc-q35-7.2</machine><machine canonical='pc-q35-7.2' maxCpus='288'>q35</machine>
        <machine maxCpus='288'>microvm</machine>
        <domain type='qemu'/><domain type='kvm'><machine>pc-kvm-only</machine></domain></arch></guest>
      <guest><os_type>exe</os_type><arch name='x86_64'><domain type='lxc'/></arch></guest></capabilities>`;
    assert.deepEqual(guestCapabilitiesOf(xml), [
      { osType: 'hvm', arch: 'x86_64', machines: ['pc-q35-7.2', 'q35', 'microvm', 'pc-kvm-only'], domainTypes: ['qemu', 'kvm'] },
      { osType: 'exe', arch: 'x86_64', machines: [], domainTypes: ['lxc'] },
    ]);
  });

  it('is empty for capabilities without guests', () => {
    assert.deepEqual(guestCapabilitiesOf('<capabilities><host/></capabilities>'), []);
  });
});

describe('securityCapabilitiesOf', () => {
  it('reads the offered models and their base labels per domain type', () => {
    const xml = `<capabilities><host><cpu/>
      <secmodel><model>none</model><doi>0</doi></secmodel>
      <secmodel><model>dac</model><doi>0</doi><baselabel type='kvm'>+64055:+64055</baselabel><baselabel type='qemu'>+64055:+64055</baselabel></secmodel>
    </host></capabilities>`;
    assert.deepEqual(securityCapabilitiesOf(xml), [
      { model: 'none', baseLabels: {} },
      { model: 'dac', baseLabels: { kvm: '+64055:+64055', qemu: '+64055:+64055' } },
    ]);
    assert.deepEqual(securityCapabilitiesOf('<capabilities><host/></capabilities>'), []);
  });
});
