//! `update_config`: the authority sets the unbonding period, slash bound and delay, treasury and lease
//! authority (0 picks the default period or delay, as at initialisation).

use hourglass_core::event::Event;
use hourglass_core::loaders;
use hourglass_core::{AccountView, ProgramResult};

use super::load_config_for_authority;
use crate::interface::error::StakingError;
use crate::interface::events::ConfigUpdated;
use crate::interface::instruction::UpdateConfigArgs;
use crate::interface::state::{config_periods, BPS};

pub fn process(accounts: &mut [AccountView], args: &UpdateConfigArgs) -> ProgramResult {
    let [authority, config, treasury, ..] = accounts else {
        return Err(hourglass_core::error::CoreError::NotEnoughAccounts.into());
    };
    let mut config = load_config_for_authority(config, authority)?;
    loaders::token_account(treasury, &config.stake_mint, None)?;
    // Slashes paid into the stake vault would take stake from its owners and leave the tokens unowned.
    if treasury.address() == &config.stake_vault {
        return Err(StakingError::WrongTreasury.into());
    }
    let (unbonding_period, slash_delay) = config_periods(args.unbonding_period.get(), args.slash_delay.get())?;
    if args.max_slash_bps.get() as u64 > BPS {
        return Err(StakingError::InvalidSlashBound.into());
    }
    config.unbonding_period.set(unbonding_period);
    config.slash_delay.set(slash_delay);
    config.max_slash_bps = args.max_slash_bps;
    config.treasury = *treasury.address();
    config.lease_authority = args.lease_authority;

    ConfigUpdated {
        authority: config.authority,
        treasury: config.treasury,
        lease_authority: config.lease_authority,
        unbonding_period: config.unbonding_period,
        max_slash_bps: config.max_slash_bps,
        slash_delay: config.slash_delay,
    }
    .emit();
    Ok(())
}
