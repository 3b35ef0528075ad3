// How a long-running command (an agent, the orchestrator) learns it should stop: SIGINT or SIGTERM,
// or, when started by a supervisor that sets HOURGLASS_PARENT_PID (the local network), that process
// being gone (so a supervisor killed with -9 leaves nothing running behind it).

/** Resolves once the process is asked to stop. */
export function untilStopped(parent = process.env.HOURGLASS_PARENT_PID): Promise<string> {
  return new Promise((resolve) => {
    const done = (why: string) => {
      clearInterval(watch);
      resolve(why);
    };
    process.once("SIGINT", () => done("SIGINT"));
    process.once("SIGTERM", () => done("SIGTERM"));
    const pid = parent ? Number(parent) : Number.NaN;
    const watch = setInterval(() => {
      if (!Number.isSafeInteger(pid)) return;
      try {
        process.kill(pid, 0);
      } catch {
        done(`its parent ${pid} is gone`);
      }
    }, 1_000);
    if (!Number.isSafeInteger(pid)) clearInterval(watch);
  });
}
