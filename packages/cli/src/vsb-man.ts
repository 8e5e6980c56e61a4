import type { ManSections } from './man/man-sections';

/** What vsb(1) says before its list of commands. */
export const VSB_MAN_DESCRIPTION = [
  "vsb runs one application inside a throwaway sandbox built by libvirt: a Linux container (libvirt's LXC driver, the default) or a virtual machine (QEMU, booting a host kernel) that sees the host's filesystem read-only, with no OS image to maintain.",
  "The application gets your stdin, stdout and stderr and its exit status becomes vsb's; when it ends, the sandbox is gone: no domain, no state directory, no temporary file is left behind.",
  'With vsb run --detach the sandbox runs in the background, held by a keeper process of its own: vsb ps lists such sandboxes, vsb exec runs more commands in one (as confined as its application, in about the time Node takes to start), vsb attach connects a terminal to its application, vsb logs shows what it wrote, vsb stop ends it.',
  "vsb is the successor of libvirt-sandbox's virt-sandbox, whose options it keeps.",
].join('\n\n');

/** The sections of vsb(1) shared by every command. */
export const vsbMan: ManSections = {
  exitStatus: [
    { term: '0', text: 'Success (vsb run: the exit status of the application).' },
    { term: '1', text: 'A failure, described in one line on stderr.' },
    { term: '2', text: 'A usage error: one line naming the option.' },
  ],
  environment: [
    { term: 'VSB_PLUGINS', text: 'Colon-separated module names or paths of third-party plugins.' },
    { term: 'VSB_TIMING', text: 'When set, vsb run prints its start-up timings.' },
  ],
  files: [
    { term: '/run/vsb', text: 'State directories of running sandboxes (root; $XDG_RUNTIME_DIR/vsb for other users).' },
    { term: '/var/cache/vsb', text: 'Cached VM boot files (root; $XDG_CACHE_HOME/vsb for other users).' },
  ],
  seeAlso: ['virsh(1)', 'libvirtd(8)'],
};
