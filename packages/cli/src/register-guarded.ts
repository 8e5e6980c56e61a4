import type { DependencyContainer } from 'tsyringe';
import type { ThirdPartyPlugin } from './installed-plugins';
import { firstLine } from './installed-plugins';

/**
 * Registers a third-party plugin all or nothing: its `register` runs against a recorder, and only
 * when it returns are the recorded registrations made in `container`. One that throws is reported
 * in one line naming it and leaves nothing behind, so vsb runs on without it.
 */
export function registerGuarded(container: DependencyContainer, { plugin, source }: ThirdPartyPlugin, warn: (line: string) => void): void {
  const recorded: Array<Parameters<DependencyContainer['register']>> = [];
  const recorder = new Proxy(container, {
    get(target, key, receiver) {
      if (key === 'register') {
        return (...args: Parameters<DependencyContainer['register']>) => {
          recorded.push(args);
          return recorder;
        };
      }
      const value = Reflect.get(target, key, receiver) as unknown;
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  try {
    plugin.register(recorder);
  } catch (err) {
    warn(`plugin '${plugin.id}' (${source}) failed to register, running without it: ${firstLine(err)}`);
    return;
  }
  for (const args of recorded) container.register(...args);
}
