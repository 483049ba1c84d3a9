/**
 * A write-ahead log of JSON records, made durable before the caller acts on them (etcd's `wal`
 * in miniature). The file starts with the 8 bytes of MAGIC; each record after it is
 *
 *     length (u32 BE) | CRC-32 of the payload (u32 BE) | payload (UTF-8 JSON)
 *
 * appended with one write and made durable with fdatasync per batch. On open the file is read
 * from the start: a record cut short at the end of the file, or whose checksum fails and that
 * ends exactly at the end of the file, is a torn write (the process died while appending) and
 * is truncated away; a record whose checksum fails with more data after it is corruption, and
 * opening stops with a WalCorruption naming the file and the record's offset — nothing is
 * dropped silently. So does a file that does not start with MAGIC, and a length above
 * MAX_RECORD (a garbled length, not a record being written).
 */
import {
  closeSync,
  fdatasyncSync,
  fstatSync,
  fsyncSync,
  ftruncateSync,
  openSync,
  readSync,
  writeSync,
} from "node:fs";
import { dirname } from "node:path";
import { crc32 } from "node:zlib";

const HEADER = 8;

/** The first bytes of every log file: its format and version. */
export const MAGIC = Buffer.from("LSWAL01\n", "latin1");

/** No record is larger (a batch of entries is several records). */
export const MAX_RECORD = 64 * 1024 * 1024;

/** A record in the middle of the log does not check: the log cannot be trusted past it. */
export class WalCorruption extends Error {
  override name = "WalCorruption";
  constructor(
    readonly file: string,
    readonly offset: number,
    readonly reason: string,
  ) {
    super(
      `${file}: corrupt record at byte offset ${offset} (${reason}); not truncated, as the records after it would be lost: restore the file from a copy (starting this node with an empty log could undo its votes and acknowledged entries)`,
    );
  }
}

export interface WalOpen {
  readonly wal: Wal;
  /** The records found, in order. */
  readonly records: ReadonlyArray<unknown>;
  /** A torn tail that was cut off: where, and how many bytes. */
  readonly truncated: { readonly offset: number; readonly bytes: number } | undefined;
}

export interface WalOptions {
  /** fdatasync after each append (default true). Off only to measure what it costs. */
  readonly fsync?: boolean;
}

export class Wal {
  private size: number;

  private constructor(
    readonly file: string,
    private readonly fd: number,
    size: number,
    private readonly fsync: boolean,
  ) {
    this.size = size;
  }

  /** Open (or create) the log at `file`, recover its records and cut a torn tail. */
  static open(file: string, o: WalOptions = {}): WalOpen {
    const fd = openSync(file, "a+");
    try {
      const size = fstatSync(fd).size;
      const data = Buffer.alloc(size);
      let read = 0;
      while (read < size) read += readSync(fd, data, read, size - read, read);
      if (size < MAGIC.length) {
        // New, or created but its first write torn: (re)start it.
        if (size > 0 && !MAGIC.subarray(0, size).equals(data))
          throw new WalCorruption(file, 0, "not a write-ahead log of this format");
        ftruncateSync(fd, 0);
        writeSync(fd, MAGIC, 0, MAGIC.length, 0);
        fsyncSync(fd);
        syncDir(file);
        return {
          wal: new Wal(file, fd, MAGIC.length, o.fsync ?? true),
          records: [],
          truncated: undefined,
        };
      }
      if (!data.subarray(0, MAGIC.length).equals(MAGIC))
        throw new WalCorruption(file, 0, "not a write-ahead log of this format");
      const { records, end } = scan(file, data, MAGIC.length);
      let truncated: WalOpen["truncated"];
      if (end < size) {
        ftruncateSync(fd, end);
        fsyncSync(fd);
        truncated = { offset: end, bytes: size - end };
      }
      return { wal: new Wal(file, fd, end, o.fsync ?? true), records, truncated };
    } catch (e) {
      closeSync(fd);
      throw e;
    }
  }

  /** Bytes in the log. */
  get bytes(): number {
    return this.size;
  }

  /** Append records and make them durable before returning. */
  append(records: ReadonlyArray<unknown>): void {
    if (records.length === 0) return;
    const buf = Buffer.concat(records.map(encodeRecord));
    let off = 0;
    while (off < buf.length) off += writeSync(this.fd, buf, off, buf.length - off);
    this.size += buf.length;
    if (this.fsync) fdatasyncSync(this.fd);
  }

  close(): void {
    closeSync(this.fd);
  }
}

export function encodeRecord(value: unknown): Buffer {
  const payload = Buffer.from(JSON.stringify(value), "utf8");
  const head = Buffer.allocUnsafe(HEADER);
  head.writeUInt32BE(payload.length, 0);
  head.writeUInt32BE(crc32(payload), 4);
  return Buffer.concat([head, payload]);
}

/** The records of a log's bytes, and where the intact prefix ends (a torn tail after it). */
export function scan(
  file: string,
  data: Buffer,
  start = 0,
): { readonly records: ReadonlyArray<unknown>; readonly end: number } {
  const records: unknown[] = [];
  let off = start;
  while (off < data.length) {
    if (data.length - off < HEADER) break; // torn header
    const len = data.readUInt32BE(off);
    const sum = data.readUInt32BE(off + 4);
    if (len > MAX_RECORD) throw new WalCorruption(file, off, `record length ${len} is impossible`);
    const endOf = off + HEADER + len;
    if (endOf > data.length) break; // torn payload
    const payload = data.subarray(off + HEADER, endOf);
    if (crc32(payload) !== sum) {
      if (endOf === data.length) break; // the last record, half written
      throw new WalCorruption(file, off, "checksum mismatch");
    }
    try {
      records.push(JSON.parse(payload.toString("utf8")));
    } catch {
      throw new WalCorruption(file, off, "checksum matches but the payload is not JSON");
    }
    off = endOf;
  }
  return { records, end: off };
}

/** fsync the directory, so that a newly created log file survives a power loss. */
function syncDir(file: string): void {
  try {
    const fd = openSync(dirname(file), "r");
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // Some file systems refuse fsync on a directory; the file's own fsync still holds.
  }
}
