/** The protocols, one module each (see src/protocol.ts). */
import { paxos } from "./paxos/module.js";
import type { ProtocolModule } from "./protocol.js";
import { raft } from "./raft/module.js";

export const protocols: ReadonlyArray<ProtocolModule> = [raft, paxos];
