//! `crank`: anyone emits the hours that have ended, oldest first, up to `max_hours` (at most 96) per
//! transaction. Each hour's reward follows the schedule; it raises the reward-per-weight accumulator by
//! amount / total weight (or, with nobody nominated, goes to `unallocated`, which the next hour with
//! weight shares out on top of its own reward). The total is
//! minted into the vault in one CPI signed by the pool. Nominations and denominations made while the
//! first of these hours was in progress take effect after it.

use hourglass_core::error::CoreError;
use hourglass_core::event::Event;
use hourglass_core::loaders;
use hourglass_core::math::U128;
use hourglass_core::pod::{PodU32, PodU64};
use hourglass_core::{AccountView, ProgramResult};
use pinocchio_token::instructions::MintTo;

use super::{now, with_pool_signer};
use crate::interface::error::RewardsError;
use crate::interface::events::HourEmitted;
use crate::interface::instruction::{CrankArgs, MAX_HOURS_PER_CRANK};
use crate::interface::schedule::{hour_amount, next_rate, HOURS};
use crate::interface::state::Pool;
use crate::ID;

pub fn process(accounts: &mut [AccountView], args: &CrankArgs) -> ProgramResult {
    let [caller, pool, reward_mint, reward_vault, token_program, ..] = accounts else {
        return Err(CoreError::NotEnoughAccounts.into());
    };
    loaders::signer(caller)?;
    loaders::writable(reward_mint)?;
    loaders::writable(reward_vault)?;
    loaders::program(token_program, &pinocchio_token::ID)?;
    let now = now()?;
    let (minted, bump) = {
        let mut p = loaders::load_mut::<Pool>(pool, &ID)?;
        if reward_mint.address() != &p.reward_mint || reward_vault.address() != &p.reward_vault {
            return Err(RewardsError::WrongVault.into());
        }
        if p.paused_at.get() != 0 {
            return Err(RewardsError::PoolPaused.into());
        }
        let start = p.next_hour.get();
        let limit = core::cmp::min(args.max_hours.get(), MAX_HOURS_PER_CRANK);
        let target = core::cmp::min(core::cmp::min(p.clock_hour(now), start.saturating_add(limit)), HOURS);
        if target <= start {
            return Err(RewardsError::NothingToEmit.into());
        }
        let (mut rate, mut acc) = (p.rate(), p.acc());
        let (mut emitted, mut unallocated) = (p.total_emitted.get(), p.unallocated.get());
        let (mut weight, cap) = (p.total_weight.get(), p.cap.get());
        let mut minted = 0u64;
        for hour in start..target {
            let amount = hour_amount(hour, rate, emitted, cap);
            if weight == 0 {
                unallocated = unallocated.checked_add(amount).ok_or(CoreError::Overflow)?;
            } else {
                // What hours without weight left is shared out with this hour's reward.
                let shared = amount.checked_add(unallocated).ok_or(CoreError::Overflow)?;
                unallocated = 0;
                let (per_weight, _) = U128::new(shared, 0).div_rem_u64(weight).ok_or(CoreError::Overflow)?;
                acc = acc.checked_add(per_weight).ok_or(CoreError::Overflow)?;
            }
            emitted = emitted.checked_add(amount).ok_or(CoreError::Overflow)?;
            minted = minted.checked_add(amount).ok_or(CoreError::Overflow)?;
            rate = next_rate(rate);
            HourEmitted { hour: PodU32::new(hour), amount: PodU64::new(amount), total_weight: PodU64::new(weight), nominated_devices: p.nominated_devices }
                .emit();
            if hour == start {
                // Weight changes made during this hour count from the next one.
                weight = weight.checked_add(p.pending_add.get()).and_then(|w| w.checked_sub(p.pending_sub.get())).ok_or(CoreError::Overflow)?;
                p.pending_add = PodU64::new(0);
                p.pending_sub = PodU64::new(0);
            }
        }
        p.total_weight = PodU64::new(weight);
        p.next_hour = PodU32::new(target);
        p.rate_hi.set(rate.hi);
        p.rate_lo.set(rate.lo);
        p.acc_hi.set(acc.hi);
        p.acc_lo.set(acc.lo);
        p.total_emitted.set(emitted);
        p.unallocated.set(unallocated);
        (minted, p.bump)
    };
    if minted > 0 {
        with_pool_signer(bump, |signer| MintTo::new(reward_mint, reward_vault, pool, minted).invoke_signed(core::slice::from_ref(signer)))?;
    }
    Ok(())
}
