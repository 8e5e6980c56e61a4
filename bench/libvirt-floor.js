'use strict';
// The libvirt floor of `vsb run -- /bin/true`: vsb's own binding creating the equivalent minimal
// LXC domain (host root read-only, /bin/true as init, no network, one console) and waiting for its
// stopped event. Run as a script it is one Node process doing just that (the process floor);
// `floorOnce` is the same inside an already running process (the in-process floor).
const path = require('node:path');

const REPO = path.resolve(__dirname, '..');

/** The domain XML: what vsb's LXC backend would produce minus vsb's own config dir and channel. */
function floorXml(name) {
  return `<domain type='lxc'><name>${name}</name><memory unit='KiB'>524288</memory><vcpu>1</vcpu>
  <os><type>exe</type><init>/bin/true</init></os><features><privnet/></features>
  <devices><filesystem type='mount' accessmode='passthrough'><source dir='/'/><target dir='/'/><readonly/></filesystem>
  <console type='pty'/></devices></domain>`;
}

/** open + createXML + stopped event + close, timed in ms. */
async function floorOnce(name) {
  const { LibvirtNativeConnector } = require(path.join(REPO, 'packages', 'libvirt'));
  const t0 = performance.now();
  const conn = await new LibvirtNativeConnector().open('lxc:///');
  const stopped = new Promise((resolve) => {
    const off = conn.onLifecycle((e) => {
      if (e.domain === name && e.event === 'stopped') {
        off();
        resolve();
      }
    });
  });
  await conn.createXML(floorXml(name), { autodestroy: true });
  await stopped;
  const ms = performance.now() - t0;
  await conn.close();
  return ms;
}

if (require.main === module) {
  floorOnce(process.argv[2] ?? `vsb-bench-floor-${process.pid}`).then(
    () => process.exit(0),
    (e) => {
      console.error(e);
      process.exit(1);
    },
  );
}

module.exports = { floorOnce, floorXml };
