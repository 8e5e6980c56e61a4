export { ConsoleRpcTransport, type ConsoleRpcChannel, type ConsoleRpcAttachOptions } from './console-rpc-transport';
export { consoleRpcPlugin } from './console-rpc-plugin';
