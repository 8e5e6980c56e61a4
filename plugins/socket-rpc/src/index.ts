export { SocketListener } from './socket-listener';
export { SocketRpcTransport, SOCKET_FILE, isLocalUri } from './socket-rpc-transport';
export { socketRpcPlugin } from './socket-rpc-plugin';
