/**
 * The committed Multi-Paxos traces cover the corruptions the issue names (test/protocols checks
 * that each good one validates and each bad one is rejected at its event, on both engines).
 */
import { describe, expect, it } from "vitest";
import { paxosFixtures } from "../../src/paxos/fixtures.js";

const { corruptions } = paxosFixtures;

describe("the committed Paxos fixtures", () => {
  it("covers the five corruptions the issue names, a reconfiguration taking effect early and a slot collected early", () => {
    expect(corruptions.map((c) => c.name).sort()).toEqual([
      "accepted-below-ballot",
      "acceptor-ballot-down",
      "adopted-on-minority",
      "collected-unreported",
      "executed-before-decided",
      "leaders-switched-early",
      "two-commands-decided",
    ]);
  });
});
