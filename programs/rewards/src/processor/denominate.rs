//! `denominate`: anyone removes a nominated device whose uptime fell behind the pool clock by more than
//! the grace, or that is no longer eligible: its stake + co-stake is below its minimum, it is paused,
//! or it was deregistered (the staking program cannot call the rewards program, so this permissionless
//! crank, which the orchestrator runs every loop, is how stake changes reach the pool). It keeps what it
//! earned, including the hour in progress, and leaves from the next hour; it comes back only by being
//! nominated again (five fresh consecutive hours while eligible).

use hourglass_core::error::CoreError;
use hourglass_core::event::Event;
use hourglass_core::loaders;
use hourglass_core::pod::{PodBool, PodU32, PodU64};
use hourglass_core::{AccountView, ProgramResult};
use hourglass_staking_interface::state::Config as StakingConfig;

use super::{eligible, live_device, now, supplier_stake};
use crate::interface::error::RewardsError;
use crate::interface::events::DeviceDenominated;
use crate::interface::state::{DeviceReward, Pool};
use crate::ID;

pub fn process(accounts: &mut [AccountView]) -> ProgramResult {
    let [caller, pool, device_reward, staking_config, device, ..] = accounts else {
        return Err(CoreError::NotEnoughAccounts.into());
    };
    loaders::signer(caller)?;
    let mint_decimals = loaders::load::<StakingConfig>(staking_config, &hourglass_staking_interface::ID)?.mint_decimals;
    let now = now()?;
    let mut p = loaders::load_mut::<Pool>(pool, &ID)?;
    let mut r = loaders::load_mut::<DeviceReward>(device_reward, &ID)?;
    let live = live_device(device, &r.device)?;
    if !r.nominated.get() {
        return Err(RewardsError::NotNominated.into());
    }
    let clock = p.clock_hour(now);
    if p.next_hour.get() < clock {
        return Err(RewardsError::PoolBehind.into());
    }
    let behind = clock > r.next_hour.get().saturating_add(p.grace_hours.get());
    if !behind && eligible(live.as_ref(), mint_decimals, &r.owner)? {
        return Err(RewardsError::NotBehind.into());
    }
    // The device keeps its share of the hour in progress and leaves from the next one.
    let next_hour = p.next_hour.get();
    r.settle_through_hour(&p.hour_point().ok_or(CoreError::Overflow)?).ok_or(CoreError::Overflow)?;
    r.checkpoint_supplier(supplier_stake(live.as_ref())).ok_or(CoreError::Overflow)?;
    let weight = r.weight.get();
    p.pending_sub = PodU64::new(p.pending_sub.get().checked_add(weight).ok_or(CoreError::Overflow)?);
    p.nominated_devices = PodU32::new(p.nominated_devices.get().saturating_sub(1));
    r.weight = PodU64::new(0);
    r.working = PodBool::new(false);
    r.nominated = PodBool::new(false);
    r.streak = PodU32::new(0);
    let total = p.weight_after_current_hour().ok_or(CoreError::Overflow)?;
    DeviceDenominated { device: r.device, weight: PodU64::new(weight), from_hour: PodU32::new(next_hour + 1), total_weight: PodU64::new(total) }.emit();
    Ok(())
}
