/**
 * The actions a driver offers at a tick, with their weights: the engine draws one in proportion
 * to its weight. An offer is either an action, or a draw: an action whose environment-chosen
 * parameters (which of several targets, a fresh client command) are drawn only once the offer
 * has been picked, so that a seed's random draws do not depend on offers that were not taken.
 */
import type { Prng } from "../core/prng.js";

export class Candidates<A> {
  private offers: unknown[] = [];
  /** Per offer, undefined for an action, else the function that makes it from the offer. */
  private makers: (((x: never) => A) | undefined)[] = [];
  private weights: number[] = [];

  clear(): void {
    this.offers.length = 0;
    this.makers.length = 0;
    this.weights.length = 0;
  }

  get count(): number {
    return this.weights.length;
  }

  /** Offer `a` with weight `w`; a weight of 0 or less is no offer. */
  add(a: A, w: number): void {
    if (w <= 0) return;
    this.offers.push(a);
    this.makers.push(undefined);
    this.weights.push(w);
  }

  /** Offer the action `draw` returns once picked, with weight `w` in all. */
  addDrawn(draw: () => A, w: number): void {
    this.addMade(draw, (f: () => A) => f(), w);
  }

  /** Offer the action `make(x)`, made once picked (no closure per offer). */
  addMade<X>(x: X, make: (x: X) => A, w: number): void {
    if (w <= 0) return;
    this.offers.push(x);
    this.makers.push(make as (x: never) => A);
    this.weights.push(w);
  }

  /** An action drawn in proportion to the weights, or undefined when nothing is offered. */
  pick(rng: Prng): A | undefined {
    const k = rng.weighted(this.weights, this.weights.length);
    if (k < 0) return undefined;
    const make = this.makers[k] as ((x: unknown) => A) | undefined;
    return make === undefined ? (this.offers[k] as A) : make(this.offers[k]);
  }
}
