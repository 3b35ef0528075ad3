//! `claim_co_stake`: a co-staker takes its share of the device's rewards (on its recorded co-stake, or
//! its current effective one if smaller, zero once the CoStake is closed; what it forfeits goes to the
//! supplier), in one transfer signed by the pool, within the circuit breaker's cap.

use hourglass_core::cpi::TokenTransfer;
use hourglass_core::error::CoreError;
use hourglass_core::event::Event;
use hourglass_core::loaders;
use hourglass_core::pod::PodU64;
use hourglass_core::{AccountView, ProgramResult};
use hourglass_staking_interface::state::CoStake;

use super::{live_device, now, take_from_pool, with_pool_signer};
use crate::interface::error::RewardsError;
use crate::interface::events::RewardsClaimed;
use crate::interface::state::{CoStakeReward, DeviceReward, Pool};
use crate::ID;

pub fn process(accounts: &mut [AccountView]) -> ProgramResult {
    let [staker, pool, device_reward, device, co_stake, co_reward, reward_vault, destination, token_program, ..] = accounts else {
        return Err(CoreError::NotEnoughAccounts.into());
    };
    loaders::signer(staker)?;
    loaders::writable(reward_vault)?;
    loaders::writable(destination)?;
    // Paying the vault into itself would mark rewards claimed while they stay in the vault.
    loaders::distinct(reward_vault, destination)?;
    loaders::program(token_program, &pinocchio_token::ID)?;
    let now = now()?;
    let (amount, device, bump) = {
        let mut p = loaders::load_mut::<Pool>(pool, &ID)?;
        if reward_vault.address() != &p.reward_vault {
            return Err(RewardsError::WrongVault.into());
        }
        loaders::token_account(destination, &p.reward_mint, None)?;
        let mut position = loaders::load_mut::<CoStakeReward>(co_reward, &ID)?;
        if &position.staker != staker.address() {
            return Err(RewardsError::NotOwner.into());
        }
        if co_stake.address() != &position.co_stake {
            return Err(RewardsError::WrongDevice.into());
        }
        let mut r = loaders::load_mut::<DeviceReward>(device_reward, &ID)?;
        if r.device != position.device {
            return Err(RewardsError::WrongDevice.into());
        }
        let d = live_device(device, &r.device)?;
        // A closed CoStake (the staker withdrew everything) holds no stake; an open one counts at the
        // device's co-stake scale (slashes shrink every co-stake lazily).
        let live = if co_stake.is_data_empty() {
            0
        } else {
            let c = loaders::load::<CoStake>(co_stake, &hourglass_staking_interface::ID)?;
            match &d {
                Some(d) => c.effective(d).ok_or(CoreError::Overflow)?.0,
                None => 0,
            }
        };
        r.settle(p.acc(), p.next_hour.get()).ok_or(CoreError::Overflow)?;
        position.checkpoint(&mut r, live).ok_or(CoreError::Overflow)?;
        let amount = position.accrued.get();
        if amount == 0 {
            return Err(RewardsError::NothingToClaim.into());
        }
        take_from_pool(&mut p, now, r.device, amount)?;
        position.accrued = PodU64::new(0);
        position.claimed = PodU64::new(position.claimed.get().checked_add(amount).ok_or(CoreError::Overflow)?);
        (amount, r.device, p.bump)
    };
    with_pool_signer(bump, |signer| TokenTransfer { from: reward_vault, to: destination, authority: pool, amount }.invoke_signed(signer))?;
    RewardsClaimed { device, owner: *staker.address(), amount: PodU64::new(amount) }.emit();
    Ok(())
}
