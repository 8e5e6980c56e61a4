import { XMLParser } from 'fast-xml-parser';

/** One `<guest><arch>` of libvirt's capabilities: what a backend may ask for in `<domain type>` and `<os>`. */
export interface GuestCapability {
  /** `<os_type>`: 'hvm' (VMs), 'exe' (containers). */
  readonly osType: string;
  /** 'x86_64', 'aarch64' ... */
  readonly arch: string;
  /** Machine types, canonical names and aliases alike ('pc-q35-7.2', 'q35', 'microvm' ...). */
  readonly machines: readonly string[];
  /** `<domain type>` values: 'qemu' (TCG), 'kvm', 'lxc' ... */
  readonly domainTypes: readonly string[];
}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  textNodeName: '#text',
  isArray: (name) => ['guest', 'machine', 'domain', 'secmodel', 'baselabel', 'feature', 'counter'].includes(name),
});

type Node = Record<string, unknown>;
const textOf = (v: unknown): string => (typeof v === 'object' && v !== null ? String((v as Node)['#text'] ?? '') : String(v ?? ''));

/**
 * Reads the guests of `virConnectGetCapabilities` XML, so a backend can choose KVM or TCG and a
 * machine type from data (the host's `/dev/kvm` says nothing about a remote libvirt).
 */
export function guestCapabilitiesOf(capabilitiesXml: string): GuestCapability[] {
  return guestsOf(capabilitiesNode(capabilitiesXml));
}

function guestsOf(capabilities: Node | undefined): GuestCapability[] {
  return ((capabilities?.guest ?? []) as Node[]).map((g) => {
    const arch = (g.arch ?? {}) as Node;
    const domains = (arch.domain ?? []) as Node[];
    // Machines may be listed under <arch> and again under a <domain type='kvm'>.
    const machines = [(arch.machine ?? []) as unknown[], ...domains.map((d) => (d.machine ?? []) as unknown[])].flat().map(textOf);
    return {
      osType: textOf(g.os_type),
      arch: String(arch['@_name'] ?? ''),
      machines: [...new Set(machines)],
      domainTypes: domains.map((d) => String(d['@_type'])),
    };
  });
}

/** One `<host><secmodel>` of libvirt's capabilities: a security model and its base label per domain type. */
export interface SecurityCapability {
  /** 'selinux', 'apparmor', 'dac', 'none'. */
  readonly model: string;
  /** `<baselabel type='qemu'>+64055:+64055</baselabel>` as `{ qemu: '+64055:+64055' }`. */
  readonly baseLabels: Readonly<Record<string, string>>;
}

/**
 * Reads the security models of capabilities XML: which models the host offers (a labeler refuses
 * the others) and their base labels (DAC's says which group QEMU's own files belong to).
 */
export function securityCapabilitiesOf(capabilitiesXml: string): SecurityCapability[] {
  return securityModelsOf(capabilitiesNode(capabilitiesXml));
}

function securityModelsOf(capabilities: Node | undefined): SecurityCapability[] {
  const host = capabilities?.host as Node | undefined;
  return ((host?.secmodel ?? []) as Node[]).map((m) => ({
    model: textOf(m.model).trim(),
    baseLabels: Object.fromEntries(((m.baselabel ?? []) as Node[]).map((b) => [String(b['@_type']), textOf(b).trim()])),
  }));
}

/** libvirt's `<host><cpu>`: what a VM backend needs to know of a CPU it cannot read itself (a remote host's). */
export interface HostCpuCapability {
  /** Whether the CPU has VT-x or AMD-V (`vmx`/`svm`): without them a `/dev/kvm` there is no use (KVM hangs). */
  readonly hardwareVirt: boolean;
  /** Its TSC rate in kHz (`<counter name='tsc'>`), when libvirt knows it. */
  readonly tscKhz?: number;
}

function hostCpuOf(capabilities: Node | undefined): HostCpuCapability | undefined {
  const cpu = (capabilities?.host as Node | undefined)?.cpu as Node | undefined;
  if (!cpu) return undefined;
  const features = ((cpu.feature ?? []) as Node[]).map((f) => String(f['@_name']));
  const tsc = ((cpu.counter ?? []) as Node[]).find((c) => c['@_name'] === 'tsc');
  const hz = Number(tsc?.['@_frequency']);
  return { hardwareVirt: features.includes('vmx') || features.includes('svm'), ...(hz > 0 && { tscKhz: Math.round(hz / 1000) }) };
}

/**
 * {@link guestCapabilitiesOf}, {@link securityCapabilitiesOf} and the host CPU from one parse of
 * the XML: a run that asks libvirt wants them all, and a QEMU host's capabilities list many machines.
 */
export function capabilitiesOf(capabilitiesXml: string): { guests: GuestCapability[]; security: SecurityCapability[]; hostCpu?: HostCpuCapability } {
  const capabilities = capabilitiesNode(capabilitiesXml);
  return { guests: guestsOf(capabilities), security: securityModelsOf(capabilities), hostCpu: hostCpuOf(capabilities) };
}

function capabilitiesNode(capabilitiesXml: string): Node | undefined {
  return (parser.parse(capabilitiesXml) as Node).capabilities as Node | undefined;
}
