import { Transform } from 'node:stream';
import type { TransformCallback } from 'node:stream';

/** Ctrl-] (0x1d), the escape that detaches from a tty sandbox, as in virsh console. */
export const DETACH_BYTE = 0x1d;

/** Passes terminal input through until Ctrl-], then calls `onDetach` and swallows the rest. */
export class DetachFilter extends Transform {
  private detached = false;

  constructor(private readonly onDetach: () => void) {
    super();
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    if (this.detached) return done();
    const at = chunk.indexOf(DETACH_BYTE);
    if (at < 0) return done(null, chunk);
    this.detached = true;
    if (at > 0) this.push(chunk.subarray(0, at));
    this.onDetach();
    done();
  }
}
