import assert from 'node:assert/strict';
import { bootCmdline } from '../src/boot-cmdline';
import { VSB_SHARE_TAGS } from '../src/vm-boot-shares';

describe('bootCmdline (what stage 1 reads from the kernel command line)', () => {
  it("names the shares and their transport before the init's own arguments", () => {
    assert.equal(
      bootCmdline(['console=hvc0', 'quiet'], { ...VSB_SHARE_TAGS, transport: 'xen' }),
      'console=hvc0 quiet vsb_root=sandbox:root vsb_config=sandbox:config vsb_9p=xen -- --stage1 vsb.conf',
    );
  });

  it('refuses a tag the kernel would split into two words', () => {
    assert.throws(() => bootCmdline([], { rootTag: 'my root', configTag: 'c', transport: 'virtio' }), /9p share tags must be one word/);
  });
});
