/**
 * The host's architecture as libvirt names it in `<os><type arch>` and in capabilities ('x86_64',
 * 'aarch64'), from Node's name for it ('x64', 'arm64'): a sandbox runs the host's own binaries.
 */
export function libvirtArch(nodeArch: string = process.arch): string {
  return nodeArch === 'x64' ? 'x86_64' : nodeArch === 'arm64' ? 'aarch64' : nodeArch;
}
