/** The SVG timeline is well-formed markup with one bar per operation and the minimal ones lit. */
import { describe, expect, it } from "vitest";
import { check } from "../../src/history/check.js";
import { kv } from "../../src/history/models.js";
import { escapeXml, timelineSvg } from "../../src/history/svg.js";
import { done, pending } from "./helpers.js";

/** Tags balance (a stack of names), and no raw `<` or `&` is left in text or attributes. */
function wellFormed(svg: string): void {
  const stack: string[] = [];
  for (const m of svg.matchAll(/<(\/?)([A-Za-z][\w-]*)([^>]*?)(\/?)>/g)) {
    const [, close, name, attrs, self] = m;
    expect(attrs ?? "").not.toMatch(/[<&](?!amp;|lt;|gt;|quot;|apos;)/);
    if (self === "/") continue;
    if (close === "/") expect(stack.pop()).toBe(name);
    else stack.push(name as string);
  }
  expect(stack).toEqual([]);
  const text = svg.replace(/<[^>]*>/g, "");
  expect(text).not.toMatch(/[<>]|&(?!amp;|lt;|gt;|quot;|apos;)/);
}

describe("timelineSvg", () => {
  const ops = [
    done("<a&b>", { op: "put", key: "x<1>", value: "v&'\"" }, 0, 2, { value: null }),
    done("c2", { op: "get", key: "x<1>" }, 3, 4, { value: null }),
    pending("c3", { op: "put", key: "x<1>", value: "w" }, 1),
  ];

  it("is well-formed, escapes text and draws one bar per operation", () => {
    const svg = timelineSvg(kv, ops);
    expect(svg.startsWith("<svg xmlns=")).toBe(true);
    wellFormed(svg);
    expect(svg.match(/<rect /g)).toHaveLength(ops.length);
    expect(svg).toContain("&lt;a&amp;b&gt;");
    expect(svg.match(/class="pending"/g)).toHaveLength(1);
    expect(escapeXml(`<&>"'`)).toBe("&lt;&amp;&gt;&quot;&apos;");
  });

  it("lights the minimal sub-history of a violation", () => {
    const r = check(kv, ops);
    expect(r.verdict).toBe("violation");
    if (r.verdict !== "violation") return;
    const svg = timelineSvg(kv, r.ops, { highlight: r.minimal.map((o) => o.id) });
    wellFormed(svg);
    expect(svg.match(/class="minimal/g)).toHaveLength(r.minimal.length);
  });
});
