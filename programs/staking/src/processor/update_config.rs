//! `update_config`: the authority sets the unbonding period, slash bound and delay, treasury and lease
//! authority (0 picks the default period or delay, as at initialisation). The lease authority is set
//! once; a loosening of the slashing terms waits one unbonding period (see below).

use hourglass_core::error::CoreError;
use hourglass_core::event::Event;
use hourglass_core::loaders;
use hourglass_core::pod::{PodI64, PodU16};
use hourglass_core::{syscalls, AccountView, ProgramResult};

use super::load_config_for_authority;
use crate::interface::error::StakingError;
use crate::interface::events::{ConfigChangeQueued, ConfigUpdated};
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
    let max_slash_bps = args.max_slash_bps.get();
    if max_slash_bps as u64 > BPS {
        return Err(StakingError::InvalidSlashBound.into());
    }
    // The lease program's authority is set once: a key that could slash in one stroke must not be
    // swappable by the config authority.
    if config.lease_authority_set() && config.lease_authority != args.lease_authority {
        return Err(StakingError::LeaseAuthorityFixed.into());
    }
    config.treasury = *treasury.address();
    config.lease_authority = args.lease_authority;

    // Tightening applies at once. A loosening (higher bound, shorter delay or unbonding) is queued for
    // one unbonding period, so stakers see it coming and can leave first; the same call repeated once
    // that has passed applies it, and any other call replaces the queued change. The treasury and the
    // lease authority above apply either way.
    let mut apply = true;
    if config.loosens(unbonding_period, max_slash_bps, slash_delay) {
        let queued = config.pending_at.get() != 0
            && config.pending_unbonding_period.get() == unbonding_period
            && config.pending_max_slash_bps.get() == max_slash_bps
            && config.pending_slash_delay.get() == slash_delay;
        let now = syscalls::clock()?.unix_timestamp;
        if queued && now < config.pending_at.get() {
            return Err(StakingError::ConfigChangeNotDue.into());
        }
        if !queued {
            apply = false;
            let effective_at = now.checked_add(config.unbonding_period.get()).ok_or(CoreError::Overflow)?;
            config.pending_unbonding_period.set(unbonding_period);
            config.pending_max_slash_bps.set(max_slash_bps);
            config.pending_slash_delay.set(slash_delay);
            config.pending_at.set(effective_at);
            ConfigChangeQueued {
                unbonding_period: PodI64::new(unbonding_period),
                max_slash_bps: PodU16::new(max_slash_bps),
                slash_delay: PodI64::new(slash_delay),
                effective_at: PodI64::new(effective_at),
            }
            .emit();
        }
    }
    if apply {
        config.unbonding_period.set(unbonding_period);
        config.slash_delay.set(slash_delay);
        config.max_slash_bps.set(max_slash_bps);
        config.pending_at.set(0);
    }

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
