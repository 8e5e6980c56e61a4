import { definePlugin, SecurityModel } from '@vsb/core';
import { DacModel } from './dac-model';
import { NoneModel } from './none-model';
import { SelinuxModel } from './selinux-model';

export { DacModel, DYNAMIC_DAC_BASE, dynamicDacId } from './dac-model';
export { NoneModel } from './none-model';
export { readProcessLabel, SelinuxModel } from './selinux-model';
export { keepSourceLabels } from './keep-source-labels';

/** The security models core's labeler chooses from: selinux (sVirt), dac (QEMU's uid) and none. */
export const svirtPlugin = definePlugin({
  id: 'security-svirt',
  register(container) {
    container.register(SecurityModel, { useFactory: () => new SelinuxModel() });
    container.register(SecurityModel, { useFactory: () => new DacModel() });
    container.register(SecurityModel, { useFactory: () => new NoneModel() });
  },
});
