/**
 * A history as a standalone SVG timeline: one lane per client, each operation a bar from its
 * call to its return, labelled with the model's description; a pending operation's bar runs
 * open-ended (dashed) to the right edge. The operations of the minimal sub-history are drawn
 * highlighted, so the violation can be read off the picture.
 */
import type { Operation } from "./history.js";
import type { AnyModel } from "./models.js";

export const escapeXml = (s: string): string =>
  s
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;")
    .replaceAll("'", "&apos;");

const LANE = 30;
const BAR = 18;
const LEFT = 90;
const TOP = 30;
const WIDTH = 1100;

export function timelineSvg(
  model: AnyModel,
  ops: ReadonlyArray<Operation>,
  o: { readonly highlight?: ReadonlyArray<number>; readonly title?: string } = {},
): string {
  const lit = new Set(o.highlight ?? []);
  const clients = [...new Set(ops.map((op) => op.client))].sort();
  const lane = new Map(clients.map((c, k) => [c, k] as const));
  const times = ops.flatMap((op) => (op.return === null ? [op.call] : [op.call, op.return]));
  const t0 = times.length === 0 ? 0 : Math.min(...times);
  const t1 = times.length === 0 ? 1 : Math.max(...times);
  const plot = WIDTH - LEFT - 40;
  const x = (t: number) => LEFT + ((t - t0) / (t1 - t0 || 1)) * plot;
  const end = LEFT + plot + 30;
  const height = TOP + clients.length * LANE + 20;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="monospace" font-size="10">`,
    "<style>.op{fill:#dbe8f6;stroke:#4a78a8}.pending{fill:#f4f4f4;stroke:#888;stroke-dasharray:4 3}.minimal{fill:#f8d0d0;stroke:#c0392b;stroke-width:2}</style>",
    `<text x="4" y="16" font-size="12">${escapeXml(o.title ?? `${model.name} history, ${ops.length} operations`)}</text>`,
  ];
  for (const [c, k] of lane) {
    const y = TOP + k * LANE;
    out.push(
      `<text x="4" y="${y + BAR / 2 + 4}">${escapeXml(c)}</text>`,
      `<line x1="${LEFT}" y1="${y + BAR + 5}" x2="${end}" y2="${y + BAR + 5}" stroke="#eee"/>`,
    );
  }
  for (const op of ops) {
    const y = TOP + (lane.get(op.client) ?? 0) * LANE;
    const x0 = x(op.call);
    const x1 = op.return === null ? end : x(op.return);
    const cls = lit.has(op.id) ? "minimal" : op.return === null ? "pending" : "op";
    const label = model.describe(op.input, op.return === null ? undefined : op.output);
    const when = `[${op.call}, ${op.return ?? "∞"}]`;
    out.push(
      `<g><title>${escapeXml(`#${op.id} ${op.client} ${label} ${when}`)}</title>`,
      `<rect class="${cls}${op.return === null && cls === "minimal" ? " pending" : ""}" x="${x0.toFixed(1)}" y="${y}" width="${Math.max(1, x1 - x0).toFixed(1)}" height="${BAR}" rx="3"/>`,
      `<text x="${(x0 + 2).toFixed(1)}" y="${y + BAR - 5}">${escapeXml(label)}</text></g>`,
    );
  }
  out.push("</svg>");
  return `${out.join("\n")}\n`;
}
