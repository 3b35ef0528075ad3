// @hourglass/cli's public entry point: the argument parser its commands share (the local network's
// launcher parses its flags with it too). The command line itself is main.ts (bin/hourglass).
export { type Grammar, type Parsed, parseArgs, UsageError } from "./args.ts";
