import type { GuestDisk, GuestMount } from './guest-config';

/**
 * One XML element in fast-xml-parser's object form: attributes under `@_name`, text under `#text`,
 * children under their tag (an array when repeated), `''` for an empty element.
 */
export type XmlElement = { [key: string]: XmlValue };
export type XmlValue = string | number | XmlElement | XmlElement[];

/** Device tags in the order libvirt itself writes them, so output is stable and diffable. */
export const DEVICE_ORDER = [
  'emulator',
  'disk',
  'controller',
  'lease',
  'filesystem',
  'interface',
  'smartcard',
  'serial',
  'parallel',
  'console',
  'channel',
  'input',
  'tpm',
  'graphics',
  'sound',
  'audio',
  'video',
  'hostdev',
  'redirdev',
  'redirfilter',
  'hub',
  'watchdog',
  'memballoon',
  'rng',
  'panic',
  'shmem',
  'memory',
  'iommu',
  'vsock',
] as const;
export type DeviceTag = (typeof DEVICE_ORDER)[number];

/**
 * A libvirt domain being assembled by a backend, its filesystem mappers, the security labeler and the
 * console transport. Each part fills its own section; `toDomainXml` writes them in libvirt's fixed
 * order (basic, os, features, devices, security), which the original's builder also followed.
 */
export class DomainDraft {
  /** `<domain type=...>`: 'lxc', 'qemu', 'kvm', 'xen' ... */
  type = '';
  name = '';
  uuid?: string;
  /** Extra top-level elements in the "basic" section (title, description, metadata ...), in order. */
  readonly basic: Array<[string, XmlValue]> = [];
  memoryKiB = 0;
  vcpus = 1;
  /** Host CPUs the domain may use (`<vcpu cpuset=...>`), e.g. '0,1'; absent = any. */
  vcpuCpuset?: string;
  /** Content of `<os>`. */
  os: XmlElement = {};
  /** Children of `<features>`, e.g. `{ privnet: '' }`; omitted when empty. */
  features: XmlElement = {};
  /** Extra elements after features (clock, cpu, on_poweroff ...), in order. */
  readonly lifecycle: Array<[string, XmlValue]> = [];
  private readonly devices = new Map<DeviceTag, XmlElement[]>();
  /** `<seclabel>` elements. */
  readonly seclabels: XmlElement[] = [];
  /**
   * Mount work the guest init does (mappers add it next to their devices): it goes into the guest
   * config, not the XML, because only the init can create targets missing from a read-only root.
   * A VM mounts its 9p shares and disks this way too.
   */
  readonly guestMounts: GuestMount[] = [];
  /** `--disk` devices the init links as /dev/disk/by-tag/TAG and gives to the app (guest config `disk`). */
  readonly guestDisks: GuestDisk[] = [];

  /** Appends a device; devices of one tag keep the order they were added in. */
  addDevice(tag: DeviceTag, element: XmlElement): void {
    const list = this.devices.get(tag) ?? [];
    list.push(element);
    this.devices.set(tag, list);
  }

  /** The devices of one tag, in insertion order (a copy). */
  devicesOf(tag: DeviceTag): XmlElement[] {
    return [...(this.devices.get(tag) ?? [])];
  }

  /** The `<domain>` element in fast-xml-parser's object form, children in libvirt's order. */
  toElement(): XmlElement {
    const domain: XmlElement = { '@_type': this.type, name: this.name };
    if (this.uuid) domain.uuid = this.uuid;
    for (const [tag, value] of this.basic) domain[tag] = value;
    domain.memory = { '@_unit': 'KiB', '#text': this.memoryKiB };
    domain.vcpu = this.vcpuCpuset ? { '@_placement': 'static', '@_cpuset': this.vcpuCpuset, '#text': this.vcpus } : this.vcpus;
    domain.os = this.os;
    if (Object.keys(this.features).length > 0) domain.features = this.features;
    for (const [tag, value] of this.lifecycle) domain[tag] = value;
    const devices: XmlElement = {};
    for (const tag of DEVICE_ORDER) {
      const list = this.devices.get(tag);
      if (list && list.length > 0) devices[tag] = list;
    }
    domain.devices = devices;
    if (this.seclabels.length > 0) domain.seclabel = this.seclabels;
    return domain;
  }
}
