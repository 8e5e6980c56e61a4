import { ConsoleTransport, definePlugin } from '@vsb/core';
import { ConsoleRpcTransport } from './console-rpc-transport';

/** Registers {@link ConsoleRpcTransport} as a `ConsoleTransport` (explicitly, no decorators). */
export const consoleRpcPlugin = definePlugin({
  id: 'console-rpc',
  register(container) {
    container.register(ConsoleTransport, { useFactory: () => new ConsoleRpcTransport() });
  },
});
