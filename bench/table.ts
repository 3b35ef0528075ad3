// The benchmarks' result table: a row per metric with its goal, printed as text (or JSON with
// --json); `report` returns whether every goal was met, for the exit code.

/** A goal: at most `max`, at least `min`, or strictly below `below`. */
export interface Goal {
  max?: number;
  min?: number;
  below?: number;
}

export interface Row {
  metric: string;
  value: number;
  unit: string;
  goal: string;
  ok: boolean | null;
}

export class GoalTable {
  readonly rows: Row[] = [];

  add(metric: string, value: number, goal?: Goal, unit = ""): void {
    const u = unit ? ` ${unit}` : "";
    if (!goal) {
      this.rows.push({ metric, value, unit, goal: "-", ok: null });
    } else if (goal.below !== undefined) {
      this.rows.push({ metric, value, unit, goal: `<${goal.below}${u}`, ok: value < goal.below });
    } else {
      const ok = (goal.max === undefined || value <= goal.max) && (goal.min === undefined || value >= goal.min);
      this.rows.push({ metric, value, unit, goal: goal.max !== undefined ? `<=${goal.max}${u}` : `>=${goal.min}${u}`, ok });
    }
  }

  /** Prints the table under `title` (JSON rows with --json); true when no goal was missed. */
  report(title: string): boolean {
    if (process.argv.includes("--json")) {
      console.log(JSON.stringify(this.rows, null, 2));
    } else {
      const w = Math.max(6, ...this.rows.map((r) => r.metric.length));
      const value = (r: Row) => `${r.value}${r.unit ? ` ${r.unit}` : ""}`;
      const v = Math.max(8, ...this.rows.map((r) => value(r).length));
      const g = Math.max(8, ...this.rows.map((r) => r.goal.length));
      console.log(title);
      console.log(`${"metric".padEnd(w)} ${"value".padStart(v)} ${"goal".padStart(g)}  result`);
      for (const r of this.rows)
        console.log(`${r.metric.padEnd(w)} ${value(r).padStart(v)} ${r.goal.padStart(g)}  ${r.ok === null ? "" : r.ok ? "ok" : "MISSED"}`);
    }
    return this.rows.every((r) => r.ok !== false);
  }
}
