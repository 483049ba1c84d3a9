import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { installMain, installTlc, TLC_RELEASE } from "../../src/tla/install.js";

/** Stand-in for the jar: the installer only cares about bytes and their hash. */
const body = Buffer.from("PK\u0003\u0004 not really a jar, but bytes with a known hash");
const sha = createHash("sha256").update(body).digest("hex");

let server: Server;
let base = "";
let dir = "";

beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === "/redirect") {
      res.writeHead(302, { location: "/tla2tools.jar" });
      res.end();
    } else if (req.url === "/tla2tools.jar") res.end(body);
    else {
      res.writeHead(404);
      res.end();
    }
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "lockstep-install-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe("installTlc", () => {
  it("pins the official v1.7.4 release by SHA-256", () => {
    expect(TLC_RELEASE.url).toBe(
      "https://github.com/tlaplus/tlaplus/releases/download/v1.7.4/tla2tools.jar",
    );
    expect(TLC_RELEASE.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it("downloads (following redirects), verifies and installs", async () => {
    const dest = join(dir, "cache", "lockstep", "tla2tools.jar");
    const r = await installTlc({ url: `${base}/redirect`, sha256: sha, dest });
    expect(r).toEqual({ path: dest, downloaded: true });
    expect(readFileSync(dest)).toEqual(body);
    expect(readdirSync(join(dir, "cache", "lockstep"))).toEqual(["tla2tools.jar"]);
    // A verified copy is not fetched again.
    expect(await installTlc({ url: `${base}/missing`, sha256: sha, dest })).toEqual({
      path: dest,
      downloaded: false,
    });
  });

  it("replaces a corrupt copy", async () => {
    const dest = join(dir, "tla2tools.jar");
    writeFileSync(dest, "truncated");
    await installTlc({ url: `${base}/tla2tools.jar`, sha256: sha, dest });
    expect(readFileSync(dest)).toEqual(body);
  });

  it("discards a download with the wrong checksum", async () => {
    const dest = join(dir, "tla2tools.jar");
    await expect(
      installTlc({ url: `${base}/tla2tools.jar`, sha256: "0".repeat(64), dest }),
    ).rejects.toThrow(
      `checksum mismatch for ${base}/tla2tools.jar: expected sha256 ${"0".repeat(64)}, got ${sha}; the download was discarded`,
    );
    expect(readdirSync(dir)).toEqual([]);
  });

  it("explains how to proceed when the server is unreachable", async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, "127.0.0.1", r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    const dest = join(dir, "tla2tools.jar");
    await expect(
      installTlc({ url: `http://127.0.0.1:${port}/tla2tools.jar`, sha256: sha, dest }),
    ).rejects.toThrow(
      /could not download .* \(ECONNREFUSED\); download tla2tools\.jar v1\.7\.4 yourself and set TLA2TOOLS_JAR=/,
    );
    expect(existsSync(dest)).toBe(false);
    expect(readdirSync(dir)).toEqual([]);
  });

  it("reports HTTP errors", async () => {
    await expect(
      installTlc({ url: `${base}/nope`, sha256: sha, dest: join(dir, "j.jar") }),
    ).rejects.toThrow(/HTTP 404/);
  });

  it("refuses plain HTTP to other hosts", async () => {
    await expect(
      installTlc({ url: "http://example.com/tla2tools.jar", dest: join(dir, "j.jar") }),
    ).rejects.toThrow(/refusing to download over http:/);
  });
});

describe("installMain", () => {
  const capture = () => {
    const s = new PassThrough();
    let text = "";
    s.on("data", (d: Buffer) => {
      text += d.toString();
    });
    return { s, text: () => text };
  };

  it("prints one line of outcome and returns the exit status", async () => {
    const out = capture();
    const err = capture();
    const dest = join(dir, "tla2tools.jar");
    const ok = await installMain(
      { stdout: out.s, stderr: err.s },
      { url: `${base}/tla2tools.jar`, sha256: sha, dest },
      {},
    );
    expect(ok).toBe(0);
    expect(out.text()).toContain(`Installed ${dest} (sha256 verified)`);
    const bad = await installMain(
      { stdout: out.s, stderr: err.s },
      { url: `${base}/tla2tools.jar`, sha256: "1".repeat(64), dest: join(dir, "other.jar") },
      {},
    );
    expect(bad).toBe(1);
    expect(err.text()).toMatch(/^error: checksum mismatch/);
  });
});
