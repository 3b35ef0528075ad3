//! `set_gpu_tier`: creates or updates the multiplier of one GPU model. Authority only.

use hourglass_core::cpi::NewAccount;
use hourglass_core::event::Event;
use hourglass_core::loaders::{self, AccountType};
use hourglass_core::syscalls::{Seed, Signer};
use hourglass_core::{AccountView, ProgramResult};

use super::load_config;
use crate::interface::error::StakingError;
use crate::interface::events::GpuTierSet;
use crate::interface::instruction::SetGpuTierArgs;
use crate::interface::seeds;
use crate::interface::state::{GpuTier, MAX_MULTIPLIER_BPS};
use crate::ID;

pub fn process(accounts: &mut [AccountView], args: &SetGpuTierArgs) -> ProgramResult {
    let [authority, config, gpu_tier, system_program, ..] = accounts else {
        return Err(hourglass_core::error::CoreError::NotEnoughAccounts.into());
    };

    loaders::signer(authority)?;
    loaders::writable(authority)?;
    loaders::writable(gpu_tier)?;
    loaders::program(system_program, &pinocchio_system::ID)?;
    {
        let config = load_config(config)?;
        if &config.authority != authority.address() {
            return Err(StakingError::NotAuthority.into());
        }
    }
    let multiplier_bps = args.multiplier_bps.get();
    if multiplier_bps > MAX_MULTIPLIER_BPS {
        return Err(StakingError::InvalidMultiplier.into());
    }
    let model = args.model_code.0;

    if gpu_tier.is_data_empty() {
        let bump = loaders::canonical_pda(gpu_tier, &[seeds::GPU_TIER, &model], &ID)?;
        let bump_seed = [bump];
        let signer_seeds = [Seed::from(seeds::GPU_TIER), Seed::from(&model), Seed::from(&bump_seed)];
        NewAccount { payer: authority, account: gpu_tier, space: GpuTier::LEN, owner: &ID }.create_pda(&Signer::from(&signer_seeds))?;
        let mut tier = loaders::init::<GpuTier>(gpu_tier, &ID)?;
        tier.model_code = args.model_code;
        tier.multiplier_bps.set(multiplier_bps);
        tier.bump = bump;
    } else {
        let mut tier = loaders::load_mut::<GpuTier>(gpu_tier, &ID)?;
        if tier.model_code != args.model_code {
            return Err(StakingError::GpuTierMismatch.into());
        }
        tier.multiplier_bps.set(multiplier_bps);
    }

    GpuTierSet { model_code: args.model_code, multiplier_bps: args.multiplier_bps }.emit();
    Ok(())
}
