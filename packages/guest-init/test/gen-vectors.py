#!/usr/bin/env python3
"""Turns docs/protocol-vectors.json into a C header for test-protocol.c (usage: gen-vectors.py IN OUT)."""
import json
import sys


def c_str(s):
    if s is None:
        return "NULL"
    out = '"'
    for b in s.encode():
        out += chr(b) if 0x20 <= b < 0x7F and chr(b) not in '"\\?' else "\\%03o" % b
    return out + '"'


def main(src, dst):
    v = json.load(open(src))
    lines = [
        "/* Generated from docs/protocol-vectors.json by test/gen-vectors.py; do not edit. */",
        f"#define VEC_MAX_PAYLOAD {v['maxPayload']}u",
        f"#define VEC_SYNC_REQ 0x{v['syncRequest']}",
        f"#define VEC_SYNC_ACK 0x{v['syncAck']}",
        "struct vec_frame { const char *name; int type; long stream; const char *payload_hex; const char *frame_hex;",
        "  long gen_len; const char *header_hex; long code, signal, rows, cols, signo; const char *message;",
        "  long bytes; const char *exec_args_hex; const char *exec_env; const char *exec_cwd; long exec_tty; };",
        "static const struct vec_frame vec_frames[] = {",
    ]
    known_fields = {"code", "signal", "rows", "cols", "signo", "message", "bytes", "argsHex", "env", "cwd", "tty"}
    for f in v["frames"]:
        fields = f.get("fields", {})
        unknown = set(fields) - known_fields
        if unknown:
            sys.exit(f"gen-vectors: unknown fields {unknown} in {f['name']!r}")
        gen = f.get("payloadGen")
        if gen and gen["rule"] != "byte i = i % 251":
            sys.exit(f"gen-vectors: unknown payloadGen rule {gen['rule']!r}")
        num = lambda k: str(fields.get(k, -1))
        exe = "argsHex" in fields
        lines.append(
            "  { %s, %d, %d, %s, %s, %d, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s },"
            % (c_str(f["name"]), f["type"], f.get("stream", 0), c_str(f.get("payloadHex")),
               c_str(f.get("frameHex")), gen["len"] if gen else -1, c_str(f.get("headerHex")),
               num("code"), num("signal"), num("rows"), num("cols"), num("signo"),
               c_str(fields.get("message")), num("bytes"),
               c_str(",".join(fields["argsHex"])) if exe else "NULL",
               c_str("|".join(fields.get("env", []))) if exe else "NULL",
               c_str(fields.get("cwd")), num("tty")))
    lines += ["};", "struct vec_invalid { const char *name; const char *hex; const char *error; };",
              "static const struct vec_invalid vec_invalid[] = {"]
    for f in v["invalid"]:
        lines.append("  { %s, %s, %s }," % (c_str(f["name"]), c_str(f["hex"]), c_str(f["error"])))
    s = v["stream"]
    lines += ["};", "struct vec_decoded { int type; long stream; const char *payload_hex; };",
              f"static const char *vec_stream_name = {c_str(s['name'])};",
              f"static const char *vec_stream_hex = {c_str(s['hex'])};",
              "static const struct vec_decoded vec_stream[] = {"]
    for d in s["decoded"]:
        lines.append("  { %d, %d, %s }," % (d["type"], d.get("stream", 0), c_str(d["payloadHex"])))
    lines.append("};")
    open(dst, "w").write("\n".join(lines) + "\n")


main(*sys.argv[1:])
