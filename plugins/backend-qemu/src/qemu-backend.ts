import type {
  BuildContext,
  ConsoleEndpoint,
  DomainDraft,
  GuestCapability,
  HostLeftovers,
  PrepareRequest,
  SandboxBackend,
  SandboxConfig,
  SecuritySpec,
} from '@vsb/core';
import { interfaceElement, isLocalUri, libvirtArch, SandboxError, systemDriverLeftovers, uriDriver } from '@vsb/core';
import { bootCmdline, ninePShare, prepareBoot, VSB_SHARE_TAGS, virtioDisk, withVirtioAddress } from '@vsb/vm-boot';
import type { VmBootShares, VmDrivers } from '@vsb/vm-boot';
import { hostCpu } from './host-cpu';
import type { QemuAssets } from './qemu-assets';

/** Kernel command line of every VM sandbox; each word saves boot time or keeps a failure from hanging. */
const CMDLINE = [
  'console=ttyS0',
  // No speculative-execution workarounds in a guest that runs one app and is thrown away.
  'mitigations=off',
  // Crypto self-tests cost boot time under TCG and test nothing the sandbox uses.
  'cryptomgr.notests',
  // A stage-1 failure must end the VM (on_reboot=destroy), not leave it waiting.
  'panic=-1',
  // Only the security modules the app's confinement uses (Landlock); AppArmor, TOMOYO, IMA/EVM and
  // audit only cost boot time in a VM that is itself the sandbox (about 50 ms of TCG here, together
  // with the next two).
  'lsm=landlock,yama',
  'audit=0',
  // One serial port to probe, and no check of a timer interrupt TCG delivers late anyway.
  '8250.nr_uarts=1',
  'no_timer_check',
  // No write protection of the guest kernel's own text and rodata, and so no W+X page-table walk
  // (CONFIG_DEBUG_WX) after it: a quarter of the guest's instructions up to /init under TCG here.
  // The boundary of a VM sandbox is the hypervisor, not the guest kernel's hardening.
  'rodata=off',
];

const ARCH = libvirtArch();

/** The root and config shares: virtio-9p devices. */
const SHARES: VmBootShares = { ...VSB_SHARE_TAGS, transport: 'virtio' };

/**
 * What the guest kernel needs for this run's devices besides 9p and disks: the stdio channel's
 * virtio_console, virtio_net for `-N` (its dependencies, net_failover and failover, come from
 * modules.dep), and the virtio transports of microvm (mmio) and q35 (pci), whichever the kernel has
 * as modules.
 */
function drivers(config: SandboxConfig): VmDrivers {
  const modules = ['virtio_console', ...(config.networks.length > 0 ? ['virtio_net'] : [])];
  return { transport: SHARES.transport, modules, optionalModules: ['virtio_mmio', 'virtio_pci'] };
}

/** Least memory a VM sandbox is started with. */
export const MIN_VM_MEMORY_BYTES = 128 * 1024 * 1024;

/**
 * Sandboxes as QEMU virtual machines (`<domain type='kvm'>`, or `'qemu'` = TCG emulation when the
 * host offers no KVM), as the original's BuilderMachine but without its 14.9 s boot here: a microvm
 * machine with virtio-mmio devices when libvirt offers it (else q35), the host kernel as an
 * uncompressed vmlinux with a generated initrd, the host root (or `--root`) as the read-only 9p
 * share `sandbox:root`, the config dir as `sandbox:config`, the kernel's log on the serial console,
 * the stdio protocol on a virtio-serial channel, `--shell` on a virtio console (`hvc0`) and one
 * virtio-net per `-N` (`-N user`: QEMU's user-mode network, no bridge or root needed).
 */
export class QemuBackend implements SandboxBackend<QemuAssets> {
  readonly id = 'qemu';
  readonly kind = 'vm' as const;
  readonly needsCapabilities = true;
  /** The serial port: kernel messages and the init's stage-1 errors. */
  readonly logConsole = 'serial0';

  claims(uri: string): boolean {
    return uriDriver(uri) === 'qemu';
  }

  /** `/var/log/libvirt/qemu/NAME.log` (QEMU's stderr, kept by virtlogd). */
  hostLeftovers(config: SandboxConfig): HostLeftovers | undefined {
    return systemDriverLeftovers(config.uri, 'qemu', config.name);
  }

  /**
   * libvirt reports only QEMU's first line of stderr, which here is always a deprecation warning;
   * the cause (`Cannot allocate memory`, `Unable to read .../master-key.aes`) is QEMU's last error.
   */
  startFailureCause(log: string): string | undefined {
    const errors = log
      .split('\n')
      .map((line) => /qemu-system-[^:\s]*: (.*)$/.exec(line)?.[1]?.replace(/^-[a-z]+ \S+: /, ''))
      .filter((line): line is string => line !== undefined && !/^warning: /.test(line));
    return errors.at(-1);
  }

  /** vm-boot's kernel and initrd, and what the local CPU allows (KVM, the TSC rate). */
  async prepare(request: PrepareRequest): Promise<QemuAssets> {
    // Below this the guest kernel cannot unpack its initrd and the run failed 35 s later with a
    // console handshake error; 64 MiB fails here, 96 MiB boots, 128 MiB leaves room.
    if (request.config.memoryBytes < MIN_VM_MEMORY_BYTES) {
      throw new SandboxError(
        'VSB_BAD_SIZE',
        `--memory: a VM sandbox needs at least ${MIN_VM_MEMORY_BYTES / 1024 / 1024}M (its kernel, initrd and init), not ${Math.floor(request.config.memoryBytes / 1024 / 1024)}M`,
      );
    }
    const [boot, cpu] = await Promise.all([prepareBoot(request, drivers(request.config)), hostCpu()]);
    // The local CPU says nothing about a remote host's: there, libvirt's word is all there is (ctx.hostCpu).
    const local = isLocalUri(request.config.uri);
    return {
      ...boot,
      tscKhz: local ? cpu.tscKhz : undefined,
      kvmUsable: local ? cpu.hardwareVirt : undefined,
      callerUid: process.getuid?.() ?? 0,
    };
  }

  /**
   * A root caller's VM on the system daemon runs as a per-sandbox unprivileged uid (the DAC model's
   * `--security dac`), not as root: through the 9p root a root QEMU reads every root-only file of
   * the host (`/etc/shadow`) for the guest. Files it reads must be world-readable, and what it
   * writes (host-bind, host-image) must be writable for that uid; `--security dac,label=+0:+0`
   * asks for root explicitly. Other callers' QEMU runs as themselves (session) or libvirt's user.
   */
  defaultSecurity(config: SandboxConfig, assets: QemuAssets | undefined): SecuritySpec | undefined {
    return assets?.callerUid === 0 && /^qemu(\+unix)?:\/\/\/system\b/.test(config.uri) ? { mode: 'dynamic', model: 'dac' } : undefined;
  }

  build(ctx: BuildContext<QemuAssets>, draft: DomainDraft): void {
    const { config, assets } = ctx;
    if (!assets) throw new SandboxError('VSB_INTERNAL', 'qemu backend: build without the kernel and initrd its prepare step makes');
    const guest = hostGuest(ctx.hostGuests);
    const kvm = (guest?.domainTypes.includes('kvm') ?? false) && (assets.kvmUsable ?? ctx.hostCpu?.hardwareVirt) !== false;
    const tscKhz = assets.tscKhz ?? ctx.hostCpu?.tscKhz;
    // Without libvirt's answer (dry run), assume what QEMU has offered since 4.2.
    const machine = !guest || guest.machines.includes('microvm') ? 'microvm' : 'q35';
    draft.type = kvm ? 'kvm' : 'qemu';
    draft.name = config.name;
    draft.memoryKiB = Math.ceil(config.memoryBytes / 1024);
    draft.vcpus = config.vcpus;
    const cmdline = [...CMDLINE, config.debug ? 'loglevel=7' : 'quiet'];
    // A TCG guest's TSC runs at the host's rate; calibrating it under emulation is slow and hung microvm in 1 boot of 6.
    if (!kvm && tscKhz) cmdline.push(`tsc_early_khz=${tscKhz}`, 'tsc=reliable');
    // For stage 1 (as init's environment): load only this machine's virtio transport.
    cmdline.push(`vsb_transport=${machine === 'microvm' ? 'mmio' : 'pci'}`);
    draft.os = {
      type: { '@_arch': ARCH, '@_machine': machine, '#text': 'hvm' },
      kernel: ctx.hostFile(assets.kernel),
      initrd: ctx.hostFile(assets.initrd),
      cmdline: bootCmdline(cmdline, SHARES),
    };
    // Without it libvirt passes -no-acpi: microvm's ACPI tables are how the kernel finds its
    // virtio-mmio devices (Debian's kernel ignores virtio_mmio.device=), and both machines power off through it.
    draft.features.acpi = '';
    draft.lifecycle.push(['on_poweroff', 'destroy'], ['on_reboot', 'destroy'], ['on_crash', 'destroy']);
    draft.addDevice('controller', { '@_type': 'usb', '@_model': 'none' });
    draft.addDevice('controller', withVirtioAddress(draft, { '@_type': 'virtio-serial', '@_index': 0 }));
    draft.addDevice('filesystem', ninePShare(draft, config.root, SHARES.rootTag, true));
    draft.addDevice('filesystem', ninePShare(draft, ctx.configDir, SHARES.configTag, true));
    // Each --disk as virtio-blk with serial TAG: the init links the disk of that serial as /dev/disk/by-tag/TAG.
    config.disks.forEach((disk) => {
      draft.addDevice('disk', virtioDisk(draft, disk.source, disk.format, disk.tag));
      draft.guestDisks.push({ tag: disk.tag, device: disk.tag });
    });
    // virtio-net; the guest init finds each by its MAC (virtio-mmio probe order is not fixed) and names it ethN.
    config.networks.forEach((_, i) =>
      draft.addDevice('interface', withVirtioAddress(draft, { ...interfaceElement(config, i), model: { '@_type': 'virtio' } })),
    );
    // The kernel's and stage 1's log; libvirt also makes it console0.
    draft.addDevice('serial', { '@_type': 'pty', target: { '@_port': 0 } });
    draft.addDevice('memballoon', { '@_model': 'none' });
  }

  /**
   * The stdio protocol's stream: a virtio-serial port, which holds the guest back while the host
   * is not reading. A virtio console would drop that output (QEMU cannot throttle the guest's hvc
   * driver), which lost bytes of a 3 MB cat here. A unix socket whose path libvirt picks: libvirt
   * streams no other kind of channel. Stage 1 links it as /dev/virtio-ports/NAME, as udev would.
   */
  addChannel(_ctx: BuildContext<QemuAssets>, draft: DomainDraft): ConsoleEndpoint {
    const name = `org.vsb.stdio${draft.devicesOf('channel').length || ''}`;
    draft.addDevice('channel', { '@_type': 'unix', source: { '@_mode': 'bind' }, target: { '@_type': 'virtio', '@_name': name } });
    return { devname: name, guestPath: `/dev/virtio-ports/${name}`, channel: true };
  }

  /**
   * A virtio console on the virtio-serial controller (a terminal, for `--shell`). libvirt lists the serial port's console first
   * (console0), so the n-th virtio console is `console<n>` on the host and `/dev/hvc<n-1>` inside.
   */
  addConsole(_ctx: BuildContext<QemuAssets>, draft: DomainDraft): ConsoleEndpoint {
    const index = draft.devicesOf('console').length;
    draft.addDevice('console', { '@_type': 'pty', target: { '@_type': 'virtio' } });
    return { devname: `console${index + 1}`, guestPath: `/dev/hvc${index}` };
  }
}

/** The capabilities entry for a VM of the host's arch, if libvirt was asked. */
function hostGuest(guests: readonly GuestCapability[] | undefined): GuestCapability | undefined {
  return guests?.find((g) => g.osType === 'hvm' && g.arch === ARCH);
}
