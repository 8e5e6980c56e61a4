export { SocketListener } from './socket-listener';
export { SocketRpcTransport, SOCKET_FILE } from './socket-rpc-transport';
// Lives in core now (the QEMU backend asks it too); still exported here, as before.
export { isLocalUri } from '@vsb/core';
export { socketRpcPlugin } from './socket-rpc-plugin';
export { passableStdio, type PassableStdio } from './passable-stdio';
