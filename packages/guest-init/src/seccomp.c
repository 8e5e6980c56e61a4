/*
 * The app's seccomp filter (GUEST-CONFIG.md `seccomp`, DESIGN.md "In-sandbox confinement"):
 * syscalls a sandboxed app has no business with fail with EPERM, so a program that probes for them
 * (a container runtime, a shell's `mount`) gets an ordinary error instead of being killed.
 * Hand-written classic BPF, no libseccomp: the init stays a static binary with libc only.
 */
#include "seccomp.h"

#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/sched.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#if defined(__x86_64__)
#define VSB_AUDIT_ARCH AUDIT_ARCH_X86_64
#elif defined(__aarch64__)
#define VSB_AUDIT_ARCH AUDIT_ARCH_AARCH64
#else
#error "seccomp.c: add this architecture's AUDIT_ARCH and check its clone() argument order"
#endif

/* The low 32 bits of a 64-bit argument, where BPF_W loads them from. */
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define ARG_LO(n) (offsetof(struct seccomp_data, args) + 8 * (n))
#else
#define ARG_LO(n) (offsetof(struct seccomp_data, args) + 8 * (n) + 4)
#endif

#define DENY_EPERM (SECCOMP_RET_ERRNO | (EPERM & SECCOMP_RET_DATA))

/* Refused outright, grouped by what they reach. Keep in step with the list in docs/DESIGN.md. */
/* clang-format off */
static const int denied[] = {
	/* kernel code and the running kernel */
	__NR_init_module, __NR_finit_module, __NR_delete_module, __NR_kexec_load,
#ifdef __NR_kexec_file_load
	__NR_kexec_file_load,
#endif
	__NR_bpf, __NR_perf_event_open, __NR_reboot, __NR_swapon, __NR_swapoff,
	/* kernel state shared with the host: keyrings, page-fault handling */
	__NR_userfaultfd, __NR_add_key, __NR_request_key, __NR_keyctl,
	/* the mount table, old and new API */
	__NR_mount, __NR_umount2, __NR_pivot_root, __NR_open_tree, __NR_move_mount, __NR_fsopen,
	__NR_fsconfig, __NR_fsmount, __NR_fspick, __NR_mount_setattr,
	/* other namespaces (new user namespaces are refused below, by flag) */
	__NR_setns,
	/* file handles bypass path checks ("shocker" escape with CAP_DAC_READ_SEARCH) */
	__NR_open_by_handle_at,
#if defined(__x86_64__)
	/* raw I/O ports */
	__NR_iopl, __NR_ioperm,
#endif
};
/* clang-format on */

#define N_DENIED (sizeof(denied) / sizeof(denied[0]))
/* arch check (3) + nr load (1) + x32 check (2) + 2 per denied + clone3 (2) + clone/unshare (6) */
#define PROG_MAX (3 + 1 + 2 + 2 * N_DENIED + 2 + 6)

static size_t build(struct sock_filter *p)
{
	size_t n = 0, i;

	/* A filter for another ABI would read other syscall numbers: refuse to guess. */
	p[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch));
	p[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, VSB_AUDIT_ARCH, 1, 0);
	p[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS);
	p[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr));
#if defined(__x86_64__)
	/* x32 syscalls share the arch value, with bit 30 set: none is on the list, none is needed. */
	p[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, 0x40000000u, 0, 1);
	p[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, DENY_EPERM);
#endif
	for (i = 0; i < N_DENIED; i++) {
		p[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (unsigned)denied[i], 0, 1);
		p[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, DENY_EPERM);
	}
	/* clone3 passes its flags in memory BPF cannot read: ENOSYS makes libc fall back to clone. */
	p[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_clone3, 0, 1);
	p[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ENOSYS);
	/* unshare(flags) and clone(flags, ...): no CLONE_NEWUSER, the way to regain capabilities. */
	p[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_unshare, 1, 0);
	p[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_clone, 0, 3);
	p[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, ARG_LO(0));
	p[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, CLONE_NEWUSER, 0, 1);
	p[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, DENY_EPERM);
	p[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
	return n;
}

int seccomp_enforce(void)
{
	struct sock_filter prog[PROG_MAX];
	struct sock_fprog fprog = { .filter = prog };

	fprog.len = (unsigned short)build(prog);
	/* Without no_new_privs only CAP_SYS_ADMIN may install a filter; a privileged app has nothing to gain from setuid binaries anyway. */
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return -1;
	return (int)syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &fprog);
}
