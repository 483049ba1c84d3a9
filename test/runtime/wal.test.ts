/** The durable log and the frames: checksums, torn tails, corruption in the middle, bad frames. */
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { encodeFrame, FrameDecoder } from "../../src/runtime/frames.js";
import { encodeRecord, MAGIC, Wal, WalCorruption } from "../../src/runtime/wal.js";

const dir = mkdtempSync(join(tmpdir(), "lockstep-wal-test-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const fresh = () => join(dir, `wal-${++n}.log`);
const flip = (b: Buffer, k: number, mask: number) => {
  b[k] = (b[k] as number) ^ mask;
};

describe("the write-ahead log", () => {
  it("gives back what was appended, across reopenings", () => {
    const f = fresh();
    const a = Wal.open(f);
    expect(a.records).toEqual([]);
    a.wal.append([{ x: 1 }, { y: "two" }]);
    a.wal.append([]);
    a.wal.close();
    const b = Wal.open(f);
    b.wal.append([{ z: [3] }]);
    b.wal.close();
    expect(Wal.open(f).records).toEqual([{ x: 1 }, { y: "two" }, { z: [3] }]);
  });

  it("cuts a torn tail (a record half written) and keeps the records before it", () => {
    for (const cut of [1, 5, 9, 12]) {
      const f = fresh();
      const good = Buffer.concat([encodeRecord({ a: 1 }), encodeRecord({ b: 2 })]);
      const last = encodeRecord({ c: "the last one" });
      writeFileSync(f, Buffer.concat([MAGIC, good, last.subarray(0, last.length - cut)]));
      const o = Wal.open(f);
      expect(o.records).toEqual([{ a: 1 }, { b: 2 }]);
      expect(o.truncated?.offset).toBe(MAGIC.length + good.length);
      o.wal.append([{ d: 4 }]);
      o.wal.close();
      expect(statSync(f).size).toBe(MAGIC.length + good.length + encodeRecord({ d: 4 }).length);
      expect(Wal.open(f).records).toEqual([{ a: 1 }, { b: 2 }, { d: 4 }]);
    }
  });

  it("cuts a last record whose checksum fails (its bytes were not all written)", () => {
    const f = fresh();
    const first = encodeRecord({ a: 1 });
    const last = Buffer.from(encodeRecord({ b: 2 }));
    flip(last, last.length - 1, 0xff);
    writeFileSync(f, Buffer.concat([MAGIC, first, last]));
    const o = Wal.open(f);
    expect(o.records).toEqual([{ a: 1 }]);
    expect(o.truncated).toEqual({ offset: MAGIC.length + first.length, bytes: last.length });
    o.wal.close();
  });

  it("stops at a corrupt record in the middle, naming the file and the offset", () => {
    const f = fresh();
    const first = encodeRecord({ a: 1 });
    const bad = Buffer.from(encodeRecord({ b: 2 }));
    flip(bad, 10, 0x01);
    writeFileSync(f, Buffer.concat([MAGIC, first, bad, encodeRecord({ c: 3 })]));
    const before = readFileSync(f);
    let error: unknown;
    try {
      Wal.open(f);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(WalCorruption);
    expect((error as WalCorruption).offset).toBe(MAGIC.length + first.length);
    expect((error as Error).message).toContain(
      `${f}: corrupt record at byte offset ${MAGIC.length + first.length}`,
    );
    expect((error as Error).message).not.toContain("\n");
    // Nothing was cut.
    expect(readFileSync(f).equals(before)).toBe(true);
  });

  it("refuses a file that is not a log, and an impossible record length", () => {
    const f = fresh();
    writeFileSync(f, "garbage-garbage-garbage");
    expect(() => Wal.open(f)).toThrow(/byte offset 0 \(not a write-ahead log/);
    writeFileSync(f, Buffer.concat([MAGIC, Buffer.from([0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0])]));
    expect(() => Wal.open(f)).toThrow(/byte offset 8 \(record length/);
  });

  it("detects a flipped bit in any record but the last", () => {
    const f = fresh();
    const recs = [encodeRecord({ a: 1 }), encodeRecord({ b: 2 }), encodeRecord({ c: 3 })];
    const all = Buffer.concat(recs);
    const end = (recs[0]?.length ?? 0) + (recs[1]?.length ?? 0);
    for (let byte = 8; byte < end; byte++) {
      if (byte >= (recs[0]?.length ?? 0) && byte < (recs[0]?.length ?? 0) + 8) continue;
      const copy = Buffer.concat([MAGIC, all]);
      flip(copy, MAGIC.length + byte, 0x10);
      writeFileSync(f, copy);
      expect(() => Wal.open(f), `byte ${byte}`).toThrow(WalCorruption);
    }
  });
});

describe("frames", () => {
  it("splits a byte stream into frames, however it is chunked", () => {
    const bytes = Buffer.concat([encodeFrame({ a: 1 }), encodeFrame(["x", 2]), encodeFrame("z")]);
    for (const size of [1, 3, 7, bytes.length]) {
      const d = new FrameDecoder();
      const out: unknown[] = [];
      for (let k = 0; k < bytes.length; k += size)
        for (const f of d.push(bytes.subarray(k, k + size))) out.push(f.ok ? f.value : f.reason);
      expect(out).toEqual([{ a: 1 }, ["x", 2], "z"]);
    }
  });

  it("refuses a frame that is not JSON, or too long, and nothing after it", () => {
    const d = new FrameDecoder();
    const junk = Buffer.from([0, 0, 0, 3, 0x7b, 0x7b, 0x7b]);
    const out = d.push(Buffer.concat([encodeFrame(1), junk, encodeFrame(2)]));
    expect(out).toEqual([
      { ok: true, value: 1 },
      { ok: false, reason: "frame of 3 bytes is not JSON" },
    ]);
    expect(d.push(encodeFrame(3))).toEqual([]);
    const big = new FrameDecoder().push(Buffer.from([0xff, 0xff, 0xff, 0xff]));
    expect(big[0]?.ok).toBe(false);
  });
});
