import { ConsoleTransport, definePlugin } from '@vsb/core';
import { SocketRpcTransport } from './socket-rpc-transport';

/** Registers {@link SocketRpcTransport} as a `ConsoleTransport` (it outranks console-rpc where it applies). */
export const socketRpcPlugin = definePlugin({
  id: 'socket-rpc',
  register(container) {
    container.register(ConsoleTransport, { useFactory: () => new SocketRpcTransport() });
  },
});
