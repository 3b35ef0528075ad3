//! Instructions: data = sha256("global:<name>")[0..8] ++ the argument struct's bytes (= Borsh).
//! Each instruction's accounts are listed in order with [writable, signer]; the processor unpacks
//! them in the same order.

use hourglass_core::idl::addresses::{SYSTEM_PROGRAM, TOKEN_PROGRAM};
use hourglass_core::idl::{AccountSpec as A, InstructionSpec};
use hourglass_core::pod::{Layout, PodBool, PodI64, PodU16, PodU32, PodU64};
use hourglass_core::{instruction_set, pod_struct, Address};

instruction_set! {
    /// The staking instructions, in the order of [`SPECS`].
    pub enum StakingInstruction {
        InitializeConfig = "initialize_config",
        UpdateConfig = "update_config",
        SetAuthority = "set_authority",
        SetAttester = "set_attester",
        SetGpuTier = "set_gpu_tier",
        RegisterDevice = "register_device",
        SetDevicePaused = "set_device_paused",
        Stake = "stake",
        RequestUnstake = "request_unstake",
        Withdraw = "withdraw",
        CoStake = "co_stake",
        CoUnstake = "co_unstake",
        CoWithdraw = "co_withdraw",
        Slash = "slash",
        AssignLease = "assign_lease",
        ReleaseLease = "release_lease",
        Deregister = "deregister",
        ProposeSlash = "propose_slash",
        CancelSlash = "cancel_slash",
        ExecuteSlash = "execute_slash",
    }
}

pub use hourglass_core::discriminator::args;

pod_struct! {
    pub struct InitializeConfigArgs {
        /// Seconds; 0 = 14 days, otherwise between one hour and 365 days.
        pub unbonding_period: PodI64,
        pub max_slash_bps: PodU16,
        /// Seconds from `propose_slash` to the earliest `execute_slash`; 0 = 48 hours, otherwise at least
        /// one hour and shorter than the unbonding period.
        pub slash_delay: PodI64,
    }
}

pod_struct! {
    pub struct UpdateConfigArgs {
        /// As in `initialize_config`.
        pub unbonding_period: PodI64,
        pub max_slash_bps: PodU16,
        pub lease_authority: Address,
        /// As in `initialize_config`.
        pub slash_delay: PodI64,
    }
}

pod_struct! {
    pub struct SetAttesterArgs {
        pub attester: Address,
        pub enabled: PodBool,
    }
}

pod_struct! {
    pub struct SetGpuTierArgs {
        pub model_code: PodU16,
        pub multiplier_bps: PodU32,
    }
}

pod_struct! {
    pub struct RegisterDeviceArgs {
        pub gpu_model: PodU16,
        pub gpu_count: PodU16,
        pub vram_gb: PodU16,
        pub region: PodU16,
        pub bandwidth_tier: u8,
    }
}

pod_struct! {
    pub struct SetDevicePausedArgs {
        pub paused: PodBool,
    }
}

pod_struct! {
    pub struct AmountArgs {
        pub amount: PodU64,
    }
}

pod_struct! {
    pub struct SlashArgs {
        pub bps: PodU16,
        pub reason: u8,
    }
}

pod_struct! {
    pub struct AssignLeaseArgs {
        pub lease: Address,
    }
}

pod_struct! {
    pub struct NoArgs {}
}

const CONFIG: A = A::new("config", "PDA [\"config\"]");
const CONFIG_MUT: A = CONFIG.writable();
const DEVICE_MUT: A = A::new("device", "Device account (the device key)").writable();
const VAULT: A = A::new("stake_vault", "PDA [\"stake_vault\"]").writable();
const SLASH_PROPOSAL: A = A::new("proposal", "PDA [\"slash_proposal\", device]").writable();
const SYSTEM: A = A::new("system_program", "").address(SYSTEM_PROGRAM);
const TOKEN: A = A::new("token_program", "").address(TOKEN_PROGRAM);

/// Instruction descriptions, indexed by `StakingInstruction as usize`.
pub const SPECS: &[InstructionSpec] = &[
    InstructionSpec {
        name: "initialize_config",
        docs: "Creates the Config and the stake vault. Once only.",
        accounts: &[
            A::new("authority", "Config authority; pays rent").writable().signer(),
            CONFIG_MUT,
            A::new("stake_mint", "The token suppliers stake"),
            A::new("stake_vault", "PDA [\"stake_vault\"], created as a token account").writable(),
            A::new("treasury", "Token account of stake_mint that receives slashes"),
            SYSTEM,
            TOKEN,
        ],
        args: InitializeConfigArgs::FIELDS,
    },
    InstructionSpec {
        name: "update_config",
        docs: "Sets the unbonding period, slash bound, treasury and lease authority. Authority only.",
        accounts: &[
            A::new("authority", "Config authority").signer(),
            CONFIG_MUT,
            A::new("treasury", "Token account of stake_mint that receives slashes"),
        ],
        args: UpdateConfigArgs::FIELDS,
    },
    InstructionSpec {
        name: "set_authority",
        docs: "Hands the config authority to a new key; both sign.",
        accounts: &[
            A::new("authority", "Current config authority").signer(),
            A::new("new_authority", "Next config authority").signer(),
            CONFIG_MUT,
        ],
        args: NoArgs::FIELDS,
    },
    InstructionSpec {
        name: "set_attester",
        docs: "Adds or removes an attester (orchestrator operator key). Authority only.",
        accounts: &[A::new("authority", "Config authority").signer(), CONFIG_MUT],
        args: SetAttesterArgs::FIELDS,
    },
    InstructionSpec {
        name: "set_gpu_tier",
        docs: "Creates or updates a GPU model's multiplier. Authority only.",
        accounts: &[
            A::new("authority", "Config authority; pays rent").writable().signer(),
            CONFIG,
            A::new("gpu_tier", "PDA [\"gpu_tier\", model_code]").writable(),
            SYSTEM,
        ],
        args: SetGpuTierArgs::FIELDS,
    },
    InstructionSpec {
        name: "register_device",
        docs: "Registers a GPU machine under its supplier; the device key signs and becomes the Device account.",
        accounts: &[
            A::new("supplier", "Owner of the device; pays rent").writable().signer(),
            A::new("device", "The device agent's key; the Device account is created at this address").writable().signer(),
            CONFIG,
            A::new("gpu_tier", "PDA [\"gpu_tier\", gpu_model]"),
            SYSTEM,
        ],
        args: RegisterDeviceArgs::FIELDS,
    },
    InstructionSpec {
        name: "set_device_paused",
        docs: "The supplier takes an idle device off the market or puts it back.",
        accounts: &[A::new("supplier", "The device's owner").signer(), DEVICE_MUT],
        args: SetDevicePausedArgs::FIELDS,
    },
    InstructionSpec {
        name: "stake",
        docs: "Moves tokens from the supplier into the stake vault for a device.",
        accounts: &[
            A::new("supplier", "The device's owner").signer(),
            CONFIG,
            DEVICE_MUT,
            A::new("supplier_tokens", "Supplier's token account of stake_mint").writable(),
            VAULT,
            TOKEN,
        ],
        args: AmountArgs::FIELDS,
    },
    InstructionSpec {
        name: "request_unstake",
        docs: "Starts unbonding part of the supplier's stake; withdrawable after the unbonding period.",
        accounts: &[A::new("supplier", "The device's owner").signer(), CONFIG, DEVICE_MUT],
        args: AmountArgs::FIELDS,
    },
    InstructionSpec {
        name: "withdraw",
        docs: "Pays out the supplier's unbonded amount once the unbonding period has ended.",
        accounts: &[
            A::new("supplier", "The device's owner").signer(),
            CONFIG,
            DEVICE_MUT,
            VAULT,
            A::new("destination", "Token account of stake_mint to receive the tokens").writable(),
            TOKEN,
        ],
        args: NoArgs::FIELDS,
    },
    InstructionSpec {
        name: "co_stake",
        docs: "A third party stakes on a device, up to 50% of its total stake.",
        accounts: &[
            A::new("staker", "The co-staker; pays rent for a new CoStake").writable().signer(),
            CONFIG,
            DEVICE_MUT,
            A::new("co_stake", "PDA [\"co_stake\", device, staker]").writable(),
            A::new("staker_tokens", "Staker's token account of stake_mint").writable(),
            VAULT,
            TOKEN,
            SYSTEM,
        ],
        args: AmountArgs::FIELDS,
    },
    InstructionSpec {
        name: "co_unstake",
        docs: "Starts unbonding part of a co-stake.",
        accounts: &[
            A::new("staker", "The co-staker").signer(),
            CONFIG,
            DEVICE_MUT,
            A::new("co_stake", "PDA [\"co_stake\", device, staker]").writable(),
        ],
        args: AmountArgs::FIELDS,
    },
    InstructionSpec {
        name: "co_withdraw",
        docs: "Pays out a co-staker's unbonded amount once the unbonding period has ended.",
        accounts: &[
            A::new("staker", "The co-staker").signer(),
            CONFIG,
            A::new("device", "The device the co-stake is on").writable(),
            A::new("co_stake", "PDA [\"co_stake\", device, staker]").writable(),
            VAULT,
            A::new("destination", "Token account of stake_mint to receive the tokens").writable(),
            TOKEN,
        ],
        args: NoArgs::FIELDS,
    },
    InstructionSpec {
        name: "slash",
        docs: "On a lease fault: moves a bounded share of every stake on a device (supplier and co-stakers, active and unbonding, pro rata) to the treasury. Lease authority only; the config authority proposes slashes instead.",
        accounts: &[
            A::new("authority", "The lease program's authority").signer(),
            CONFIG,
            DEVICE_MUT,
            VAULT,
            A::new("treasury", "The configured treasury").writable(),
            TOKEN,
        ],
        args: SlashArgs::FIELDS,
    },
    InstructionSpec {
        name: "assign_lease",
        docs: "Marks an active device as serving a lease. Lease authority only.",
        accounts: &[A::new("lease_authority", "The lease program's authority").signer(), CONFIG, DEVICE_MUT],
        args: AssignLeaseArgs::FIELDS,
    },
    InstructionSpec {
        name: "release_lease",
        docs: "Returns a leased device to active. Lease authority only.",
        accounts: &[A::new("lease_authority", "The lease program's authority").signer(), CONFIG, DEVICE_MUT],
        args: NoArgs::FIELDS,
    },
    InstructionSpec {
        name: "deregister",
        docs: "Closes a device with no stake, co-stake, unbonding or lease; rent goes to the supplier.",
        accounts: &[A::new("supplier", "The device's owner; receives the rent").writable().signer(), DEVICE_MUT],
        args: NoArgs::FIELDS,
    },
    InstructionSpec {
        name: "propose_slash",
        docs: "The config authority proposes slashing a device by bps (reason: failed job or admin); executable after the Config's slash delay, and only while the device's slashes in the current unbonding period stay within max_slash_bps.",
        accounts: &[
            A::new("authority", "Config authority; pays rent").writable().signer(),
            CONFIG,
            A::new("device", "The device to slash"),
            SLASH_PROPOSAL,
            SYSTEM,
        ],
        args: SlashArgs::FIELDS,
    },
    InstructionSpec {
        name: "cancel_slash",
        docs: "The config authority withdraws a proposal that has not been executed; the rent comes back.",
        accounts: &[A::new("authority", "Config authority; receives the rent").writable().signer(), CONFIG, SLASH_PROPOSAL],
        args: NoArgs::FIELDS,
    },
    InstructionSpec {
        name: "execute_slash",
        docs: "After the delay, takes a proposal's bps of every stake on the device (supplier and co-stakers, active and unbonding, pro rata) into the treasury, within the per-unbonding-period bound; closes the proposal.",
        accounts: &[
            A::new("authority", "Config authority; receives the proposal's rent").writable().signer(),
            CONFIG,
            DEVICE_MUT,
            SLASH_PROPOSAL,
            VAULT,
            A::new("treasury", "The configured treasury").writable(),
            TOKEN,
        ],
        args: NoArgs::FIELDS,
    },
];

#[cfg(test)]
mod tests {
    use super::*;
    use hourglass_core::error::CoreError;

    #[test]
    fn specs_line_up_with_the_enum() {
        assert_eq!(SPECS.len(), StakingInstruction::ALL.len());
        for &ix in StakingInstruction::ALL {
            assert_eq!(ix.spec().name, ix.name());
            let data = ix.discriminator();
            assert_eq!(StakingInstruction::unpack(&data).unwrap().0, ix);
        }
        assert_eq!(StakingInstruction::unpack(&[0; 8]), Err(CoreError::UnknownInstruction.into()));
        assert_eq!(StakingInstruction::unpack(&[1; 7]), Err(CoreError::InvalidInstructionData.into()));
    }
}
