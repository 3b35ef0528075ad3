//! `claim`: the supplier takes its share of what the device earned: the device's earnings since its
//! checkpoint are split (co-stakers' share set aside, the rest credited to the supplier) and the
//! supplier's recorded stake follows the Device (zero once deregistered), in O(1). One transfer signed
//! by the pool, within the circuit breaker's cap (a refused claim logs a BreakerTripped event).

use hourglass_core::cpi::TokenTransfer;
use hourglass_core::error::CoreError;
use hourglass_core::event::Event;
use hourglass_core::loaders;
use hourglass_core::pod::PodU64;
use hourglass_core::{AccountView, ProgramResult};

use super::{live_device, now, supplier_stake, take_from_pool, with_pool_signer};
use crate::interface::error::RewardsError;
use crate::interface::events::RewardsClaimed;
use crate::interface::state::{DeviceReward, Pool};
use crate::ID;

pub fn process(accounts: &mut [AccountView]) -> ProgramResult {
    let [owner, pool, device_reward, device, reward_vault, destination, token_program, ..] = accounts else {
        return Err(CoreError::NotEnoughAccounts.into());
    };
    loaders::signer(owner)?;
    loaders::writable(reward_vault)?;
    loaders::writable(destination)?;
    // Paying the vault into itself would mark rewards claimed while they stay in the vault.
    loaders::distinct(reward_vault, destination)?;
    loaders::program(token_program, &pinocchio_token::ID)?;
    let now = now()?;
    let (amount, device_key, bump) = {
        let mut p = loaders::load_mut::<Pool>(pool, &ID)?;
        if reward_vault.address() != &p.reward_vault {
            return Err(RewardsError::WrongVault.into());
        }
        loaders::token_account(destination, &p.reward_mint, None)?;
        let mut r = loaders::load_mut::<DeviceReward>(device_reward, &ID)?;
        if &r.owner != owner.address() {
            return Err(RewardsError::NotOwner.into());
        }
        // A deregistered device holds no stake; what it earned stays the supplier's.
        let live = supplier_stake(live_device(device, &r.device)?.as_ref());
        r.settle(p.acc(), p.next_hour.get()).ok_or(CoreError::Overflow)?;
        r.checkpoint_supplier(live).ok_or(CoreError::Overflow)?;
        let amount = r.accrued.get();
        if amount == 0 {
            return Err(RewardsError::NothingToClaim.into());
        }
        take_from_pool(&mut p, now, r.device, amount)?;
        r.accrued = PodU64::new(0);
        r.claimed = PodU64::new(r.claimed.get().checked_add(amount).ok_or(CoreError::Overflow)?);
        (amount, r.device, p.bump)
    };
    with_pool_signer(bump, |signer| TokenTransfer { from: reward_vault, to: destination, authority: pool, amount }.invoke_signed(signer))?;
    RewardsClaimed { device: device_key, owner: *owner.address(), amount: PodU64::new(amount) }.emit();
    Ok(())
}
