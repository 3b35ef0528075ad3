//! `claim`: the supplier takes everything the device earned: weight x (accumulator - checkpoint), plus
//! anything settled before, in O(1) and one transfer signed by the pool. The circuit breaker refuses a
//! claim that would take the window's outflow over its cap (the failed transaction logs a
//! BreakerTripped event).

use hourglass_core::cpi::TokenTransfer;
use hourglass_core::error::CoreError;
use hourglass_core::event::Event;
use hourglass_core::loaders;
use hourglass_core::pod::{PodU32, PodU64};
use hourglass_core::{AccountView, ProgramResult};

use super::{now, with_pool_signer};
use crate::interface::error::RewardsError;
use crate::interface::events::{BreakerTripped, RewardsClaimed};
use crate::interface::state::{DeviceReward, Pool};
use crate::ID;

pub fn process(accounts: &mut [AccountView]) -> ProgramResult {
    let [owner, pool, device_reward, reward_vault, destination, token_program, ..] = accounts else {
        return Err(CoreError::NotEnoughAccounts.into());
    };
    loaders::signer(owner)?;
    loaders::writable(reward_vault)?;
    loaders::writable(destination)?;
    loaders::program(token_program, &pinocchio_token::ID)?;
    let now = now()?;
    let (amount, device, bump) = {
        let mut p = loaders::load_mut::<Pool>(pool, &ID)?;
        if reward_vault.address() != &p.reward_vault {
            return Err(RewardsError::WrongVault.into());
        }
        loaders::token_account(destination, &p.reward_mint, None)?;
        let mut r = loaders::load_mut::<DeviceReward>(device_reward, &ID)?;
        if &r.owner != owner.address() {
            return Err(RewardsError::NotOwner.into());
        }
        r.settle(p.acc()).ok_or(CoreError::Overflow)?;
        let amount = r.accrued.get();
        if amount == 0 {
            return Err(RewardsError::NothingToClaim.into());
        }
        let clock = p.clock_hour(now);
        if clock >= p.window_start_hour.get().saturating_add(p.breaker_window_hours.get()) {
            p.window_start_hour = PodU32::new(clock);
            p.window_outflow = PodU64::new(0);
        }
        let outflow = p.window_outflow.get().checked_add(amount).ok_or(CoreError::Overflow)?;
        if outflow > p.breaker_cap.get() {
            BreakerTripped { device: r.device, requested: PodU64::new(amount), window_outflow: p.window_outflow, breaker_cap: p.breaker_cap }.emit();
            return Err(RewardsError::BreakerTripped.into());
        }
        p.window_outflow = PodU64::new(outflow);
        p.total_claimed = PodU64::new(p.total_claimed.get().checked_add(amount).ok_or(CoreError::Overflow)?);
        r.accrued = PodU64::new(0);
        r.claimed = PodU64::new(r.claimed.get().checked_add(amount).ok_or(CoreError::Overflow)?);
        (amount, r.device, p.bump)
    };
    with_pool_signer(bump, |signer| TokenTransfer { from: reward_vault, to: destination, authority: pool, amount }.invoke_signed(signer))?;
    RewardsClaimed { device, owner: *owner.address(), amount: PodU64::new(amount) }.emit();
    Ok(())
}
