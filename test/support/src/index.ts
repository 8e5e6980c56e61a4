export { EVERY_MOUNT_TYPE, sampleConfig } from './sample-config';
export { validateDomainXml } from './validate-domain-xml';
export { goldenFile } from './golden-file';
export { FakeConnection, FakeDomain, FakeLibvirt, type FakeLibvirtHooks } from './fake-libvirt';
