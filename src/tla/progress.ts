/**
 * One live line on stderr while checks run: each running check with its distinct states and
 * states/s (TLC reports them; the embedded engine only elapsed time), and how many are done.
 * It appears only after a few seconds, and only on a terminal; `print` writes a finished line
 * above it.
 */
import { SingleBar } from "cli-progress";
import type { Progress } from "./types.js";

const DELAY_MS = 3000;
const TICK_MS = 250;

export interface StatusLine {
  start(id: number, label: string): void;
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

export function startStatus(
  total: number,
  stream: NodeJS.WriteStream,
  enabled: boolean,
): StatusLine {
  const running = new Map<number, { label: string; at: number; latest?: Progress }>();
  let done = 0;
  if (!enabled || !stream.isTTY)
    return {
      start: () => {},
      update: () => {},
      finish: () => {},
      print: (out, text) => out.write(text),
      stop: () => {},
    };
  const started = Date.now();
  let bar: SingleBar | undefined;
  const text = () => {
    const parts = [...running.values()].map(({ label, at, latest }) => {
      const bits = [label];
      if (latest?.distinctStates != null)
        bits.push(`${latest.distinctStates.toLocaleString("en-US")} states`);
      if (latest?.statesPerSecond != null)
        bits.push(`${Math.round(latest.statesPerSecond).toLocaleString("en-US")}/s`);
      bits.push(clock(Date.now() - at));
      return bits.join(" ");
    });
    return `${done}/${total} done; ${parts.join(" | ") || "finishing"}`.slice(
      0,
      Math.max(20, (stream.columns ?? 100) - 1),
    );
  };
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
      bar.start(0, 0, { text: text() });
    } else bar.update({ text: text() });
  };
  const clear = () => {
    bar?.stop();
    bar = undefined;
  };
  const timer = setInterval(draw, TICK_MS);
  return {
    start: (id, label) => {
      running.set(id, { label, at: Date.now() });
    },
    update: (id, p) => {
      const r = running.get(id);
      if (r) r.latest = p;
    },
    finish: (id) => {
      running.delete(id);
      done++;
    },
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
