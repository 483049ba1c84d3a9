/**
 * The protocols, one module each (see src/protocol.ts). A function, so that a protocol module
 * may be imported before the registry (the list is read when asked for, not while the modules
 * that import each other are still loading).
 */
import { diskpaxos } from "./diskpaxos/module.js";
import { mencius } from "./mencius/module.js";
import { paxos } from "./paxos/module.js";
import type { ProtocolModule } from "./protocol.js";
import { raft } from "./raft/module.js";

export const protocols = (): ReadonlyArray<ProtocolModule> => [raft, paxos, mencius, diskpaxos];
