"""A small distributed batch job: splits a range of numbers over Ray tasks, each holding a share of
the lease's logical GPUs, and prints the checked total. Used by the orchestrator's tests and the local
network to run a real workload on the Ray head.

With --per-device (a lease's own cluster, where each leased machine's node declares the resource
"hourglass-device:<address>" with its GPUs), it runs one task per GPU pinned to each device and prints
which Ray node each device's tasks ran on, as one JSON line "hourglass batch job nodes: {...}".

--hold S keeps the job running S seconds after its tasks (a long-running workload in tests).

usage: python batch_job.py --tasks N --gpus-per-task G [--per-device] [--hold S] [--fail]
"""
import json
import argparse
import os
import sys
import time

import ray


@ray.remote
def partial_sum(lo: int, hi: int) -> int:
    return sum(i * i for i in range(lo, hi))


@ray.remote
def where(lo: int, hi: int):
    return sum(i * i for i in range(lo, hi)), ray.get_runtime_context().get_node_id()


def per_device(size: int):
    """One task per GPU of each leased device, pinned to it; returns the total and, per device, its node and tasks."""
    devices = {k.split(":", 1)[1]: int(v) for k, v in ray.cluster_resources().items() if k.startswith("hourglass-device:")}
    plan = [(d, i) for d, gpus in sorted(devices.items()) for i in range(gpus)]
    step = size // len(plan)
    futures = [
        where.options(num_gpus=1, resources={f"hourglass-device:{d}": 1}).remote(i * step, (i + 1) * step if i < len(plan) - 1 else size)
        for i, (d, _) in enumerate(plan)
    ]
    results = ray.get(futures)
    nodes = {}
    for (d, _), (_, node) in zip(plan, results):
        entry = nodes.setdefault(d, {"nodes": [], "tasks": 0})
        entry["tasks"] += 1
        if node not in entry["nodes"]:
            entry["nodes"].append(node)
    return sum(r[0] for r in results), nodes, len(plan)


def main() -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--tasks", type=int, default=4)
    p.add_argument("--gpus-per-task", type=float, default=1.0)
    p.add_argument("--size", type=int, default=100_000)
    p.add_argument("--fail", action="store_true")
    p.add_argument("--per-device", action="store_true")
    p.add_argument("--hold", type=float, default=0)
    args = p.parse_args()
    ray.init()
    expected = sum(i * i for i in range(args.size))
    if args.per_device:
        total, nodes, tasks = per_device(args.size)
        print(f"hourglass batch job: {tasks} tasks, total {total}, expected {expected}")
        print("hourglass batch job nodes: " + json.dumps(nodes, sort_keys=True))
    else:
        step = args.size // args.tasks
        futures = [
            partial_sum.options(num_gpus=args.gpus_per_task).remote(i * step, (i + 1) * step if i < args.tasks - 1 else args.size)
            for i in range(args.tasks)
        ]
        total = sum(ray.get(futures))
        print(f"hourglass batch job: {args.tasks} tasks, total {total}, expected {expected}")
    # Set by the orchestrator for the lease's job (absent when run by hand).
    lease = os.environ.get("HOURGLASS_LEASE", "-")
    devices = os.environ.get("HOURGLASS_DEVICES", "")
    print(f"hourglass batch job: lease {lease}, {os.environ.get('HOURGLASS_GPUS', '-')} GPUs on {len(devices.split(',')) if devices else 0} devices")
    sys.stdout.flush()
    if args.hold > 0:
        time.sleep(args.hold)
    if args.fail:
        print("hourglass batch job: failing on purpose", file=sys.stderr)
        return 3
    return 0 if total == expected else 1


if __name__ == "__main__":
    sys.exit(main())
