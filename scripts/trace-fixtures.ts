/**
 * `npm run traces:fixtures`: regenerate traces/<protocol>/good (with TLC: genuine behaviours of
 * the spec) and traces/<protocol>/bad (each good trace with one deliberate corruption), for Raft
 * and Multi-Paxos. Logic lives in src/trace/fixtures.ts.
 */
import { fileURLToPath } from "node:url";
import { findJar, findJava } from "../src/tla/tlc.js";
import { paxosFixtures, writeFixtures } from "../src/trace/fixtures.js";

const jar = findJar();
const java = findJava();
const tlc = jar && java ? { jar, java } : null;
const dir = (p: string) => fileURLToPath(new URL(`../traces/${p}`, import.meta.url));
await writeFixtures(dir("raft"), tlc, (l) => console.log(`raft: ${l}`));
await writeFixtures(dir("paxos"), tlc, (l) => console.log(`paxos: ${l}`), paxosFixtures);
