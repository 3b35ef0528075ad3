//! Instructions: data = sha256("global:<name>")[0..8] ++ the argument struct's bytes (= Borsh).
//! Each instruction's accounts are listed in order with [writable, signer]; the processor unpacks
//! them in the same order.

use hourglass_core::discriminator;
use hourglass_core::error::CoreError;
use hourglass_core::idl::addresses::{SYSTEM_PROGRAM, TOKEN_PROGRAM};
use hourglass_core::idl::{AccountSpec as A, InstructionSpec};
use hourglass_core::pod::{from_bytes, Layout, Pod, PodI64, PodU16, PodU32, PodU64};
use hourglass_core::{pod_struct, ProgramError};

/// The staking instructions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StakingInstruction {
    InitializeConfig,
    SetGpuTier,
    RegisterDevice,
    Stake,
    RequestUnstake,
    Withdraw,
}

impl StakingInstruction {
    pub const ALL: [Self; 6] = [
        Self::InitializeConfig,
        Self::SetGpuTier,
        Self::RegisterDevice,
        Self::Stake,
        Self::RequestUnstake,
        Self::Withdraw,
    ];

    pub const fn spec(self) -> &'static InstructionSpec {
        &SPECS[self as usize]
    }

    pub const fn discriminator(self) -> [u8; 8] {
        discriminator::instruction(self.spec().name)
    }

    /// Splits instruction data into the instruction and its argument bytes.
    #[inline(always)]
    pub fn unpack(data: &[u8]) -> Result<(Self, &[u8]), ProgramError> {
        const D: [u64; 6] = {
            let mut d = [0u64; 6];
            let mut i = 0;
            while i < 6 {
                d[i] = u64::from_le_bytes(StakingInstruction::ALL[i].discriminator());
                i += 1;
            }
            d
        };
        if data.len() < 8 {
            return Err(CoreError::InvalidInstructionData.into());
        }
        let (disc, args) = data.split_at(8);
        let disc = u64::from_le_bytes(disc.try_into().map_err(|_| CoreError::InvalidInstructionData)?);
        let ix = match disc {
            x if x == D[0] => Self::InitializeConfig,
            x if x == D[1] => Self::SetGpuTier,
            x if x == D[2] => Self::RegisterDevice,
            x if x == D[3] => Self::Stake,
            x if x == D[4] => Self::RequestUnstake,
            x if x == D[5] => Self::Withdraw,
            _ => return Err(CoreError::UnknownInstruction.into()),
        };
        Ok((ix, args))
    }
}

/// Reads an argument struct; the data must be exactly its size.
#[inline(always)]
pub fn args<T: Pod>(data: &[u8]) -> Result<&T, ProgramError> {
    from_bytes::<T>(data).ok_or_else(|| CoreError::InvalidInstructionData.into())
}

pod_struct! {
    pub struct InitializeConfigArgs {
        pub unbonding_period: PodI64,
        pub max_slash_bps: PodU16,
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
    pub struct AmountArgs {
        pub amount: PodU64,
    }
}

pod_struct! {
    pub struct NoArgs {}
}

/// Instruction descriptions, indexed by `StakingInstruction as usize`.
pub const SPECS: &[InstructionSpec] = &[
    InstructionSpec {
        name: "initialize_config",
        docs: "Creates the Config and the stake vault. Once only.",
        accounts: &[
            A::new("authority", "Config authority; pays rent").writable().signer(),
            A::new("config", "PDA [\"config\"]").writable(),
            A::new("stake_mint", "The token suppliers stake"),
            A::new("stake_vault", "PDA [\"stake_vault\"], created as a token account").writable(),
            A::new("treasury", "Token account of stake_mint that receives slashes"),
            A::new("system_program", "").address(SYSTEM_PROGRAM),
            A::new("token_program", "").address(TOKEN_PROGRAM),
        ],
        args: InitializeConfigArgs::FIELDS,
    },
    InstructionSpec {
        name: "set_gpu_tier",
        docs: "Creates or updates a GPU model's multiplier. Authority only.",
        accounts: &[
            A::new("authority", "Config authority; pays rent").writable().signer(),
            A::new("config", "PDA [\"config\"]"),
            A::new("gpu_tier", "PDA [\"gpu_tier\", model_code]").writable(),
            A::new("system_program", "").address(SYSTEM_PROGRAM),
        ],
        args: SetGpuTierArgs::FIELDS,
    },
    InstructionSpec {
        name: "register_device",
        docs: "Registers a GPU machine under its supplier; the device key signs and becomes the Device account.",
        accounts: &[
            A::new("supplier", "Owner of the device; pays rent").writable().signer(),
            A::new("device", "The device agent's key; the Device account is created at this address").writable().signer(),
            A::new("config", "PDA [\"config\"]"),
            A::new("gpu_tier", "PDA [\"gpu_tier\", gpu_model]"),
            A::new("system_program", "").address(SYSTEM_PROGRAM),
        ],
        args: RegisterDeviceArgs::FIELDS,
    },
    InstructionSpec {
        name: "stake",
        docs: "Moves tokens from the supplier into the stake vault for a device.",
        accounts: &[
            A::new("supplier", "The device's owner").signer(),
            A::new("config", "PDA [\"config\"]"),
            A::new("device", "Device account (the device key)").writable(),
            A::new("supplier_tokens", "Supplier's token account of stake_mint").writable(),
            A::new("stake_vault", "PDA [\"stake_vault\"]").writable(),
            A::new("token_program", "").address(TOKEN_PROGRAM),
        ],
        args: AmountArgs::FIELDS,
    },
    InstructionSpec {
        name: "request_unstake",
        docs: "Starts unbonding part of a device's stake; withdrawable after the unbonding period.",
        accounts: &[
            A::new("supplier", "The device's owner").signer(),
            A::new("config", "PDA [\"config\"]"),
            A::new("device", "Device account (the device key)").writable(),
        ],
        args: AmountArgs::FIELDS,
    },
    InstructionSpec {
        name: "withdraw",
        docs: "Pays out the unbonded amount once the unbonding period has ended.",
        accounts: &[
            A::new("supplier", "The device's owner").signer(),
            A::new("config", "PDA [\"config\"]"),
            A::new("device", "Device account (the device key)").writable(),
            A::new("stake_vault", "PDA [\"stake_vault\"]").writable(),
            A::new("destination", "Token account of stake_mint to receive the tokens").writable(),
            A::new("token_program", "").address(TOKEN_PROGRAM),
        ],
        args: NoArgs::FIELDS,
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn specs_line_up_with_the_enum() {
        assert_eq!(SPECS.len(), StakingInstruction::ALL.len());
        for ix in StakingInstruction::ALL {
            let data = ix.discriminator();
            assert_eq!(StakingInstruction::unpack(&data).unwrap().0, ix);
        }
        assert_eq!(StakingInstruction::unpack(&[0; 8]), Err(CoreError::UnknownInstruction.into()));
        assert_eq!(StakingInstruction::unpack(&[1; 7]), Err(CoreError::InvalidInstructionData.into()));
        assert_eq!(StakingInstruction::Stake.spec().name, "stake");
    }
}
