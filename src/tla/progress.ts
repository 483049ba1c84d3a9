/**
 * Progress while checks run, on stderr: each running check with what its engine tells — TLC:
 * distinct states found, states generated per second and the queue; the embedded engine
 * reports nothing until it ends, so its checks show their time and the states their cfg
 * header expects — and how many checks are done.
 *
 * On a terminal this is one live line (after a few seconds), and `print` writes finished lines
 * above it. Elsewhere (CI logs, pipes) it is a plain line every few seconds, so a log shows
 * that a long run is alive and how far it got.
 */
import { SingleBar } from "cli-progress";
import type { Progress } from "./types.js";

const DELAY_MS = 3000;
const TICK_MS = 250;
/** Between two progress lines in a log. */
export const LOG_INTERVAL_MS = 5000;

export interface StatusLine {
  /** A check starts; `expected` is the distinct states its header gives for this engine. */
  start(id: number, label: string, expected?: number): void;
  update(id: number, p: Progress): void;
  finish(id: number): void;
  /** Write `text` (ending in a newline) to `out` without garbling the live line. */
  print(out: { write(s: string): unknown }, text: string): void;
  stop(): void;
}

const clock = (ms: number) => {
  const s = Math.floor(ms / 1000);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
};

const n = (x: number) => Math.round(x).toLocaleString("en-US");

interface Running {
  label: string;
  at: number;
  expected?: number | undefined;
  latest?: Progress;
}

/** One running check: `MCFoo (tlc) 0:12, 12,345 distinct states, 4,100 states/s, queue 2,311`. */
export function describeRunning(r: Running, now: number): string {
  const bits = [`${r.label} ${clock(now - r.at)}`];
  const p = r.latest;
  if (p?.distinctStates != null) bits.push(`${n(p.distinctStates)} distinct states`);
  if (p?.statesPerSecond != null) bits.push(`${n(p.statesPerSecond)} states/s`);
  if (p?.queue != null) bits.push(`queue ${n(p.queue)}`);
  if (!p && r.expected !== undefined) bits.push(`${n(r.expected)} states expected`);
  return bits.join(", ");
}

export interface StatusOptions {
  /** Between two lines when the stream is not a terminal (default LOG_INTERVAL_MS). */
  logIntervalMs?: number;
}

export function startStatus(
  total: number,
  stream: NodeJS.WriteStream,
  enabled: boolean,
  opts: StatusOptions = {},
): StatusLine {
  const running = new Map<number, Running>();
  let done = 0;
  const started = Date.now();
  const text = () => {
    const now = Date.now();
    const parts = [...running.values()].map((r) => describeRunning(r, now));
    return `${clock(now - started)} ${done}/${total} done; ${parts.join(" | ") || "finishing"}`;
  };
  const track = {
    start: (id: number, label: string, expected?: number) => {
      running.set(id, { label, at: Date.now(), expected });
    },
    update: (id: number, p: Progress) => {
      const r = running.get(id);
      if (r) r.latest = p;
    },
    finish: (id: number) => {
      running.delete(id);
      done++;
    },
  };
  if (!enabled) return { ...track, print: (out, s) => out.write(s), stop: () => {} };
  if (!stream.isTTY) {
    const timer = setInterval(() => {
      if (running.size > 0) stream.write(`… ${text()}\n`);
    }, opts.logIntervalMs ?? LOG_INTERVAL_MS);
    timer.unref();
    return { ...track, print: (out, s) => out.write(s), stop: () => clearInterval(timer) };
  }
  let bar: SingleBar | undefined;
  const line = () => text().slice(0, Math.max(20, (stream.columns ?? 100) - 1));
  const draw = () => {
    if (Date.now() - started < DELAY_MS) return;
    if (!bar) {
      bar = new SingleBar({
        format: "{text}",
        stream,
        hideCursor: true,
        clearOnComplete: true,
        fps: 4,
      });
      bar.start(0, 0, { text: line() });
    } else bar.update({ text: line() });
  };
  const clear = () => {
    bar?.stop();
    bar = undefined;
  };
  const timer = setInterval(draw, TICK_MS);
  return {
    ...track,
    print: (out, s) => {
      clear();
      out.write(s);
      draw();
    },
    stop: () => {
      clearInterval(timer);
      clear();
    },
  };
}
