// Folds events into the explorer views. `apply` is called once per new event in chain order and hands
// it to its program's fold for its name (folds/staking.ts, folds/leases.ts, folds/rewards.ts); `reset`
// empties the views so the pipeline can replay the event log after history changed underneath them.
import { leasesIdl, rewardsIdl, stakingIdl } from "@hourglass/client";
import type Database from "better-sqlite3";
import type { ChainEvent } from "./chain-tx.ts";
import { FoldContext } from "./folds/context.ts";
import type { Folds } from "./folds/events.ts";
import { leasesFolds } from "./folds/leases.ts";
import { rewardsFolds } from "./folds/rewards.ts";
import { stakingFolds } from "./folds/staking.ts";

/** Bumped whenever the fold changes what a view holds: a database folded by an older version is
 *  replayed from its event log when the pipeline opens it. */
export const VIEWS_VERSION = "2";

type Fold = (e: ChainEvent) => void;

/** A program's folds by event name, taking the events as stored. This is where a stored event becomes
 *  a typed one: the decoder built its data from its program's IDL, so an event of that program under a
 *  fold's name carries the fields that fold is typed with. */
function byName<E extends ChainEvent>(folds: Folds<E>): Map<string, Fold> {
  return new Map(Object.entries(folds as unknown as Record<string, Fold>));
}

export class ViewWriter {
  private readonly context: FoldContext;
  /** program address -> event name -> fold */
  private readonly folds: Map<string, Map<string, Fold>>;

  constructor(sqlite: Database.Database) {
    const v = new FoldContext(sqlite);
    this.context = v;
    this.folds = new Map([
      [stakingIdl.address, byName(stakingFolds(v))],
      [leasesIdl.address, byName(leasesFolds(v))],
      [rewardsIdl.address, byName(rewardsFolds(v))],
    ]);
  }

  /** Empties every view (the event log and checkpoints stay). */
  reset(): void {
    this.context.reset();
  }

  apply(e: ChainEvent): void {
    // Configuration and operator events have no fold: they live in the event log only.
    this.folds.get(e.program)?.get(e.name)?.(e);
  }
}
