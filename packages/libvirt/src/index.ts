/** @vsb/libvirt: vsb's own libvirt binding (connections, domains, lifecycle events, console streams). */
export { LibvirtNativeConnector } from './libvirt-native-connector';
export { libvirtPlugin } from './libvirt-plugin';
export { LibvirtError, LibvirtErrorCode } from './libvirt-error';
export { ConsoleStream } from './console-stream';
export { sendFileDescriptors, receiveFileDescriptors } from './send-file-descriptors';
export { NativeConnection } from './native-connection';
export { NativeDomain } from './native-domain';
export { lifecycleEventName, lifecycleDetailName, domainStateName } from './libvirt-names';
