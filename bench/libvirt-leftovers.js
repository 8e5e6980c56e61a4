'use strict';
// The bench's floors make domains through libvirt without vsb, so no vsb watchdog removes what
// libvirt leaves of them on the host (/run/libvirt/DRIVER/NAME.*, /var/log/libvirt/DRIVER/NAME.log).
// This does, with core's list of those files, once libvirt is done with each domain.
const fs = require('node:fs');
const path = require('node:path');

const { systemDriverLeftovers } = require(path.join(__dirname, '..', 'packages', 'core'));

/** Removes libvirt's per-domain files of `names` on the LXC and QEMU system drivers (vsb's own runs have none left). */
async function removeLibvirtLeftovers(names) {
  for (const name of names) {
    for (const [uri, driver] of [['lxc:///', 'lxc'], ['qemu:///system', 'qemu']]) {
      const left = systemDriverLeftovers(uri, driver, name);
      if (!left) continue;
      // libvirt's status XML and pid file go when its teardown is done; a domain that never got that far has none.
      for (let i = 0; i < 100 && left.whileRunning.some((p) => fs.existsSync(p)); i++) await new Promise((r) => setTimeout(r, 100));
      for (const dir of left.dirs) {
        try {
          fs.rmdirSync(dir); // only when empty, as vsb's watchdog does
        } catch {
          // missing, or not empty: not libvirt's leftover alone
        }
      }
      for (const file of [...left.files, left.log]) fs.rmSync(file, { force: true });
    }
  }
}

module.exports = { removeLibvirtLeftovers };
