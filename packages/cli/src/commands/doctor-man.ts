import type { ManSections } from '../man/man-sections';

/** The sections of vsb-doctor(1) that its flags and examples cannot say. */
export const doctorMan: ManSections = {
  exitStatus: [
    { term: '0', text: 'No check failed: a default vsb run (or one on --connect URI) would work; warnings name features that are missing or slow.' },
    { term: '1', text: 'At least one check failed; its line says what to do.' },
    { term: '2', text: 'A usage error.' },
  ],
  environment: [
    { term: 'VSB_PLUGINS', text: 'Third-party plugins are loaded as for vsb run, so their security models count.' },
    { term: 'VSB_STATE_ROOT', text: 'The state root searched for dirs of dead runs.' },
    { term: 'VSB_CACHE_DIR', text: 'The cache searched for half-written boot files.' },
  ],
  files: [
    { term: '/run/vsb', text: 'State dirs; one whose vsb process is gone is reported.' },
    { term: '/run/libvirt/lxc, /var/log/libvirt', text: 'Files libvirt keeps per domain; those of ended vsb-* domains are reported.' },
    { term: '/var/cache/vsb/guest-kernel', text: 'The kernel VMs boot when the running one has no image or modules.' },
  ],
  security: [
    'vsb doctor only reads: it opens libvirt connections, asks for capabilities, domains and networks, and creates nothing. It needs the same rights as vsb run (root for lxc:///).',
  ],
  seeAlso: ['vsb(1)', 'vsb-run(1)', 'virsh(1)', 'libvirtd(8)'],
};
