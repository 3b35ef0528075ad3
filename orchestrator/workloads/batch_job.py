"""A small distributed batch job: splits a range of numbers over Ray tasks, each holding a share of
the lease's logical GPUs, and prints the checked total. Used by the orchestrator's tests and the local
network to run a real workload on the Ray head.

usage: python batch_job.py --tasks N --gpus-per-task G [--fail]
"""
import argparse
import os
import sys

import ray


@ray.remote
def partial_sum(lo: int, hi: int) -> int:
    return sum(i * i for i in range(lo, hi))


def main() -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--tasks", type=int, default=4)
    p.add_argument("--gpus-per-task", type=float, default=1.0)
    p.add_argument("--size", type=int, default=100_000)
    p.add_argument("--fail", action="store_true")
    args = p.parse_args()
    ray.init()
    step = args.size // args.tasks
    futures = [
        partial_sum.options(num_gpus=args.gpus_per_task).remote(i * step, (i + 1) * step if i < args.tasks - 1 else args.size)
        for i in range(args.tasks)
    ]
    total = sum(ray.get(futures))
    expected = sum(i * i for i in range(args.size))
    print(f"hourglass batch job: {args.tasks} tasks, total {total}, expected {expected}")
    # Set by the orchestrator for the lease's job (absent when run by hand).
    lease = os.environ.get("HOURGLASS_LEASE", "-")
    devices = os.environ.get("HOURGLASS_DEVICES", "")
    print(f"hourglass batch job: lease {lease}, {os.environ.get('HOURGLASS_GPUS', '-')} GPUs on {len(devices.split(',')) if devices else 0} devices")
    if args.fail:
        print("hourglass batch job: failing on purpose", file=sys.stderr)
        return 3
    return 0 if total == expected else 1


if __name__ == "__main__":
    sys.exit(main())
