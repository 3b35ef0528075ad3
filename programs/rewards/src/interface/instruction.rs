//! Instructions: data = sha256("global:<name>")[0..8] ++ arguments (Borsh).
//!
//! Uptime attestations (`record_uptime`), 62 bytes each, signed by the device key:
//! `rewards_program_id[0..8] | context (32: the lease, or zeros when idle) | first_hour u32 | hour_count u16 | digest (16)`,
//! where hours are pool hours. The Ed25519 instruction right before verifies them, with its message
//! offsets pointing into `record_uptime`'s data (`8 + 4 + 62 j`); attestation j is for the j-th
//! triple of accounts after the fixed ones: (DeviceReward, staking Device, the Device's current Lease
//! or the system program when it has none).

use hourglass_core::idl::addresses::{SYSTEM_PROGRAM, TOKEN_PROGRAM};
use hourglass_core::idl::{AccountSpec as A, Field, InstructionSpec, Ty};
use hourglass_core::pod::{Layout, PodBool, PodI64, PodU32, PodU64};
use hourglass_core::{instruction_set, pod_struct};

instruction_set! {
    pub enum RewardsInstruction {
        InitializePool = "initialize_pool",
        Crank = "crank",
        SetPaused = "set_paused",
        RegisterReward = "register_reward",
        RecordUptime = "record_uptime",
        Denominate = "denominate",
        Claim = "claim",
        SyncCoStake = "sync_co_stake",
        ClaimCoStake = "claim_co_stake",
    }
}

pub const MESSAGE_LEN: usize = 62;
pub const MESSAGES_OFFSET: usize = 12;
/// Three: with its DeviceReward, Device and lease accounts and its Ed25519 entry, a fourth would take a
/// legacy transaction over 1,232 bytes.
pub const MAX_UPTIME_ATTESTATIONS: usize = 3;
/// Most hours one crank emits: each logs a HourEmitted event, and a transaction's log is cut at
/// 10,000 bytes, so 96 events (about 60 bytes each) stay well inside it.
pub const MAX_HOURS_PER_CRANK: u32 = 96;

pub use hourglass_core::discriminator::args;

/// Accounts per attestation after `record_uptime`'s fixed accounts.
pub const UPTIME_ACCOUNTS_PER_ATTESTATION: usize = 3;

pod_struct! {
    pub struct InitializePoolArgs {
        pub hour_length: PodI64,
        pub grace_hours: PodU32,
        pub breaker_window_hours: PodU32,
        pub breaker_cap: PodU64,
        /// A working hour's weight over an idle one (basis points; 0 = DEFAULT_WORK_FACTOR_BPS, 20,000).
        pub work_factor_bps: PodU32,
    }
}

pod_struct! {
    pub struct CrankArgs {
        pub max_hours: PodU32,
    }
}

pod_struct! {
    pub struct SetPausedArgs {
        pub paused: PodBool,
    }
}

pod_struct! {
    pub struct NoArgs {}
}

pub const RECORD_UPTIME_ARGS: &[Field] = &[Field { name: "attestations", ty: Ty::VecU8 }];

const POOL: A = A::new("pool", "PDA [\"pool\"]").writable();
const STAKING_CONFIG: A = A::new("staking_config", "The staking Config (mint decimals for the minimum stake)");
const DEVICE: A = A::new("device", "The staking Device (may be closed: deregistered)");
const TOKEN: A = A::new("token_program", "").address(TOKEN_PROGRAM);
const SYSTEM: A = A::new("system_program", "").address(SYSTEM_PROGRAM);

pub const SPECS: &[InstructionSpec] = &[
    InstructionSpec {
        name: "initialize_pool",
        docs: "Creates the pool and its vault; the reward mint's authority must be the pool PDA. Emissions start now. work_factor_bps: a working hour's weight over an idle hour's (0 = 20,000, i.e. 2x).",
        accounts: &[
            A::new("authority", "Pool authority; pays rent").writable().signer(),
            POOL,
            A::new("reward_mint", "The reward token (mint authority: the pool)"),
            A::new("reward_vault", "PDA [\"reward_vault\"], created as a token account").writable(),
            TOKEN,
            SYSTEM,
        ],
        args: InitializePoolArgs::FIELDS,
    },
    InstructionSpec {
        name: "crank",
        docs: "Anyone emits the hours that have ended (at most max_hours, at most 96), minting their rewards into the vault. An hour with no nominated weight adds its reward to `unallocated`, which the next hour with weight shares out on top of its own.",
        accounts: &[
            A::new("caller", "Anyone").signer(),
            POOL,
            A::new("reward_mint", "The reward token").writable(),
            A::new("reward_vault", "The pool's vault").writable(),
            TOKEN,
        ],
        args: CrankArgs::FIELDS,
    },
    InstructionSpec {
        name: "set_paused",
        docs: "The authority pauses or resumes emissions; accrued rewards stay claimable.",
        accounts: &[A::new("authority", "Pool authority").signer(), POOL],
        args: SetPausedArgs::FIELDS,
    },
    InstructionSpec {
        name: "register_reward",
        docs: "Creates a device's reward record; its weight comes from the staking Device and its GPU tier.",
        accounts: &[
            A::new("payer", "Pays rent").writable().signer(),
            A::new("pool", "PDA [\"pool\"]"),
            A::new("device", "The staking Device"),
            A::new("device_reward", "PDA [\"device_reward\", device]").writable(),
            SYSTEM,
        ],
        args: NoArgs::FIELDS,
    },
    InstructionSpec {
        name: "record_uptime",
        docs: "An attester records device-signed uptime; 5 consecutive hours nominate an eligible device (stake + co-stake at least its minimum, not paused, registered) from the next hour; a nominated device no longer eligible leaves from the next hour. A nominated device whose current lease shows proven hours it had not shown before weighs nominal x work_factor_bps / 10,000 from the next hour, otherwise nominal. Remaining accounts per attestation: its DeviceReward (writable), the staking Device, and the Device's current Lease (the system program when it has none).",
        accounts: &[
            A::new("attester", "A registered attester").signer(),
            A::new("staking_config", "The staking Config (attester set)"),
            POOL,
            A::new("instructions", "The instructions sysvar").address("Sysvar1nstructions1111111111111111111111111"),
        ],
        args: RECORD_UPTIME_ARGS,
    },
    InstructionSpec {
        name: "denominate",
        docs: "Anyone removes a nominated device that fell behind by more than the grace, or that is no longer eligible (stake + co-stake below its minimum, paused, or deregistered); it leaves from the next hour.",
        accounts: &[A::new("caller", "Anyone").signer(), POOL, A::new("device_reward", "The device's record").writable(), STAKING_CONFIG, DEVICE],
        args: NoArgs::FIELDS,
    },
    InstructionSpec {
        name: "claim",
        docs: "The supplier claims its pro-rata share of what the device earned, in O(1), within the circuit breaker's cap.",
        accounts: &[
            A::new("owner", "The device's supplier").signer(),
            POOL,
            A::new("device_reward", "The device's record").writable(),
            A::new("device", "The staking Device (the supplier's current stake; may be closed: deregistered)"),
            A::new("reward_vault", "The pool's vault").writable(),
            A::new("destination", "The supplier's token account of the reward mint").writable(),
            TOKEN,
        ],
        args: NoArgs::FIELDS,
    },
    InstructionSpec {
        name: "sync_co_stake",
        docs: "Anyone records a co-staker's current co-stake (its effective amount after slashes; creating its reward position on first use); its share counts from then on.",
        accounts: &[
            A::new("payer", "Pays rent for a new position").writable().signer(),
            A::new("pool", "PDA [\"pool\"]"),
            A::new("device", "The staking Device (its co-stake scale)"),
            A::new("co_stake", "The staking CoStake"),
            A::new("device_reward", "The device's record").writable(),
            A::new("co_reward", "PDA [\"co_reward\", device, staker]").writable(),
            SYSTEM,
        ],
        args: NoArgs::FIELDS,
    },
    InstructionSpec {
        name: "claim_co_stake",
        docs: "A co-staker claims its pro-rata share of the device's rewards (credited on its recorded or current effective co-stake, whichever is smaller; the rest of its share goes to the supplier), within the circuit breaker's cap.",
        accounts: &[
            A::new("staker", "The co-staker").signer(),
            POOL,
            A::new("device_reward", "The device's record").writable(),
            A::new("device", "The staking Device (its co-stake scale; may be closed)"),
            A::new("co_stake", "The staking CoStake (may be closed: then its stake is zero)"),
            A::new("co_reward", "The staker's reward position").writable(),
            A::new("reward_vault", "The pool's vault").writable(),
            A::new("destination", "The staker's token account of the reward mint").writable(),
            TOKEN,
        ],
        args: NoArgs::FIELDS,
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn specs_line_up_with_the_enum() {
        assert_eq!(SPECS.len(), RewardsInstruction::ALL.len());
        for &ix in RewardsInstruction::ALL {
            assert_eq!(ix.spec().name, ix.name());
        }
    }
}
