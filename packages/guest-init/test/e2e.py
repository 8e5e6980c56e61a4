"""End-to-end cases of build/vsb-init's stdio protocol: output, input, signals, the tty, orphans,
flow control, protocol errors and a host that hangs up (the host side is e2e_host.py)."""
import os
import re
import select
import struct
import subprocess
import time

from e2e_host import (SIGNAL, STARTED, STDIN, STDIN_WINDOW, STDOUT, WINSIZE, Host, SocketHost, base, expect,
                      frame, ok_exit, run, temp_dir)


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
