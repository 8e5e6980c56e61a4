"""End-to-end cases of what the init prepares before the app runs: identity, capabilities,
confinement, environment, cwd, hostname, mounts, and how their failures reach the host."""
import os
import re

from e2e_host import base, expect, ok_exit, run, temp_dir


def status_fields(out):
    return dict(re.findall(r"^(\w+):\s+(\S+)$", out.decode(), re.M))


PROBE = "id -u; id -g; id -G; echo $HOME $USER $LOGNAME; pwd; cat /proc/self/status"


def t_nobody_unprivileged():
    res = run(base(["sh", "-c", PROBE], uid=65534, gid=65534, groups="65534,100", user="nobody",
                   home="/nonexistent", privileged=0))
    ok_exit(res)
    lines = res.stdout.decode().split("\n")
    expect(lines[:5] == ["65534", "65534", "65534 100", "/nonexistent nobody nobody", "/"],
           "identity %r" % lines[:5], res)
    st = status_fields(res.stdout)
    for k in ("CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb"):
        expect(int(st[k], 16) == 0, "%s %s" % (k, st[k]))
    expect(st["NoNewPrivs"] == "1", "NoNewPrivs")


def t_root_unprivileged():
    res = run(base(["sh", "-c", PROBE], privileged=0))
    ok_exit(res)
    st = status_fields(res.stdout)
    expect(res.stdout.startswith(b"0\n0\n0\n/root root root\n/root\n"), "identity", res)
    for k in ("CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb"):
        expect(int(st[k], 16) == 0, "%s %s" % (k, st[k]))
    expect(st["NoNewPrivs"] == "1", "NoNewPrivs")


def t_root_privileged():
    mine = status_fields(open("/proc/self/status", "rb").read())
    res = run(base(["sh", "-c", PROBE]))
    ok_exit(res)
    st = status_fields(res.stdout)
    expect(st["CapEff"] == mine["CapBnd"] and st["CapBnd"] == mine["CapBnd"],
           "CapEff %s CapBnd %s, want %s" % (st["CapEff"], st["CapBnd"], mine["CapBnd"]))
    expect(st["NoNewPrivs"] == "0", "NoNewPrivs")



def t_confined_app():
    """seccomp=1 and landlock=1 confine the app, not the init: it still ends and reports normally."""
    d = temp_dir()
    other = temp_dir()
    script = (f"unshare -U true 2>/dev/null && echo userns || echo no-userns; "
              f"echo a > {d}/f && echo rw; (echo b > {other}/f) 2>/dev/null || echo no-write; "
              f"echo c > /dev/null && grep -E '^(NoNewPrivs|Seccomp):' /proc/self/status")
    res = run(base(["sh", "-c", script], seccomp=1, landlock=1, writable=[d]))
    ok_exit(res)
    expect(res.stdout == b"no-userns\nrw\nno-write\nNoNewPrivs:\t1\nSeccomp:\t2\n", "output", res)
    expect(not os.path.exists(other + "/f"), "wrote outside the writable path")

def t_env_cwd_hostname():
    host_name = os.uname().nodename
    res = run(base(["sh", "-c", 'printf "%s|%s|%s|%s\\n" "$X" "$PATH" "$TERM" "$Y"; pwd; hostname'],
                   cwd="/tmp", term="xterm", env=["X=1", "PATH=/bin:/usr/bin", "X=2=3", "Y=a\nb <&'\""]))
    ok_exit(res)
    expect(res.stdout == b"2=3|/bin:/usr/bin|dumb|a\nb <&'\"\n/tmp\nvsb-e2e\n", "output", res)
    expect(os.uname().nodename == host_name, "the host's hostname changed")


def t_mounts():
    d = temp_dir()
    os.mkdir(os.path.join(d, "src"))
    with open(os.path.join(d, "src", "file"), "w") as f:
        f.write("hello\n")
    t = os.path.join(d, "t")
    sep = "\x1f"
    res = run(base(["sh", "-c", f"cat {t}/b/file; touch {t}/b/new 2>/dev/null || echo ro-ok; "
                    f"touch {t}/rw && echo tmpfs-rw; grep ' {t} ' /proc/self/mounts"],
                   mount=[sep.join(["tmpfs", "1048576", t, "mode=0700"]),
                          sep.join(["bind", d + "/src", t + "/b", ""]),
                          sep.join(["ro", "", t + "/b", ""])]))
    ok_exit(res)
    lines = res.stdout.decode().split("\n")
    expect(lines[:3] == ["hello", "ro-ok", "tmpfs-rw"], "output", res)
    expect("size=1024k" in lines[3] and "mode=700" in lines[3] and "nosuid" in lines[3], "tmpfs options", res)
    expect(not os.path.ismount(t), "mount leaked to the host")


def t_mount_target_missing_from_root():
    top = "/vsb-e2e-layer-%d" % os.getpid()
    res = run(base(["sh", "-c", f"grep -c ' {top}/sub tmpfs ' /proc/self/mounts; touch {top}/sub/f && echo rw; "
                    f"touch /vsb-e2e-new 2>/dev/null || echo root-ro; ls -d /etc /proc/1 /tmp"],
                   mount=["tmpfs\x1f0\x1f" + top + "/sub\x1f"]))
    ok_exit(res)
    expect(res.stdout == b"1\nrw\nroot-ro\n/etc\n/proc/1\n/tmp\n", "output", res)
    expect(not os.path.exists(top) and not os.path.exists("/vsb-e2e-new"), "created on the host's root")


def t_mount_error():
    res = run(base(["true"], mount=["bind\x1f/nonexistent-src\x1f/tmp/x\x1f"]))
    ok_exit(res, 1, init_status=1)
    expect(res.error == "cannot bind /nonexistent-src: No such file or directory", "error", res)


def t_cwd_error():
    res = run(base(["true"], cwd="/nonexistent-dir"))
    ok_exit(res, 1, init_status=1)
    expect(res.error == "cannot change to directory /nonexistent-dir: No such file or directory", "error", res)


def t_config_error():
    res = run(base(["true"], bogus="x"))
    ok_exit(res, 1, init_status=1)
    expect(res.error == "config: unknown key 'bogus'", "error", res)
    expect(res.stdout == b"" and res.stderr == b"", "app ran", res)


def t_debug_log():
    res = run(base(["true"], debug=1))
    ok_exit(res)
    for step in (b"handshake: done", b"START", b"identity:", b"stream 0: pid", b"stream 0 exited", b"sent EXIT"):
        expect(step in res.log, "log lacks %r" % step, res)


CASES = [(name[2:].replace("_", " "), fn) for name, fn in list(globals().items())
         if name.startswith("t_") and callable(fn)]
