//! `slash`: on a lease fault, the lease program's authority moves `bps` of every stake on a device to
//! the treasury: the supplier's and the co-stakers' (pro rata, through the co-stake scale), active and
//! unbonding alike, at most the configured bound per event. The lease program calls it once per
//! (lease, device). Discretionary slashes by the config authority go through `propose_slash` and
//! `execute_slash` instead.

use hourglass_core::error::CoreError;
use hourglass_core::loaders;
use hourglass_core::{AccountView, ProgramResult};

use super::{check_slash, load_config, slash_device, SlashTarget};
use crate::interface::error::StakingError;
use crate::interface::instruction::SlashArgs;

pub fn process(accounts: &mut [AccountView], args: &SlashArgs) -> ProgramResult {
    let [authority, config, device, stake_vault, treasury, token_program, ..] = accounts else {
        return Err(CoreError::NotEnoughAccounts.into());
    };
    loaders::signer(authority)?;
    let bump = {
        let state = load_config(config)?;
        if !state.is_lease_authority(authority.address()) {
            return Err(StakingError::NotSlashAuthority.into());
        }
        check_slash(&state, args.bps.get(), args.reason, stake_vault, treasury, token_program)?;
        state.bump
    };
    slash_device(SlashTarget { device, stake_vault, treasury, config, bump }, args.bps.get(), args.reason, authority.address())?;
    Ok(())
}
