import { definePlugin } from './plugin';
import { SecurityModelRegistry } from './registries';
import { SecurityLabeler } from './security-labeler';
import { DefaultSecurityLabeler } from './default-security-labeler';
import { register } from './token';

/** Registers core's defaults (the security labeler); a later registration of the same token wins. */
export const corePlugin = definePlugin({
  id: 'core',
  register(container) {
    register(container, SecurityLabeler, (c) => new DefaultSecurityLabeler(new SecurityModelRegistry(c)));
  },
});
