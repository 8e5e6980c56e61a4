import { definePlugin, FilesystemMapper, SandboxBackend } from '@vsb/core';
import { LxcBackend } from './lxc-backend';
import { LxcGuestBindMapper, LxcHostBindMapper, LxcHostImageMapper, LxcRamMapper } from './lxc-mappers';

export { LxcBackend, type LxcAssets } from './lxc-backend';
export { LxcGuestBindMapper, LxcHostBindMapper, LxcHostImageMapper, LxcRamMapper } from './lxc-mappers';

/** The LXC backend and its four filesystem mappers. */
export const lxcPlugin = definePlugin({
  id: 'backend-lxc',
  register(container) {
    container.register(SandboxBackend, { useFactory: () => new LxcBackend() });
    for (const Mapper of [LxcHostBindMapper, LxcHostImageMapper, LxcGuestBindMapper, LxcRamMapper]) {
      container.register(FilesystemMapper, { useFactory: () => new Mapper() });
    }
  },
});
