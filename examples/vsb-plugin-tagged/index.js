// A vsb console transport, `vsb run --transport tagged`: the transport vsb would have chosen
// carries the app's stdio, and every line the app writes to stdout reaches the host as
// `[NAME] line`, NAME being the sandbox's name (`-n`), so several sandboxes can share one log.
'use strict';
const { Writable } = require('node:stream');
const { contribute, definePlugin, installedTransports } = require('@vsb/core');

const NEWLINE = 0x0a;

/** A writable that prefixes each line written to `out` with `tag`; callbacks follow `out`'s, so backpressure holds. */
function tagLines(out, tag) {
  let atLineStart = true;
  return new Writable({
    write(chunk, _encoding, done) {
      const parts = [];
      let from = 0;
      while (from < chunk.length) {
        if (atLineStart) parts.push(tag);
        const end = chunk.indexOf(NEWLINE, from);
        const to = end < 0 ? chunk.length : end + 1;
        parts.push(chunk.subarray(from, to));
        atLineStart = end >= 0;
        from = to;
      }
      out.write(Buffer.concat(parts), done);
    },
  });
}

class TaggedTransport {
  constructor(others) {
    this.id = 'tagged';
    // Below every built-in transport: only `--transport tagged` picks it.
    this.priority = -1;
    this.others = others;
    this.inner = new WeakMap();
  }

  /** The transport vsb would use without this one. */
  delegate(uri, backendId) {
    return this.others()
      .filter((t) => t.supports(uri, backendId))
      .sort((a, b) => b.priority - a.priority)[0];
  }

  supports(uri, backendId) {
    return this.delegate(uri, backendId) !== undefined;
  }

  prepare(ctx, backend, draft) {
    const inner = this.delegate(ctx.config.uri, ctx.backendId);
    const channel = inner.prepare(ctx, backend, draft);
    this.inner.set(channel, { inner, tag: Buffer.from(`[${ctx.config.name}] `) });
    return channel;
  }

  listen(channel) {
    const { inner } = this.inner.get(channel);
    return inner.listen ? inner.listen(channel) : Promise.resolve(undefined);
  }

  attach(connection, domain, stdio, options) {
    const { inner, tag } = this.inner.get(options.channel);
    return inner.attach(connection, domain, { ...stdio, stdout: tagLines(stdio.stdout, tag) }, options);
  }
}

exports.taggedPlugin = definePlugin({
  id: 'tagged',
  register(container) {
    contribute(container, { transports: [() => new TaggedTransport(() => installedTransports(container, 'tagged'))] });
  },
});
