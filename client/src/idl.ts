// The IDLs generated from the programs' interfaces (scripts/gen-idl.sh); their `address` fields come
// from Anchor.toml, the one place program IDs live.

import { createRequire } from "node:module";
import type { Idl } from "@coral-xyz/anchor";
import { PublicKey } from "@solana/web3.js";

const require = createRequire(import.meta.url);

export const stakingIdl: Idl = require("../idl/hourglass_staking.json");
export const leasesIdl: Idl = require("../idl/hourglass_leases.json");
export const rewardsIdl: Idl = require("../idl/hourglass_rewards.json");

export const STAKING_PROGRAM_ID = new PublicKey(stakingIdl.address);
export const LEASES_PROGRAM_ID = new PublicKey(leasesIdl.address);
export const REWARDS_PROGRAM_ID = new PublicKey(rewardsIdl.address);
