"""The host side of the init's end-to-end tests, without libvirt: a pty pair (or a unix socket) stands
in for libvirt's console, this module plays the host side of docs/PROTOCOL.md, and the init runs as
a normal root process (in new UTS and mount namespaces, so hostname and mounts do not touch this
machine). The cases are in e2e.py, e2e_sandbox.py and e2e_exec.py."""
import atexit
import os
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
