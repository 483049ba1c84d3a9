import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { describeRunning, LOG_INTERVAL_MS, startStatus } from "../../src/tla/progress.js";

const logStream = () => {
  const written: string[] = [];
  const stream = { isTTY: false, write: (s: string) => written.push(s) > 0 };
  return { written, stream: stream as unknown as NodeJS.WriteStream };
};

describe("progress where stderr is not a terminal (CI logs, pipes)", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("prints a line every few seconds while checks run, with what each engine tells", () => {
    const { written, stream } = logStream();
    const status = startStatus(3, stream, true);
    status.start(0, "MCBig (tlc)", 224006);
    status.start(1, "MCSmall (embedded)", 653);
    vi.advanceTimersByTime(LOG_INTERVAL_MS - 1);
    expect(written).toEqual([]);
    status.update(0, {
      distinctStates: 12345,
      generatedStates: 50000,
      statesPerSecond: 4100.4,
      depth: 17,
      queue: 2311,
    });
    vi.advanceTimersByTime(1);
    expect(written).toEqual([
      "… 0:05 0/3 done; MCBig (tlc) 0:05, 12,345 distinct states, 4,100 states/s, queue 2,311 | MCSmall (embedded) 0:05, 653 states expected\n",
    ]);
    status.finish(1);
    status.print(stream, "[1/3] ok   MCSmall (embedded): …\n");
    vi.advanceTimersByTime(LOG_INTERVAL_MS);
    expect(written.slice(1)).toEqual([
      "[1/3] ok   MCSmall (embedded): …\n",
      expect.stringMatching(/^… 0:10 1\/3 done; MCBig \(tlc\) 0:10, 12,345 distinct states/),
    ]);
    status.finish(0);
    vi.advanceTimersByTime(LOG_INTERVAL_MS);
    expect(written).toHaveLength(3); // nothing running, nothing to say
    status.stop();
  });

  it("prints nothing when disabled", () => {
    const { written, stream } = logStream();
    const status = startStatus(1, stream, false);
    status.start(0, "M (tlc)");
    vi.advanceTimersByTime(3 * LOG_INTERVAL_MS);
    status.print(stream, "done\n");
    expect(written).toEqual(["done\n"]);
  });
});

describe("describeRunning", () => {
  it("leaves out what the engine does not tell", () => {
    expect(describeRunning({ label: "M (embedded)", at: 0 }, 61_000)).toBe("M (embedded) 1:01");
    expect(
      describeRunning(
        {
          label: "M (tlc)",
          at: 0,
          expected: 9,
          latest: {
            distinctStates: 5,
            generatedStates: null,
            statesPerSecond: null,
            depth: null,
            queue: null,
          },
        },
        2000,
      ),
    ).toBe("M (tlc) 0:02, 5 distinct states");
  });
});
