/**
 * From parsed TLC `-tool` output to a verdict: which invariant/property was violated, or the one
 * line that tells a user what is wrong and where. TLC's exit status (EC.ExitStatus: 11 deadlock,
 * 12 safety, 13 liveness/action property, 14 assert, 75–77 evaluation, 150 parse, 151 config,
 * 153 system, 255 error) is only a fallback; the messages carry the names.
 */
import {
  counterexampleFromJson,
  counterexampleFromMessages,
  parseFinalStats,
  parseProgress,
  parseStateVars,
  type SourceOf,
  type TlcMessage,
} from "./tlc-output.js";
import { DEADLOCK, type Step } from "./types.js";

export interface TlcContext {
  exitCode: number | null;
  signal: string | null;
  stderr: string;
  /** Module name → file name shown to users (e.g. spec/<p>/<P>.tla). */
  moduleFile: (module: string) => string;
  cfgFile: string;
  /** Line of `name` in the cfg, if listed there. */
  cfgLine?: (name: string) => number | undefined;
  /** Source of a module of the model, to name steps TLC labels only by location. */
  sourceOf?: SourceOf;
  /** Contents of the `-dumpTrace json` file, if TLC wrote one. */
  jsonTrace?: string;
}

export interface TlcVerdict {
  outcome: string;
  error?: string;
  /** The spec or cfg could not be read: the user's input, not the check, is at fault. */
  badInput?: boolean;
  distinctStates: number | null;
  generatedStates: number | null;
  depth: number | null;
  counterexample?: Step[];
}

/** Messages that accompany a violation rather than report an error themselves. */
const AUXILIARY = new Set([2103, 2121, 2122, 2217, 2218, 2264]);

/** Collapse to one line, dropping frames TLC sometimes nests inside exception text. */
const oneLine = (s: string) =>
  s
    .replace(/@!@!@(?:STARTMSG \d+:\d+|ENDMSG \d+) @!@!@/g, " ")
    .replace(
      /This was probably caused by an error in the spec or model\.\s*See the User Output or TLC Console for clues to what happened\.\s*/,
      "",
    )
    .replace(/\s+/g, " ")
    .trim();

export function interpretTlc(messages: TlcMessage[], loose: string[], ctx: TlcContext): TlcVerdict {
  const verdict = (v: Pick<TlcVerdict, "outcome"> & Partial<TlcVerdict>): TlcVerdict => ({
    ...stats(messages),
    ...v,
  });
  const trace = (): Partial<TlcVerdict> => {
    let steps = counterexampleFromMessages(messages, ctx.sourceOf);
    if (steps.length === 0 && ctx.jsonTrace) steps = counterexampleFromJson(ctx.jsonTrace);
    return steps.length > 0 ? { counterexample: steps } : {};
  };

  for (const m of messages) {
    const name = violatedName(m);
    if (name) {
      if (m.code === 2107) {
        // The initial state that violates the invariant is printed inside the message itself.
        const [, ...state] = m.text.split("\n");
        return verdict({ outcome: name, counterexample: [{ vars: parseStateVars(state) }] });
      }
      return verdict({ outcome: name, ...trace() });
    }
    if (m.code === 2132) {
      const what = oneLine(m.text.split("\n").slice(1).join(" "));
      return verdict({
        outcome: "error",
        error: `${where(messages, ctx)}Assert failed: ${what}`,
        ...trace(),
      });
    }
  }

  const err = messages.find((m) => m.severity === 1 && !AUXILIARY.has(m.code));
  if (err || ctx.exitCode === 150 || ctx.exitCode === 151) {
    // The spec or cfg cannot be read (SANY, an undefined or unassigned name in the cfg).
    const input =
      !err || [3002, 2171, 2229, 2222].includes(err.code) || [150, 151].includes(ctx.exitCode ?? 0);
    return verdict({
      outcome: "error",
      error: errorLine(err, messages, loose, ctx),
      ...(input && !isMemory(err, ctx) ? { badInput: true } : {}),
    });
  }
  if (ctx.signal) {
    // SIGKILL from outside is usually the kernel's out-of-memory killer.
    const hint = ctx.signal === "SIGKILL" ? " (out of memory?)" : "";
    return verdict({ outcome: "error", error: `TLC was killed by ${ctx.signal}${hint}` });
  }
  if (messages.some((m) => m.code === 2193) && ctx.exitCode === 0)
    return verdict({ outcome: "pass" });
  if (isMemory(undefined, ctx))
    return verdict({ outcome: "error", error: errorLine(undefined, messages, loose, ctx) });
  if (/A fatal error has been detected by the Java Runtime Environment/.test(ctx.stderr)) {
    const log = /(\S*hs_err_pid\d+\.log)/.exec(ctx.stderr)?.[1];
    return verdict({
      outcome: "error",
      error: `the Java VM crashed while running TLC (exit code ${ctx.exitCode ?? "none"}${log ? `; its report: ${log}` : ""}); try another Java 11+ (JAVA_HOME) or more memory`,
    });
  }
  // The first line that says what went wrong, not the Java stack under it.
  const lines = ctx.stderr
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l !== "" && !/^at |^\.\.\. \d+ more$|^Picked up /.test(l));
  const tail = oneLine(lines.find((l) => /Exception|Error/.test(l)) ?? lines.at(-1) ?? "");
  return verdict({
    outcome: "error",
    error: `TLC stopped without a verdict (exit code ${ctx.exitCode ?? "none"})${tail ? `: ${tail}` : ""}`,
  });
}

/** Name of the invariant/property a message reports as violated, or "deadlock". */
function violatedName(m: TlcMessage): string | null {
  if (m.code === 2114) return DEADLOCK;
  if (m.code === 2132) {
    // Assert(P, "PROPERTY Name") is how models phrase action checks as assertions.
    return /"PROPERTY ([A-Za-z_]\w*)"/.exec(m.text)?.[1] ?? null;
  }
  if ([2107, 2110, 2112, 2116, 2146].includes(m.code))
    return /(?:Invariant|property) ([A-Za-z_]\w*) (?:is|was) violated/.exec(m.text)?.[1] ?? null;
  return null;
}

function stats(
  messages: TlcMessage[],
): Pick<TlcVerdict, "distinctStates" | "generatedStates" | "depth"> {
  const last = (code: number) => messages.filter((m) => m.code === code).at(-1);
  const final = parseFinalStats(last(2199)?.text ?? "");
  const progress = parseProgress(last(2200)?.text ?? "");
  const initial = /: ([\d,.]+) distinct states? generated/.exec(last(2190)?.text ?? "")?.[1];
  const depth = /search is ([\d,.]+)/.exec(last(2194)?.text ?? "")?.[1];
  const num = (s: string | undefined) => (s === undefined ? null : Number(s.replace(/[^\d]/g, "")));
  return {
    distinctStates: final?.distinct ?? progress?.distinct ?? num(initial),
    generatedStates: final?.generated ?? progress?.generated ?? null,
    depth: num(depth) ?? progress?.depth ?? null,
  };
}

/** "file:line:col: " of the innermost expression TLC was evaluating (message 2103), if any. */
function where(messages: TlcMessage[], ctx: TlcContext): string {
  const nested = [...messages, ...messages.flatMap((m) => m.children)]
    .filter((m) => m.code === 2103)
    .at(-1);
  const entries = [
    ...(nested?.text ?? "").matchAll(/Line (\d+), column (\d+) to line \d+, column \d+ in (\w+)/g),
  ];
  const e = entries.at(-1);
  return e ? `${ctx.moduleFile(e[3] ?? "")}:${e[1]}:${e[2]}: ` : "";
}

/** Location written inline, e.g. "line 5, col 18 to line 5, col 18 of module SE". */
function inlineWhere(text: string, ctx: TlcContext): string {
  const m =
    /line (\d+), col(?:umn)? (\d+) to line \d+, col(?:umn)? \d+ (?:of|in) module (\w+)/.exec(text);
  return m ? `${ctx.moduleFile(m[3] ?? "")}:${m[1]}:${m[2]}: ` : "";
}

const MEMORY = /OutOfMemoryError|Java heap space|GC overhead limit|Direct buffer memory/;

function isMemory(err: TlcMessage | undefined, ctx: TlcContext): boolean {
  const text = err ? [err.text, ...err.children.map((c) => c.text)].join("\n") : "";
  return err?.code === 1001 || MEMORY.test(text) || MEMORY.test(ctx.stderr);
}

function errorLine(
  err: TlcMessage | undefined,
  messages: TlcMessage[],
  loose: string[],
  ctx: TlcContext,
): string {
  const text = err ? [err.text, ...err.children.map((c) => c.text)].join("\n") : "";
  if (isMemory(err, ctx))
    return "TLC ran out of memory; give Java more heap (e.g. JAVA_TOOL_OPTIONS=-Xmx8g) or shrink the model";
  if (!err || err.code === 3002 || err.code === 2171) return sanyError(loose, ctx);
  if (err.code === 2229 || err.code === 2222) {
    // "The invariant Nope specified in the configuration file is not defined in the specification."
    const name = /(?:invariant|property|operator|constant parameter|parameter)\s+(\w+)/i.exec(
      text,
    )?.[1];
    const line = name ? ctx.cfgLine?.(name) : undefined;
    return `${ctx.cfgFile}${line ? `:${line}` : ""}: ${oneLine(text)}`;
  }
  return `${inlineWhere(text, ctx) || where(messages, ctx)}${oneLine(text) || `TLC error ${err.code}`}`;
}

/** SANY prints parse and semantic errors as unframed text between messages 2220 and 2219. */
export function sanyError(loose: string[], ctx: Pick<TlcContext, "moduleFile">): string {
  const lines = loose.map((l) => l.trim()).filter((l) => l !== "");
  const text = lines.join("\n");
  // The encountered token is printed raw, the last token as an escaped Java string.
  const parse =
    /Encountered "(.*?)" at line (\d+), column (\d+)(?: and token "(.*)")?[ \t]*$/m.exec(text);
  const lexical = /Lexical error at line (\d+), column (\d+)\.\s*(.*)/.exec(text);
  const module =
    /Could not parse module (\w+)/.exec(text)?.[1] ?? /In module (\w+)/.exec(text)?.[1];
  const file = module ? ctx.moduleFile(module) : "spec";
  if (parse) {
    const expecting = /Was expecting (.*)/.exec(text)?.[1];
    const unquote = (t: string) => t.replace(/\\(.)/g, "$1");
    const token = parse[4] === undefined ? undefined : unquote(parse[4]);
    // A string literal token keeps its own quotes.
    const after =
      token === undefined ? "" : token.startsWith('"') ? ` after ${token}` : ` after "${token}"`;
    // SANY's residual stack names the constructs it was reading, innermost first; an open
    // bracket form ("Some { } form") is usually where the mistake is.
    const stack = text.split("Residual stack trace follows:")[1] ?? "";
    const form = /^(.*[{[(<].*?) starting at line (\d+), column (\d+)/m.exec(stack);
    const inside = form ? `; in the ${form[1]} starting at ${form[2]}:${form[3]}` : "";
    return `${file}:${parse[2]}:${parse[3]}: parse error: encountered "${parse[1]}"${after}${expecting ? `; was expecting ${expecting}` : ""}${inside}`;
  }
  if (lexical)
    return `${file}:${lexical[1]}:${lexical[2]}: lexical error: ${oneLine(lexical[3] ?? "")}`;
  const semantic = lines.findIndex((l) =>
    /^line \d+, col \d+ to line \d+, col \d+ of module \w+$/.test(l),
  );
  if (semantic >= 0) {
    const pos = inlineWhere(lines[semantic] ?? "", ctx as TlcContext);
    return `${pos}${oneLine(lines[semantic + 1] ?? "semantic error")}`;
  }
  const missing = /Cannot find source file for module (\w+) imported in module (\w+)/.exec(text);
  if (missing)
    return `${ctx.moduleFile(missing[2] ?? "")}: cannot find module ${missing[1]} (EXTENDS or INSTANCE)`;
  const noise =
    /^(Parsing file|Semantic processing|Linting of module|Starting SANY|SANY finished|Picked up)/;
  const first = lines.find((l) => !noise.test(l) && !l.startsWith("***"));
  return first ? `${file}: ${oneLine(first)}` : "TLC could not parse the spec";
}
