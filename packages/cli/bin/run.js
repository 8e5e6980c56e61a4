#!/usr/bin/env node
// vsb's entry point: oclif dispatches to dist/src/commands. The exit does not wait for work left
// behind on purpose: closing a libvirt connection returns only once libvirtd has torn the ended
// domain down (~200 ms on LXC), and AUTODESTROY finishes that without us.
require('@oclif/core').execute({ dir: __dirname }).finally(() => process.exit());
