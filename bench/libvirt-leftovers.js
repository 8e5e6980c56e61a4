'use strict';
// The bench's floors make domains through libvirt without vsb: core's removeLibvirtLeftovers removes
// what libvirt leaves of them on the host, as vsb's watchdog does for its own runs.
const path = require('node:path');

module.exports = { removeLibvirtLeftovers: require(path.join(__dirname, '..', 'packages', 'core')).removeLibvirtLeftovers };
