import { definePlugin, LibvirtConnector } from '@vsb/core';
import { LibvirtNativeConnector } from './libvirt-native-connector';

/**
 * Registers the native {@link LibvirtConnector}: the single place the CLI gets a real libvirt
 * from; tests register a fake under the same token instead.
 */
export const libvirtPlugin = definePlugin({
  id: 'libvirt',
  register(c) {
    c.register(LibvirtConnector, { useFactory: () => new LibvirtNativeConnector() });
  },
});
