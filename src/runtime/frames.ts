/**
 * Length-prefixed frames on a byte stream: a 4-byte big-endian length, then that many bytes of
 * UTF-8 JSON. What a frame holds is the protocol's business (its io-ts codecs decide whether
 * it is well-formed); here a frame is only checked to be of a sane length and valid JSON.
 */

/** Frames larger than this are refused (a garbled length would otherwise wait forever). */
export const MAX_FRAME = 16 * 1024 * 1024;

export const encodeFrame = (value: unknown): Buffer => {
  const body = Buffer.from(JSON.stringify(value), "utf8");
  const head = Buffer.allocUnsafe(4);
  head.writeUInt32BE(body.length, 0);
  return Buffer.concat([head, body]);
};

export type FrameResult =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly reason: string };

/** Splits a byte stream into frames; after a bad frame it yields nothing more. */
export class FrameDecoder {
  private buf: Buffer = Buffer.alloc(0);
  private failed = false;

  /** The frames completed by `chunk`, in order; a bad one ends the list (and the stream). */
  push(chunk: Buffer): ReadonlyArray<FrameResult> {
    if (this.failed) return [];
    this.buf = this.buf.length === 0 ? chunk : Buffer.concat([this.buf, chunk]);
    const out: FrameResult[] = [];
    while (this.buf.length >= 4) {
      const len = this.buf.readUInt32BE(0);
      if (len > MAX_FRAME) {
        this.failed = true;
        out.push({ ok: false, reason: `frame of ${len} bytes (more than ${MAX_FRAME})` });
        return out;
      }
      if (this.buf.length < 4 + len) break;
      const body = this.buf.subarray(4, 4 + len).toString("utf8");
      this.buf = this.buf.subarray(4 + len);
      try {
        out.push({ ok: true, value: JSON.parse(body) });
      } catch {
        this.failed = true;
        out.push({ ok: false, reason: `frame of ${len} bytes is not JSON` });
        return out;
      }
    }
    return out;
  }
}
