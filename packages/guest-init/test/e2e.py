"""End-to-end tests of build/vsb-init without libvirt: a pty pair stands in for libvirt's console,
this file plays the host side of docs/PROTOCOL.md, and the init runs as a normal root process
(in new UTS and mount namespaces, so hostname and mounts do not touch this machine)."""
import atexit
import os
import re
import select
import shutil
import socket
import struct
import subprocess
import tempfile
import time

INIT = None  # set by run.py

_TEMP_DIRS = []


def temp_dir():
    """A fresh directory for one test; all of them are removed when the run ends, so nothing is left in /tmp."""
    d = tempfile.mkdtemp(prefix="vsb-e2e-")
    _TEMP_DIRS.append(d)
    return d


atexit.register(lambda: [shutil.rmtree(d, ignore_errors=True) for d in _TEMP_DIRS])

STDIN, STDOUT, STDERR, EXIT, QUIT, WINSIZE, SIGNAL, START, ERROR, STDIO_FDS, STARTED, EXEC, ACK = range(1, 14)
STDIN_WINDOW = 262144


def frame(ftype, payload=b"", stream=0):
    return struct.pack(">II", ftype << 24 | stream, len(payload)) + payload


def ack(n, stream=0):
    return frame(ACK, struct.pack(">I", n), stream)


def config(records):
    return b"".join(k.encode() + b"=" + (v if isinstance(v, bytes) else str(v).encode()) + b"\0"
                    for k, v in records)


def base(argv, **over):
    """Records of a privileged root sandbox running argv; keyword arguments replace or add keys."""
    fields = dict(version=1, name="vsb-e2e", uid=0, gid=0, user="root", home="/root",
                  privileged=1, tty=0, channel=None, debug=0)
    extra = []
    for k, v in over.items():
        if isinstance(v, list):
            extra += [(k, x) for x in v]
        else:
            fields[k] = v
    return list(fields.items()) + extra + [("argv", a) for a in argv]


class Result:
    def __init__(self):
        self.t0 = time.monotonic()
        self.started = False
        self.stdout = bytearray()
        self.stderr = bytearray()
        self.frames = []  # (type, len) in arrival order
        self.code = self.signal = None
        self.error = None
        self.init_status = None
        self.log = b""
        self.t_ack = self.t_exit = None


class Stream:
    """The host's side of one stream: its stdin sent within the window, its output collected."""

    def __init__(self, sid, stdin=b"", eof=True, chunks=(65536,), res=None):
        self.sid = sid
        self.res = res or Result()
        self.todo = []
        i = 0
        while stdin:
            n = chunks[i % len(chunks)]
            self.todo.append(stdin[:n])
            stdin = stdin[n:]
            i += 1
        self.todo.reverse()
        self.eof = eof
        self.unacked = 0
        self.hold_acks = False
        self.held = 0

    def outgoing(self):
        out = bytearray()
        while self.todo and self.unacked + len(self.todo[-1]) <= STDIN_WINDOW:
            chunk = self.todo.pop()
            self.unacked += len(chunk)
            out += frame(STDIN, chunk, self.sid)
        if not self.todo and self.eof:
            self.eof = False
            out += frame(STDIN, b"", self.sid)
        return bytes(out)

    def take(self, ftype, payload):
        """A frame of this stream; returns the frames to answer with (ACKs of its output, unless held)."""
        res = self.res
        if ftype != ACK:
            res.frames.append((ftype, len(payload)))
        if ftype in (STDOUT, STDERR):
            (res.stdout if ftype == STDOUT else res.stderr).extend(payload)
            if self.hold_acks:
                self.held += len(payload)
                return b""
            return ack(len(payload), self.sid)
        if ftype == ACK:
            self.unacked -= struct.unpack(">I", payload)[0]
        elif ftype == ERROR:
            res.error = payload.decode()
        elif ftype == EXIT:
            res.code, res.signal = struct.unpack(">II", payload)
            res.t_exit = time.monotonic() - res.t0
        elif ftype == STARTED:
            res.started = True
        else:
            raise AssertionError("unexpected frame type %d" % ftype)
        return b""


class Host:
    def __init__(self, records, winsize=None):
        self.master, slave = os.openpty()
        path = os.ttyname(slave)
        self.dir = temp_dir()
        self.conf = os.path.join(self.dir, "vsb.conf")
        with open(self.conf, "wb") as f:
            f.write(config([(k, path if k == "channel" else v) for k, v in records]))
        self.logf = open(os.path.join(self.dir, "log"), "w+b")
        self.t0 = time.monotonic()
        self.proc = subprocess.Popen(
            ["unshare", "--uts", "--mount", "--propagation", "private", INIT, self.conf],
            stdin=subprocess.DEVNULL, stdout=self.logf, stderr=self.logf)
        # Held until the handshake: a pty master whose slave nobody has open reads EIO.
        self.slave = slave
        os.set_blocking(self.master, False)
        self.winsize = winsize
        self.buf = bytearray()
        self.res = Result()

    def handshake(self):
        next_req = 0
        while True:
            now = time.monotonic()
            if now - self.t0 > 5:
                raise AssertionError("no SYNC-ACK within 5 s")
            if now >= next_req:
                os.write(self.master, b"\x1b")
                next_req = now + 0.05
            r, _, _ = select.select([self.master], [], [], 0.01)
            if r:
                try:
                    data = os.read(self.master, 4096)
                except OSError:
                    data = b""
                if b"\x1c" in data:
                    self.buf += data[data.index(b"\x1c") + 1:]
                    break
        os.close(self.slave)
        self.res.t_ack = time.monotonic() - self.t0
        out = b"\x1c"
        if self.winsize:
            out += frame(WINSIZE, struct.pack(">HH", *self.winsize))
        self.write_all(out + frame(START))
        self.res.t0 = time.monotonic()

    def write_all(self, data):
        while data:
            select.select([], [self.master], [], 1)
            try:
                data = data[os.write(self.master, data):]
            except BlockingIOError:
                pass

    def frames(self):
        """(type, stream, payload) of each whole frame received so far."""
        while len(self.buf) >= 8:
            word, n = struct.unpack(">II", self.buf[:8])
            if len(self.buf) < 8 + n:
                return
            payload = bytes(self.buf[8:8 + n])
            del self.buf[:8 + n]
            yield word >> 24, word & 0xFFFFFF, payload

    def pump(self, streams, done, on_output=None, timeout=20, what="EXIT"):
        """Relays the streams (id -> Stream) until done(): their stdin within its window, their
        output collected and acknowledged. on_output(host, result of stream 0) may act."""
        deadline = time.monotonic() + timeout
        pending = bytearray()
        while not done():
            if time.monotonic() > deadline:
                raise AssertionError("no %s within %d s" % (what, timeout))
            for s in streams.values():
                pending += s.outgoing()
            r, w, _ = select.select([self.master], [self.master] if pending else [], [], 0.1)
            if w:
                try:
                    del pending[:os.write(self.master, pending[:262152])]
                except BlockingIOError:
                    pass
            if r:
                try:
                    data = os.read(self.master, 1 << 20)
                except BlockingIOError:
                    data = b""
                except OSError:
                    raise AssertionError("channel ended before %s" % what)
                self.buf += data
            for ftype, sid, payload in self.frames():
                if sid not in streams:
                    raise AssertionError("frame type %d of unknown stream %d" % (ftype, sid))
                pending += streams[sid].take(ftype, payload)
            if on_output and 0 in streams and streams[0].res.code is None:
                on_output(self, streams[0].res)
        return bytes(pending)

    def run(self, stdin=b"", eof=True, chunks=(65536,), on_output=None, timeout=20):
        """Relays until EXIT, sends QUIT, waits for the init to end. on_output(host, result) may act."""
        main = Stream(0, stdin, eof, chunks, self.res)
        left = self.pump({0: main}, lambda: self.res.code is not None, on_output, timeout)
        # Frames are never cut: what was queued goes out (the init drops it) before QUIT.
        self.write_all(left + frame(QUIT))
        return self.finish()

    def finish(self, timeout=5):
        try:
            self.res.init_status = self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            raise AssertionError("init did not end within %d s" % timeout)
        finally:
            os.close(self.master)
            self.logf.seek(0)
            self.res.log = self.logf.read()
            self.logf.close()
        return self.res


class SocketHost(Host):
    """The host side over a unix socket the init connects to (`channeltype=unix`), as vsb's
    socket-rpc transport serves local sandboxes."""

    def __init__(self, records, winsize=None):
        self.dir = temp_dir()
        path = os.path.join(self.dir, "rpc.sock")
        self.server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.server.bind(path)
        self.server.listen(1)
        self.conf = os.path.join(self.dir, "vsb.conf")
        with open(self.conf, "wb") as f:
            f.write(config([(k, path if k == "channel" else v) for k, v in records] + [("channeltype", "unix")]))
        self.logf = open(os.path.join(self.dir, "log"), "w+b")
        self.t0 = time.monotonic()
        self.proc = subprocess.Popen(
            ["unshare", "--uts", "--mount", "--propagation", "private", INIT, self.conf],
            stdin=subprocess.DEVNULL, stdout=self.logf, stderr=self.logf)
        self.server.settimeout(5)
        self.conn, _ = self.server.accept()
        self.server.close()
        self.master = self.conn.detach()
        self.slave = os.dup(self.master)  # closed by handshake(), like the pty's slave
        os.set_blocking(self.master, False)
        self.winsize = winsize
        self.buf = bytearray()
        self.res = Result()


def run(records, winsize=None, **kw):
    h = Host(records, winsize)
    h.handshake()
    return h.run(**kw)


def expect(cond, what, res=None):
    if not cond:
        detail = ""
        if res is not None:
            detail = " (stdout %r, stderr %r, code %r, signal %r, error %r, init %r, log %r)" % (
                bytes(res.stdout[:300]), bytes(res.stderr[:300]), res.code, res.signal, res.error,
                res.init_status, res.log[-500:])
        raise AssertionError(what + detail)


def ok_exit(res, code=0, signal=0, init_status=0):
    expect(res.code == code and res.signal == signal,
           "EXIT %r/%r, want %d/%d" % (res.code, res.signal, code, signal), res)
    expect(res.init_status == init_status, "init status %r" % res.init_status, res)
    expect(res.frames[-1][0] == EXIT, "EXIT is not the last frame", res)


# ---- cases: each returns a note (or None) and raises AssertionError on failure ----

def t_stdout_stderr_code():
    res = run(base(["sh", "-c", "echo out; echo err >&2; exit 7"]))
    ok_exit(res, 7)
    expect(res.stdout == b"out\n" and res.stderr == b"err\n", "output differs", res)
    expect(res.frames[0] == (STARTED, 0), "STARTED is not the first frame", res)
    return "SYNC-ACK %.1f ms after spawn, START->EXIT %.1f ms" % (res.t_ack * 1000, res.t_exit * 1000)


def t_stdin_cat_1mb():
    data = os.urandom(1 << 20)
    t = time.monotonic()
    res = run(base(["cat"]), stdin=data, chunks=(1, 7, 65536, 262144, 4096, 100000))
    ok_exit(res)
    expect(res.stdout == data, "stdout differs from stdin (%d bytes back)" % len(res.stdout))
    return "1 MiB round trip in %.0f ms" % ((time.monotonic() - t) * 1000)


def t_stdout_throughput():
    n = 64 << 20
    t = time.monotonic()
    res = run(base(["head", "-c", str(n), "/dev/zero"]))
    dt = time.monotonic() - t
    ok_exit(res)
    expect(len(res.stdout) == n and not res.stdout.strip(b"\0"), "got %d bytes" % len(res.stdout))
    biggest = max(size for t_, size in res.frames if t_ == STDOUT)
    expect(biggest <= 65536, "frame of %d bytes" % biggest)
    return "64 MiB stdout at %.0f MiB/s, largest frame %d" % (64 / dt, biggest)


def t_unix_socket_channel():
    h = SocketHost(base(["sh", "-c", "cat; echo err >&2; exit 5"]))
    h.handshake()
    res = h.run(stdin=b"x" * 300000)
    ok_exit(res, 5)
    expect(res.stdout == b"x" * 300000 and res.stderr == b"err\n", "stdio differs", res)


def t_unix_socket_throughput():
    h = SocketHost(base(["head", "-c", "100000000", "/dev/zero"]))
    h.handshake()
    res = h.run()
    ok_exit(res)
    expect(len(res.stdout) == 100000000, "got %d bytes" % len(res.stdout), res)
    return "%.0f MB/s" % (100 / res.t_exit)


def t_killed_by_signal():
    ok_exit(run(base(["sh", "-c", "kill -9 $$"])), 0, 9)


def t_not_found():
    res = run(base(["no-such-command-xyz", "arg"]))
    ok_exit(res, 127)
    expect(res.stderr == b"vsb: no-such-command-xyz: No such file or directory\n", "message", res)
    expect(res.stdout == b"", "stdout not empty", res)
    expect(STARTED not in [t for t, n in res.frames], "STARTED for an app that never ran", res)


def t_not_executable():
    d = temp_dir()
    path = os.path.join(d, "data")
    with open(path, "w") as f:
        f.write("echo should-not-run\n")
    os.chmod(path, 0o644)
    res = run(base([path]))
    ok_exit(res, 126)
    expect(res.stderr == b"vsb: %s: Permission denied\n" % path.encode(), "message", res)


def t_script_without_shebang():
    d = temp_dir()
    script = os.path.join(d, "script")
    with open(script, "w") as f:
        f.write("echo script-ran \"$1\"\n")
    os.chmod(script, 0o755)
    res = run(base(["script", "a b"], env=["PATH=/nonexistent::" + d]))
    ok_exit(res)
    expect(res.stdout == b"script-ran a b\n", "output", res)


def t_path_from_app_env():
    res = run(base(["true"], env=["PATH=/nonexistent"]))
    ok_exit(res, 127)


def t_signal_frame():
    def on(h, res):
        if b"ready" in res.stdout and not getattr(h, "sent", False):
            h.sent = True
            h.write_all(frame(SIGNAL, struct.pack(">I", 15)))
    t = time.monotonic()
    res = run(base(["sh", "-c", "echo ready; sleep 10"]), eof=False, on_output=on)
    ok_exit(res, 0, 15)
    # Only catches a SIGNAL that did not end the app (sleep 10); speed is not measured here.
    expect(time.monotonic() - t < 8, "the app outlived its SIGNAL")


def t_orphan_does_not_delay():
    res = run(base(["sh", "-c", "sleep 5 & echo x"]))
    ok_exit(res)
    expect(res.stdout == b"x\n", "output", res)
    # Waiting for the orphan would take its 5 s.
    expect(res.t_exit < 3, "EXIT waited for the orphan: %.2f s" % res.t_exit)
    return "EXIT %.0f ms after START" % (res.t_exit * 1000)


def t_orphans_reaped():
    # The app's children outlive it; the init (a subreaper here, PID 1 in a sandbox) reaps them.
    res = run(base(["sh", "-c", "for i in 1 2 3; do (sleep 0.05 &) ; done; sleep 0.3; "
                    "ps -o stat= --ppid $PPID | grep -c Z || true"]))
    ok_exit(res)
    expect(res.stdout.strip() == b"0", "zombies left: %r" % bytes(res.stdout), res)


def t_backpressure():
    data = os.urandom(4 << 20)
    res = run(base(["sh", "-c", "sleep 0.5; head -c 100 >/dev/null; echo done"]), stdin=data)
    ok_exit(res)
    expect(res.stdout == b"done\n", "output", res)


def t_stdin_eof_pipe():
    res = run(base(["sh", "-c", "cat; echo after-eof"]), stdin=b"abc")
    ok_exit(res)
    expect(res.stdout == b"abcafter-eof\n", "output", res)


def t_tty():
    res = run(base(["sh", "-c", "tty; stty size; echo $TERM; echo err >&2"], tty=1, term="xterm-256color"),
              winsize=(30, 100))
    ok_exit(res)
    expect(re.fullmatch(rb"/dev/pts/\d+\r\n30 100\r\nxterm-256color\r\nerr\r\n", bytes(res.stdout)),
           "tty output", res)
    expect(res.stderr == b"", "stderr in tty mode", res)


def t_tty_eof_and_winch():
    def on(h, res):
        if b"ready" in res.stdout and not getattr(h, "sent", False):
            h.sent = True
            h.write_all(frame(WINSIZE, struct.pack(">HH", 40, 120)))
    script = 'trap "stty size; exit 3" WINCH; echo ready; while :; do sleep 0.05; done'
    res = run(base(["sh", "-c", script], tty=1), winsize=(24, 80), eof=False, on_output=on)
    ok_exit(res, 3)
    expect(b"40 120" in res.stdout, "resize not seen", res)
    res = run(base(["cat"], tty=1), winsize=(24, 80), stdin=b"hello\n")
    ok_exit(res)
    expect(res.stdout.count(b"hello") == 2, "echo and cat output", res)


def t_tty_not_found():
    res = run(base(["no-such-command-xyz"], tty=1), winsize=(24, 80))
    ok_exit(res, 127)
    expect(res.stderr == b"vsb: no-such-command-xyz: No such file or directory\n", "message", res)


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


def t_protocol_error():
    def on(h, res):
        if b"ready" in res.stdout and not getattr(h, "sent", False):
            h.sent = True
            h.write_all(bytes.fromhex("2a00000000000000"))
            h.t_bad = time.monotonic()
    h = Host(base(["sh", "-c", "echo ready; exec sleep 10"]))
    h.handshake()
    try:
        h.run(eof=False, on_output=on, timeout=3)
        raise AssertionError("EXIT after a bad frame")
    except AssertionError as e:
        expect("channel ended" in str(e) or "no EXIT" in str(e), str(e))
    res = h.finish()
    expect(res.init_status == 1, "init status %r" % res.init_status, res)
    expect(b"unknown frame type 42" in res.log, "log", res)


def t_hangup_kills_app():
    return hangup(stuck_stdin=False)


def t_hangup_while_app_holds_up_stdin():
    return hangup(stuck_stdin=True)


def hangup(stuck_stdin):
    h = Host(base(["sh", "-c", "echo $$; exec sleep 10"]))
    h.handshake()
    if stuck_stdin:
        # A whole window, more than the pipe takes: the init holds what the app does not read.
        h.write_all(frame(STDIN, b"x" * STDIN_WINDOW))
    pid = None
    while pid is None:
        select.select([h.master], [], [], 1)
        h.buf += os.read(h.master, 4096)
        for ftype, _, payload in h.frames():
            if ftype == STDOUT:
                pid = int(payload)
    os.close(h.master)
    t = time.monotonic()
    try:
        status = h.proc.wait(3)
    except subprocess.TimeoutExpired:
        h.proc.kill()
        h.proc.wait()
        raise AssertionError("init still running 3 s after the host hung up")
    expect(status == 1, "init status %r" % status)
    time.sleep(0.05)
    gone = not os.path.exists("/proc/%d" % pid) or \
        open("/proc/%d/stat" % pid).read().split(") ")[1][0] == "Z"
    expect(gone, "app still running after the host hung up")
    return "init ended %.0f ms after hangup" % ((time.monotonic() - t) * 1000)


CASES = [(name[2:].replace("_", " "), fn) for name, fn in list(globals().items())
         if name.startswith("t_") and callable(fn)]
