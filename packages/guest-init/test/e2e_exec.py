"""End-to-end tests of the init as a supervisor (`vsb exec`): EXEC streams beside the app, their
windows, descriptors and errors, with e2e_host.py's host side."""
import os
import re
import socket
import struct
import time

from e2e_host import (ACK, EXEC, QUIT, SIGNAL, STDIN, STDIN_WINDOW, STDIO_FDS, Host, SocketHost, Stream, base,
                 expect, frame, ok_exit, temp_dir)

# The app of these sessions: it runs until its stdin ends, and says so.
APP = ["sh", "-c", "echo app-ready; cat >/dev/null; echo app-done"]


def spec(argv, env=(), cwd=None, tty=0, rows=0, cols=0):
    recs = [b"arg=" + (a if isinstance(a, bytes) else a.encode()) for a in argv]
    recs += [b"env=" + e.encode() for e in env]
    if cwd:
        recs.append(b"cwd=" + cwd.encode())
    if tty:
        recs += [b"tty=1", b"rows=%d" % rows, b"cols=%d" % cols]
    return b"".join(r + b"\0" for r in recs)


def session(host_class=Host, **over):
    h = host_class(base(APP, **over))
    h.handshake()
    h.streams = {0: Stream(0, eof=False, res=h.res)}
    h.left = b""
    return h


def start(h, sid, spec_bytes, stdin=b"", eof=True, chunks=(65536,), before=b""):
    h.streams[sid] = Stream(sid, stdin, eof, chunks)
    h.write_all(h.left + before + frame(EXEC, spec_bytes, sid))
    h.left = b""
    return h.streams[sid].res


def wait(h, *sids, timeout=20):
    h.left += h.pump(h.streams, lambda: all(h.streams[s].res.code is not None for s in sids), timeout=timeout,
                     what="EXIT of stream %s" % ",".join(map(str, sids)))


def end(h):
    """Ends the app (EOF on its stdin), as the sandbox ends: its EXIT, then QUIT."""
    h.streams[0].eof = True
    wait(h, 0)
    h.write_all(h.left + frame(QUIT))
    res = h.finish()
    ok_exit(res)
    expect(res.stdout == b"app-ready\napp-done\n", "the app's output", res)
    return res


def t_exec_20_at_once_beside_the_app():
    h = session()
    for sid in range(1, 21):
        start(h, sid, spec(["sh", "-c", "echo $$; exit %d" % sid]))
    wait(h, *range(1, 21))
    pids = set()
    for sid in range(1, 21):
        res = h.streams[sid].res
        ok_exit(res, sid, init_status=None)
        expect(res.started and re.fullmatch(rb"\d+\n", bytes(res.stdout)), "stream %d" % sid, res)
        pids.add(bytes(res.stdout))
    expect(len(pids) == 20, "20 processes, %d pids" % len(pids))
    end(h)


def t_exec_stdin_byte_exact_in_windows():
    one, three = os.urandom(1 << 20), os.urandom(3 << 20)
    h = session()
    start(h, 1, spec(["cat"]), one, chunks=(1, 7, 65536, 262144, 4096, 100000))
    start(h, 2, spec(["sh", "-c", "cat; echo end"]), three, chunks=(262144,))
    wait(h, 1, 2)
    ok_exit(h.streams[1].res, init_status=None)
    expect(h.streams[1].res.stdout == one, "stream 1 differs (%d bytes)" % len(h.streams[1].res.stdout))
    expect(h.streams[2].res.stdout == three + b"end\n", "stream 2 differs")
    end(h)


def t_exec_env_cwd_over_the_apps():
    h = session(env=["X=app", "Y=app"], cwd="/")
    res = start(h, 1, spec(["sh", "-c", 'printf "%s|%s|%s\\n" "$X" "$Y" "$HOME"; pwd'], env=["X=exec", "X=\xe9"],
                           cwd="/tmp"))
    res2 = start(h, 2, spec(["pwd"]))
    wait(h, 1, 2)
    expect(res.stdout == "\xe9|app|/root\n/tmp\n".encode(), "env and cwd", res)
    expect(res2.stdout == b"/\n", "the app's cwd", res2)
    end(h)


def t_exec_argv_bytes_unchanged():
    h = session()
    res = start(h, 1, spec(["printf", "%s|", b"\xff\x01 two", b"", b"a=b"]))
    wait(h, 1)
    expect(res.stdout == b"\xff\x01 two||a=b|", "argv", res)
    end(h)


def t_exec_tty():
    h = session()
    res = start(h, 1, spec(["sh", "-c", "tty; stty size; echo err >&2"], tty=1, rows=30, cols=100))
    wait(h, 1)
    ok_exit(res, init_status=None)
    expect(re.fullmatch(rb"/dev/pts/\d+\r\n30 100\r\nerr\r\n", bytes(res.stdout)), "tty output", res)
    end(h)


def t_exec_not_found_and_bad_cwd_and_bad_spec():
    h = session()
    nf = start(h, 1, spec(["no-such-command-xyz"]))
    cwd = start(h, 2, spec(["true"], cwd="/nonexistent-dir"))
    bad = start(h, 3, b"cwd=/tmp\0")
    wait(h, 1, 2, 3)
    ok_exit(nf, 127, init_status=None)
    expect(nf.stderr == b"vsb: no-such-command-xyz: No such file or directory\n" and not nf.started, "not found", nf)
    ok_exit(cwd, 1, init_status=None)
    expect(cwd.error == "cannot change to directory /nonexistent-dir: No such file or directory", "cwd", cwd)
    ok_exit(bad, 1, init_status=None)
    expect(bad.error == "exec: no command", "spec", bad)
    end(h)


def t_exec_signal():
    h = session()
    res = start(h, 1, spec(["sh", "-c", "echo ready; sleep 10"]))
    h.left += h.pump(h.streams, lambda: b"ready" in res.stdout, what="ready")
    h.write_all(h.left + frame(SIGNAL, struct.pack(">I", 15), 1))
    h.left = b""
    wait(h, 1)
    ok_exit(res, 0, 15, init_status=None)
    end(h)


def t_exec_output_window_no_head_of_line():
    h = session()
    big = start(h, 1, spec(["head", "-c", str(8 << 20), "/dev/zero"]))
    h.streams[1].hold_acks = True
    t = time.monotonic() + 0.5
    h.left += h.pump(h.streams, lambda: time.monotonic() > t, what="a pause")
    expect(len(big.stdout) == 1 << 20, "%d bytes before any ACK, want the window of 1 MiB" % len(big.stdout))
    other = start(h, 2, spec(["echo", "other"]))
    wait(h, 2)
    expect(other.stdout == b"other\n", "the other stream waited", other)
    h.streams[1].hold_acks = False
    h.write_all(frame(ACK, struct.pack(">I", h.streams[1].held), 1))
    wait(h, 1)
    expect(len(big.stdout) == 8 << 20, "got %d bytes" % len(big.stdout))
    end(h)


def t_exec_killed_when_the_app_ends():
    h = session()
    res = start(h, 1, spec(["sh", "-c", "echo $$; exec sleep 30"]))
    h.left += h.pump(h.streams, lambda: res.stdout.endswith(b"\n"), what="pid")
    pid = int(res.stdout)
    end(h)
    time.sleep(0.05)
    gone = not os.path.exists("/proc/%d" % pid) or open("/proc/%d/stat" % pid).read().split(") ")[1][0] == "Z"
    expect(gone, "the exec'd process outlived the app")


def t_exec_stdio_fds():
    h = session(SocketHost)
    d = temp_dir()
    out = os.open(os.path.join(d, "out"), os.O_WRONLY | os.O_CREAT, 0o644)
    r, w = os.pipe()
    sock = socket.socket(fileno=os.dup(h.master))
    socket.send_fds(sock, [frame(STDIO_FDS, bytes([7]), 4)], [r, out, out])
    os.close(sock.detach())
    os.write(w, b"from the host's pipe\n")
    os.close(w)
    res = start(h, 4, spec(["sh", "-c", "cat; echo err >&2; ls -l /proc/self/fd/0 | grep -c pipe"]))
    wait(h, 4)
    ok_exit(res, init_status=None)
    expect(res.stdout == b"" and res.stderr == b"", "relayed what was passed", res)
    for fd in (r, out):
        os.close(fd)
    got = open(os.path.join(d, "out"), "rb").read()
    expect(got == b"from the host's pipe\nerr\n1\n", "the file got %r" % got)
    end(h)


def t_stdin_beyond_the_window_is_a_protocol_error():
    h = Host(base(["sh", "-c", "echo ready; exec sleep 10"]))
    h.handshake()
    # The pipe takes 64 KiB of the first: the second window does not fit what is left.
    h.write_all(frame(STDIN, b"x" * STDIN_WINDOW) * 2)
    res = h.finish()
    expect(res.init_status == 1 and b"stream 0: STDIN beyond its window" in res.log, "init %r" % res.init_status, res)


def t_exec_on_a_stream_in_use_is_a_protocol_error():
    h = session()
    start(h, 1, spec(["sleep", "10"]))
    h.write_all(frame(EXEC, spec(["true"]), 1))
    res = h.finish()
    expect(res.init_status == 1 and b"EXEC: stream 1 is in use" in res.log, "init %r" % res.init_status, res)


CASES = [(name[2:].replace("_", " "), fn) for name, fn in list(globals().items())
         if name.startswith("t_") and callable(fn)]
