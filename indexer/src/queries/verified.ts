// "Verified supplier": a supplier whose devices, together, were up for at least VERIFIED_HOURS hours of
// the last 30 days of chain time (the window of the device page's uptime chart) and none of whose
// devices had a fault (DeviceFaulted) in that window. An hour is "up" when it is in the uptime view:
// a lease hour proven with prove_time, or an idle hour whose uptime was recorded for block rewards.
// A fault counts in the hour it concerns (the lease's missed hour).

export const VERIFIED_HOURS = 24;

export const VERIFIED_DESCRIPTION =
  `a supplier whose devices proved at least ${VERIFIED_HOURS} hours (lease hours proven with prove_time or idle hours recorded for block rewards) ` +
  "in the last 30 days of chain time, with no fault (DeviceFaulted) on any of its devices in that window";

/** Per-device hours up in the window [@start, @end) (a correlated subquery over `devices d`). */
export const DEVICE_WINDOW_HOURS = "(SELECT count(*) FROM uptime u WHERE u.device = d.address AND u.hour_start >= @start AND u.hour_start < @end)";

/** Aggregates over one owner's devices `d` (in a GROUP BY owner): hours up, a fault in the window, verified. */
export const SUPPLIER_WINDOW_COLUMNS = `sum(${DEVICE_WINDOW_HOURS}) AS recentHours,
  coalesce(max(d.last_fault_at >= @start), 0) AS recentFault`;

export function isVerified(recentHours: number, recentFault: number): boolean {
  return recentHours >= VERIFIED_HOURS && recentFault === 0;
}
