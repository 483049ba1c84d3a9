/**
 * A single live line on stderr for long checks: states/s for TLC, elapsed time for the
 * embedded engine. It appears only after a few seconds, and only on a terminal.
 */
import { SingleBar } from "cli-progress";
import type { Progress } from "./types.js";

const DELAY_MS = 3000;
const TICK_MS = 250;

export interface ProgressLine {
  update(p: Progress): void;
  stop(): void;
}

const quiet: ProgressLine = { update: () => {}, stop: () => {} };

const clock = (ms: number) => {
  const s = Math.floor(ms / 1000);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
};

export function startProgress(
  label: string,
  stream: NodeJS.WriteStream,
  enabled: boolean,
): ProgressLine {
  if (!enabled || !stream.isTTY) return quiet;
  const started = Date.now();
  let latest: Progress | undefined;
  let bar: SingleBar | undefined;
  const text = () => {
    const parts = [label];
    if (latest?.distinctStates != null)
      parts.push(`${latest.distinctStates.toLocaleString("en-US")} distinct states`);
    if (latest?.statesPerSecond != null)
      parts.push(`${Math.round(latest.statesPerSecond).toLocaleString("en-US")} states/s`);
    if (latest?.depth != null) parts.push(`depth ${latest.depth}`);
    parts.push(clock(Date.now() - started));
    return parts.join(", ");
  };
  const timer = setInterval(() => {
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
  }, TICK_MS);
  return {
    update: (p) => {
      latest = p;
    },
    stop: () => {
      clearInterval(timer);
      bar?.stop();
    },
  };
}
