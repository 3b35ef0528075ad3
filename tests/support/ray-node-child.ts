// Child process of the Ray node fate-sharing test: starts one RayNode from the JSON spec in argv[2]
// and prints `up {"nodeId", "pid", "dir"}` once it is up, then keeps running until it is killed.
import { RayNode, type RayNodeSpec } from "@hourglass/agent";

const node = new RayNode(JSON.parse(process.argv[2]) as RayNodeSpec);
await node.start();
process.stdout.write(`up ${JSON.stringify({ nodeId: node.nodeId, pid: node.pid, dir: node.dir })}\n`);
