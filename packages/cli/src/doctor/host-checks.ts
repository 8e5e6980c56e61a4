import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import { exists } from './doctor-check';
import type { CheckResult } from './doctor-check';
import { START_LIBVIRTD } from './libvirt-checks';

const TMPFS_MAGIC = 0x01021994;
const CGROUP2_MAGIC = 0x63677270;

/** The static init every sandbox runs as PID 1 (packages/guest-init), which `npm run build` makes. */
export async function guestInitCheck(initPath: string): Promise<CheckResult> {
  if (await exists(initPath)) return { id: 'guest-init', status: 'ok', message: initPath };
  return { id: 'guest-init', status: 'fail', message: `${initPath} is missing`, fix: 'build it: npm run setup (or npm run build)' };
}

/**
 * The cgroup layout. On a hybrid one (v1 controllers, cgroup2 at /sys/fs/cgroup/unified) libvirt
 * 9's LXC driver fails unless libvirtd does not see the cgroup2 mount, which is how set-up starts it:
 * its own mount table (/proc/PID/mountinfo) tells.
 */
export async function cgroupCheck(): Promise<CheckResult> {
  const id = 'cgroups';
  const root = await fs.statfs('/sys/fs/cgroup').catch(() => undefined);
  if (!root) return { id, status: 'fail', message: '/sys/fs/cgroup is not mounted', fix: 'mount cgroup2 on /sys/fs/cgroup' };
  if (root.type === CGROUP2_MAGIC) return { id, status: 'ok', message: 'cgroup v2 (unified)' };
  if (root.type !== TMPFS_MAGIC) return { id, status: 'warn', message: `unknown layout at /sys/fs/cgroup (filesystem type 0x${root.type.toString(16)})` };
  const unified = await fs.statfs('/sys/fs/cgroup/unified').catch(() => undefined);
  if (unified?.type !== CGROUP2_MAGIC) return { id, status: 'ok', message: 'cgroup v1' };
  const pid = (await fs.readFile('/run/libvirtd.pid', 'utf8').catch(() => '')).trim();
  const seen = pid ? await fs.readFile(`/proc/${pid}/mountinfo`, 'utf8').catch(() => undefined) : undefined;
  const layout = 'hybrid (v1 controllers, cgroup2 at /sys/fs/cgroup/unified)';
  if (seen === undefined) return { id, status: 'ok', message: `${layout}; libvirtd's own view not readable` };
  if (/ \/sys\/fs\/cgroup\/unified /.test(seen)) {
    return {
      id,
      status: 'fail',
      message: `${layout}, and libvirtd (pid ${pid}) sees the cgroup2 mount: LXC sandboxes fail to start`,
      fix: `restart libvirtd with the cgroup2 mount hidden from it: ${START_LIBVIRTD}`,
    };
  }
  return { id, status: 'ok', message: `${layout}; libvirtd runs with the cgroup2 mount hidden, as LXC needs` };
}

/** User namespaces, which the kernel must allow for a sandbox to map ids (max_user_namespaces > 0). */
export async function userNamespaceCheck(): Promise<CheckResult> {
  const id = 'user-namespaces';
  const max = Number((await fs.readFile('/proc/sys/user/max_user_namespaces', 'utf8').catch(() => '')).trim());
  if (!Number.isFinite(max) || max === 0) {
    return { id, status: 'warn', message: 'user namespaces are disabled (max_user_namespaces is 0 or unknown)', fix: 'sysctl user.max_user_namespaces=15000' };
  }
  const clone = (await fs.readFile('/proc/sys/kernel/unprivileged_userns_clone', 'utf8').catch(() => '')).trim();
  return { id, status: 'ok', message: `available (max ${max}${clone === '0' ? ', root only' : ''})` };
}

/**
 * The Landlock ABI the guest init gets (`landlock_create_ruleset(NULL, 0, VERSION)`, syscall 444
 * on every architecture, asked through perl since Node has no syscall()); on a VM it is the guest
 * kernel's, which is usually the host's.
 */
export async function landlockCheck(): Promise<CheckResult> {
  const id = 'landlock';
  const abi = await new Promise<number>((resolve) => {
    execFile('perl', ['-e', 'my $r = syscall(444, 0, 0, 1); print $r < 0 ? -$! : $r'], (err, stdout) => resolve(err ? NaN : Number(stdout)));
  });
  if (abi > 0) return { id, status: 'ok', message: `ABI ${abi}: the app can write only to its writable mounts` };
  const why = Number.isNaN(abi)
    ? 'cannot ask the kernel (no perl)'
    : abi === -38
      ? 'the kernel has no Landlock'
      : 'Landlock is not among the active security modules';
  return {
    id,
    status: 'warn',
    message: `${why}: apps run without the Landlock ruleset (seccomp still applies)`,
    fix: 'boot with lsm=...,landlock on a kernel >= 5.13',
  };
}

/**
 * The kernel VM sandboxes boot, chosen exactly as `vsb run -c qemu:///system` chooses it
 * (@vsb/vm-boot's chooseKernel), and the releases `--kernver` can name.
 */
export async function guestKernelCheck(): Promise<CheckResult> {
  const { chooseKernel, installedKernels } = await import('@vsb/vm-boot');
  const id = 'guest-kernel';
  const candidates = (await installedKernels()).map((k) => k.version);
  try {
    const chosen = await chooseKernel({}, () => undefined);
    return {
      id,
      status: 'ok',
      message: `VMs boot ${chosen.version} (${chosen.image}, modules ${chosen.modules}); --kernver candidates: ${candidates.join(', ')}`,
    };
  } catch (err) {
    const e = err as Error & { suggestions?: readonly string[] };
    return { id, status: 'warn', message: `VMs cannot start: ${e.message}`, fix: e.suggestions?.[0] ?? 'install a kernel with its modules' };
  }
}

/** qcow2 host-images need the nbd module (core's own test, which refuses such mounts without it). */
export async function nbdCheck(): Promise<CheckResult> {
  const { nbdAvailable } = await import('@vsb/core');
  if (await nbdAvailable()) return { id: 'nbd', status: 'ok', message: 'nbd module available: host-image mounts may be qcow2' };
  return {
    id: 'nbd',
    status: 'warn',
    message: 'the kernel has no nbd module: host-image mounts must be raw images',
    fix: 'convert images with: qemu-img convert -O raw IMG.qcow2 IMG.raw',
  };
}

/**
 * What `-N user` uses: QEMU's own user-mode network. libvirt 9.0 refuses `<backend type='passt'>`,
 * so an installed passt is not used; the check says so rather than suggesting otherwise.
 */
export async function passtCheck(): Promise<CheckResult> {
  const found = await new Promise<string>((resolve) => execFile('sh', ['-c', 'command -v passt'], (err, stdout) => resolve(err ? '' : stdout.trim())));
  const uses = "-N user runs QEMU's own user-mode network";
  if (found) return { id: 'passt', status: 'ok', message: `${uses}; vsb does not use ${found} (libvirt 9.0 refuses its back end)` };
  return { id: 'passt', status: 'ok', message: `${uses}; vsb does not use passt (libvirt 9.0 refuses its back end)` };
}
