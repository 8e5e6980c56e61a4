// The public API of @vsb/core, by name: what vsb's other packages, plugins and tests use, and
// the types their signatures name (so programs and plugins can spell them).

// The config, its errors and the lossless text of its arguments.
export { decodeLossless, encodeLossless } from './lossless-text';
export {
  DEFAULT_MEMORY_BYTES,
  DEFAULT_URI,
  type DiskSpec,
  type GuestBindMount,
  type HostBindMount,
  type HostImageMount,
  type Identity,
  type IncludeSpec,
  type KernelSpec,
  type MountSpec,
  type MountType,
  type NetworkAddress,
  type NetworkRoute,
  type NetworkSpec,
  type RamMount,
  type SandboxConfig,
  type SecuritySpec,
} from './sandbox-config';
export { SandboxError, type SandboxErrorCode } from './sandbox-error';

// The option grammars (pure).
export {
  checkDisks,
  checkHostPath,
  checkIncludes,
  checkMounts,
  homeAndTmpMounts,
  optionError,
  parseDisk,
  parseEnv,
  parseEnvFile,
  parseGuestPath,
  parseInclude,
  parseIncludeFile,
  parseMemory,
  parseMount,
  parseName,
  parseNetwork,
  parsePids,
  parseSecurity,
  parseVcpus,
  quoteValue,
} from './options';

// Extension points, their tokens and registries, and the plugin API.
export { type BuildContext, type ConsoleEndpoint } from './extension-points/build-context';
export {
  type AttachOptions,
  type ChannelEndpoint,
  type ConsoleSession,
  ConsoleTransport,
  type ExitStatus,
  type GuestChannel,
  type Stdio,
  type StdioBytes,
} from './extension-points/console-transport';
export { corePlugin } from './extension-points/core-plugin';
export { FilesystemMapper, type MappedBackend } from './extension-points/filesystem-mapper';
export {
  type DomainStateName,
  type LibvirtConnection,
  LibvirtConnector,
  type LibvirtDomain,
  type LibvirtNetwork,
  type LibvirtStorage,
  type LifecycleEvent,
  type LifecycleEventName,
} from './extension-points/libvirt-connector';
export { definePlugin, type VsbPlugin } from './extension-points/plugin';
export { contribute, installedTransports, type PluginContributions } from './extension-points/plugin-sdk';
export { BackendRegistry, isLocalUri, SecurityModelRegistry, uriDriver } from './extension-points/registries';
export {
  type AttachedDisks,
  type BackendAssets,
  type BackendKind,
  type PrepareRequest,
  SandboxBackend,
  type StartedSandbox,
} from './extension-points/sandbox-backend';
export { SecurityLabeler, SecurityModel } from './extension-points/security-labeler';
export { registerInstance, resolve, type Token } from './extension-points/token';

// Planning (pure): the domain draft and its XML, the guest config, what libvirt offers.
export { defaultWorkdir } from './plan/default-workdir';
export { type DeviceTag, DomainDraft, type XmlElement, type XmlValue } from './plan/domain-draft';
export { toDomainXml } from './plan/domain-xml';
export {
  capabilitiesOf,
  guestCapabilitiesOf,
  type GuestCapability,
  type HostCpuCapability,
  securityCapabilitiesOf,
  type SecurityCapability,
} from './plan/guest-capabilities';
export { decodeGuestConfig, encodeGuestConfig } from './plan/guest-config';
export { libvirtArch } from './plan/libvirt-arch';
export { stagePath } from './plan/mount-paths';
export { interfaceElement, interfaceName } from './plan/network-interfaces';
export { privateDirMounts } from './plan/private-dirs';
export { GUEST_CONFIG_FILE, GUEST_INIT_FILE, type PlanOptions, planSandbox, type SandboxPlan } from './plan/sandbox-plan';
export { xml, type XmlAttributes, type XmlContent } from './plan/xml-element';

// Host I/O outside a run: identities, id ranges, libvirt's leftovers, memory cgroups.
export { nbdAvailable } from './host/check-host-sources';
export { checkImagesOnce } from './host/check-images-once';
export { type DomainMemoryCgroup, domainMemoryCgroups } from './host/domain-memory-cgroup';
export { firstBytes } from './host/first-bytes';
export { type HostLeftovers, removeLibvirtLeftovers, systemDriverLeftovers } from './host/host-leftovers';
export { claimIdRange } from './host/id-range';
export { invokingIdentity, lookupIdentity, privilegedIdentity } from './host/identity';

// The run lifecycle and its state dirs.
export { stagedSandboxName } from './run/remote-stage';
export { RunningSandbox } from './run/running-sandbox';
export { type DryRunOptions, SandboxContext, type StartOptions } from './run/sandbox-context';
export { isAlive, staleStateDirs } from './run/state-dir-watchdog';
export { stateRoot } from './run/state-root';
