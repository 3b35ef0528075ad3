// Hour rules, as the programs apply them: a lease's hour clock and what prove_time, report_fault,
// pause and complete accept at a given time (programs/leases: `Lease::current_hour`, `hour_start`,
// `end_time` and those processors' checks), and the rewards pool's clock (`Pool::clock_hour`, crank).
// Services decide what to send from these, never from copies; tests/hours.test.ts drives the programs
// across hour boundaries and checks that they accept exactly what these functions say.

import { type LeaseAccount, LeaseStatus, type SlotAccount, SlotStatus } from "./leases/index.ts";
import { toBigInt } from "./program.ts";
import type { PoolAccount } from "./rewards/index.ts";
import { HOURS } from "./rewards/schedule.ts";

/** The lease fields the hour rules read. */
export type LeaseClock = Pick<LeaseAccount, "status" | "origin" | "pausedAt" | "hourLength" | "gracePeriod" | "hoursBooked">;
/** The slot fields the hour rules read. */
export type SlotClock = Pick<SlotAccount, "status" | "nextHour">;
/** The pool fields its clock reads. */
export type PoolClock = Pick<PoolAccount, "startTime" | "hourLength" | "pausedAt" | "nextHour">;

const secs = (v: Parameters<typeof toBigInt>[0]) => Number(toBigInt(v));

/** Whole lease hours since the origin at `now` (unix seconds); the clock stands still while paused (`Lease::current_hour`). */
export function leaseHour(l: LeaseClock, now: number): number {
  const clock = l.status === LeaseStatus.Paused ? secs(l.pausedAt) : now;
  const elapsed = clock - secs(l.origin);
  return elapsed <= 0 ? 0 : Math.floor(elapsed / secs(l.hourLength));
}

/** When lease hour `h` starts (`Lease::hour_start`). */
export function leaseHourStart(l: LeaseClock, h: number): number {
  return secs(l.origin) + h * secs(l.hourLength);
}

/** When the booked hours end: the pause time while paused (`Lease::end_time`). */
export function leaseEnd(l: LeaseClock): number {
  return l.status === LeaseStatus.Paused ? secs(l.pausedAt) : leaseHourStart(l, l.hoursBooked);
}

/** The hours before this one have ended and were booked: prove_time's limit for a range's end. */
export function provableEnd(l: LeaseClock, now: number): number {
  return Math.min(leaseHour(l, now), l.hoursBooked);
}

/** The last second at which a range starting at hour `first` may still be proven: its first hour's end plus the grace. */
export function proofDeadline(l: LeaseClock, first: number): number {
  return leaseHourStart(l, first + 1) + secs(l.gracePeriod);
}

/**
 * The hours a slot may prove at `now` (from its next hour up to `provableEnd`), or null when prove_time
 * would refuse any: the lease is settled, the slot faulted, no further hour has ended, or its next hour
 * is past the grace.
 */
export function provableHours(l: LeaseClock, s: SlotClock, now: number): { first: number; count: number } | null {
  if (l.status === LeaseStatus.Settled || s.status !== SlotStatus.Active) return null;
  const end = provableEnd(l, now);
  if (s.nextHour >= end || now > proofDeadline(l, s.nextHour)) return null;
  return { first: s.nextHour, count: end - s.nextHour };
}

/** Whether report_fault accepts the slot at `now`: active, a booked hour unproven past its grace. */
export function faultable(l: LeaseClock, s: SlotClock, now: number): boolean {
  return l.status !== LeaseStatus.Settled && s.status === SlotStatus.Active && s.nextHour < l.hoursBooked && now > proofDeadline(l, s.nextHour);
}

/** Whether pause accepts the lease at `now`: active, its booked hours used up. */
export function pausable(l: LeaseClock, now: number): boolean {
  return l.status === LeaseStatus.Active && now >= leaseHourStart(l, l.hoursBooked);
}

/** Whether complete accepts the lease at `now`: not settled, ended plus the grace. */
export function completable(l: LeaseClock, now: number): boolean {
  return l.status !== LeaseStatus.Settled && now >= leaseEnd(l) + secs(l.gracePeriod);
}

/** Whole pool hours since its start at `now`; the clock stands still while paused (`Pool::clock_hour`). */
export function poolClockHour(p: PoolClock, now: number): number {
  const t = p.pausedAt.isZero() ? now : secs(p.pausedAt);
  const elapsed = t - secs(p.startTime);
  return elapsed <= 0 ? 0 : Math.min(Math.floor(elapsed / secs(p.hourLength)), 0xffff_ffff);
}

/** Whether crank has hours to emit at `now`: the pool running, behind its clock and inside the schedule. */
export function poolBehind(p: PoolClock, now: number): boolean {
  return p.pausedAt.isZero() && p.nextHour < Math.min(poolClockHour(p, now), HOURS);
}
