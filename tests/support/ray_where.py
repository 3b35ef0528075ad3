"""A Ray job for the Ray node tests: for each device named on the command line, runs a task that asks
for that device's resource {"hourglass-device:<device>": 1}, and prints `ran <device> <node id>`; then
prints `alive <n>`, the number of live nodes the job's cluster has.

usage: python ray_where.py DEVICE...
"""
import sys

import ray


@ray.remote
def node_id() -> str:
    return ray.get_runtime_context().get_node_id()


ray.init()
for device in sys.argv[1:]:
    print("ran", device, ray.get(node_id.options(resources={f"hourglass-device:{device}": 1}).remote()))
print("alive", sum(1 for n in ray.nodes() if n["Alive"]))
