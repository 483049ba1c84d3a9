/**
 * Progress of `npm run validate` on stderr: on a terminal one live line, redrawn as events are
 * read and checked; otherwise (a log, a pipe, CI) a line every few seconds, so a long run is
 * never silent. Every figure comes from work done: events decoded, events the engine matched
 * (one state per event), traces with a verdict.
 */

export interface ProgressStream {
  write(s: string): unknown;
  readonly isTTY?: boolean;
  readonly columns?: number;
}

export interface ProgressOptions {
  /** Draw a live line (a terminal) rather than printing lines. */
  tty: boolean;
  /** Without a terminal: at most one line per this many milliseconds (default 5,000). */
  everyMs?: number;
  /** A clock in milliseconds (tests pass their own). */
  now?: () => number;
  /** Redraw on a timer too, so elapsed time moves while an engine is busy (default true). */
  timer?: boolean;
}

const TTY_REDRAW_MS = 200;

const clock = (ms: number) => {
  const s = Math.floor(ms / 1000);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
};

export const count = (n: number) => n.toLocaleString("en-US");

/** Events per second, rounded, or "" while there is not enough to tell. */
export const rate = (events: number, seconds: number) =>
  seconds >= 0.5 && events > 0 ? `, ${count(Math.round(events / seconds))} events/s` : "";

/**
 * The live line (or the periodic lines). `show` gives the current state as a function of the
 * elapsed time; `clear` must be called before writing anything else to the same terminal.
 */
export class ProgressLine {
  private readonly now: () => number;
  private readonly started: number;
  private text: ((elapsedMs: number) => string) | undefined;
  private drawn = false;
  private lastDraw = Number.NEGATIVE_INFINITY;
  private lastLine: number;
  private readonly timer: ReturnType<typeof setInterval> | undefined;

  constructor(
    private readonly out: ProgressStream,
    private readonly opts: ProgressOptions,
  ) {
    this.now = opts.now ?? (() => performance.now());
    this.started = this.now();
    this.lastLine = this.started;
    if (opts.timer !== false) {
      this.timer = setInterval(() => this.draw(false), 1000);
      this.timer.unref();
    }
  }

  /** The state to show (a function of the elapsed milliseconds); drawn when it is time. */
  show(text: (elapsedMs: number) => string, force = false): void {
    this.text = text;
    this.draw(force);
  }

  private draw(force: boolean): void {
    if (!this.text) return;
    const now = this.now();
    const line = this.text(now - this.started);
    if (this.opts.tty) {
      if (!force && now - this.lastDraw < TTY_REDRAW_MS) return;
      const width = Math.max(20, (this.out.columns ?? 100) - 1);
      this.out.write(`\r\x1b[K${line.slice(0, width)}`);
      this.drawn = true;
      this.lastDraw = now;
      return;
    }
    if (now - this.lastLine < (this.opts.everyMs ?? 5000)) return;
    this.out.write(`${line}\n`);
    this.lastLine = now;
  }

  /** Remove the live line (before other output goes to the terminal). */
  clear(): void {
    if (this.drawn) this.out.write("\r\x1b[K");
    this.drawn = false;
    this.lastDraw = Number.NEGATIVE_INFINITY;
  }

  /** Stop: remove the live line and the timer. */
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.text = undefined;
    this.clear();
  }
}

export { clock };
