/* Checks the frame codec against every vector of docs/protocol-vectors.json (via build/vectors.h). */
#include "exec-spec.h"
#include "protocol.h"
#include "vectors.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static int failed;

static void result(const char *name, const char *problem)
{
	if (problem) {
		failed++;
		printf("not ok - protocol: %s: %s\n", name, problem);
	} else {
		printf("ok - protocol: %s\n", name);
	}
}

static size_t unhex(const char *hex, uint8_t *out)
{
	size_t i, n = strlen(hex) / 2;

	for (i = 0; i < n; i++) {
		unsigned int b;

		sscanf(hex + 2 * i, "%2x", &b);
		out[i] = (uint8_t)b;
	}
	return n;
}

/* An EXEC payload against the vector's fields, through the init's own parser. */
static const char *check_exec(const struct vec_frame *v, const uint8_t *payload, uint32_t len)
{
	static char joined[1024];
	struct exec_spec s;
	char err[256], *p = joined;
	const char *problem = NULL;
	size_t i, j;

	if (exec_spec_parse(payload, len, &s, err, sizeof(err)) < 0)
		return "exec spec rejected";
	for (i = 0; s.argv[i]; i++) {
		p += sprintf(p, "%s", i ? "," : "");
		for (j = 0; s.argv[i][j]; j++)
			p += sprintf(p, "%02x", (unsigned char)s.argv[i][j]);
	}
	if (strcmp(joined, v->exec_args_hex))
		problem = "exec args differ";
	p = joined;
	*p = 0;
	for (i = 0; i < s.nenv; i++)
		p += sprintf(p, "%s%s", i ? "|" : "", s.env[i]);
	if (!problem && strcmp(joined, v->exec_env))
		problem = "exec env differs";
	if (!problem && (!s.cwd || strcmp(s.cwd, v->exec_cwd)))
		problem = "exec cwd differs";
	if (!problem && (s.tty != v->exec_tty || s.ws.ws_row != v->rows || s.ws.ws_col != v->cols))
		problem = "exec tty or size differs";
	exec_spec_free(&s);
	return problem;
}

static const char *check_fields(const struct vec_frame *v, const uint8_t *payload, uint32_t len)
{
	uint8_t enc[8];
	uint32_t code, signo;
	uint16_t rows, cols;

	if (v->exec_args_hex)
		return check_exec(v, payload, len);
	if (v->bytes >= 0 && proto_get_u32(payload) != (uint32_t)v->bytes)
		return "ack bytes differ";

	if (v->code >= 0) {
		proto_get_exit(payload, &code, &signo);
		if (code != (uint32_t)v->code || signo != (uint32_t)v->signal)
			return "exit fields differ";
		proto_put_exit(enc, (uint32_t)v->code, (uint32_t)v->signal);
		if (memcmp(enc, payload, 8))
			return "exit payload encodes differently";
	}
	if (v->rows >= 0) {
		proto_get_winsize(payload, &rows, &cols);
		if (rows != v->rows || cols != v->cols)
			return "winsize fields differ";
	}
	if (v->signo >= 0 && proto_get_u32(payload) != (uint32_t)v->signo)
		return "signo differs";
	if (v->message && (len != strlen(v->message) || memcmp(payload, v->message, len)))
		return "message differs";
	return NULL;
}

static const char *check_frame(const struct vec_frame *v)
{
	static uint8_t frame[PROTO_HEADER_LEN + PROTO_MAX_PAYLOAD + 1], want_hdr[PROTO_HEADER_LEN];
	static char err[PROTO_ERR_LEN];
	uint8_t *payload = frame + PROTO_HEADER_LEN;
	size_t plen, flen, i;
	struct frame f;
	long n;

	if (v->gen_len >= 0) {
		plen = (size_t)v->gen_len;
		for (i = 0; i < plen; i++)
			payload[i] = (uint8_t)(i % 251);
		proto_put_header(frame, (uint8_t)v->type, (uint32_t)v->stream, (uint32_t)plen);
		unhex(v->header_hex, want_hdr);
		if (memcmp(frame, want_hdr, PROTO_HEADER_LEN))
			return "encoded header differs from headerHex";
		flen = PROTO_HEADER_LEN + plen;
	} else {
		uint8_t want[PROTO_HEADER_LEN + 512];

		plen = unhex(v->payload_hex, payload);
		proto_put_header(frame, (uint8_t)v->type, (uint32_t)v->stream, (uint32_t)plen);
		flen = unhex(v->frame_hex, want);
		if (flen != PROTO_HEADER_LEN + plen || memcmp(frame, want, flen))
			return "encoded frame differs from frameHex";
	}
	/* Any prefix is "need more", never an error or a frame. */
	for (i = 0; i < flen; i += i < 64 ? 1 : 4099)
		if (proto_next(frame, i, &f, err) != 0)
			return "a prefix of the frame did not ask for more bytes";
	frame[flen] = 0xAA; /* a following byte must not be taken */
	n = proto_next(frame, flen + 1, &f, err);
	if (n != (long)flen)
		return err[0] ? err : "decoded length differs";
	if (f.type != v->type || f.stream != (uint32_t)v->stream || f.len != plen || f.payload != payload)
		return "decoded type, stream or payload differs";
	return check_fields(v, f.payload, f.len);
}

static const char *check_invalid(const struct vec_invalid *v)
{
	static char msg[256];
	uint8_t buf[PROTO_HEADER_LEN + 512];
	char err[PROTO_ERR_LEN] = "";
	struct frame f;
	size_t n = unhex(v->hex, buf);

	if (proto_next(buf, n, &f, err) != -1)
		return "accepted";
	if (strcmp(err, v->error)) {
		snprintf(msg, sizeof(msg), "error '%s', want '%s'", err, v->error);
		return msg;
	}
	return NULL;
}

/* Feeds the stream in two pieces split at `split`, decoding as a receiver would. */
static const char *check_stream_split(const uint8_t *s, size_t len, size_t split)
{
	uint8_t buf[256], want[64];
	size_t have = 0, start = 0, got = 0, fed;
	static char err[PROTO_ERR_LEN];
	struct frame f;
	long n;

	for (fed = 0; fed < 2; fed++) {
		size_t from = fed ? split : 0, to = fed ? len : split;

		memcpy(buf + have, s + from, to - from);
		have += to - from;
		while ((n = proto_next(buf + start, have - start, &f, err)) > 0) {
			if (got >= COUNT(vec_stream))
				return "too many frames";
			if (f.type != vec_stream[got].type || f.stream != (uint32_t)vec_stream[got].stream ||
			    f.len != unhex(vec_stream[got].payload_hex, want) || memcmp(f.payload, want, f.len))
				return "frame differs";
			got++;
			start += (size_t)n;
		}
		if (n < 0)
			return err;
	}
	return got == COUNT(vec_stream) && start == len ? NULL : "frames missing";
}

int main(void)
{
	uint8_t stream[256];
	size_t i, len;
	const char *problem = NULL;

	if (VEC_MAX_PAYLOAD != PROTO_MAX_PAYLOAD || VEC_SYNC_REQ != PROTO_SYNC_REQ || VEC_SYNC_ACK != PROTO_SYNC_ACK)
		result("constants", "maxPayload or sync bytes differ");
	else
		result("constants", NULL);
	for (i = 0; i < COUNT(vec_frames); i++)
		result(vec_frames[i].name, check_frame(&vec_frames[i]));
	for (i = 0; i < COUNT(vec_invalid); i++)
		result(vec_invalid[i].name, check_invalid(&vec_invalid[i]));
	len = unhex(vec_stream_hex, stream);
	for (i = 0; i <= len && !problem; i++)
		problem = check_stream_split(stream, len, i);
	result(vec_stream_name, problem);
	return failed ? 1 : 0;
}
