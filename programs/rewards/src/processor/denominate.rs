//! `denominate`: anyone removes a nominated device whose uptime fell behind the pool clock by more than
//! the grace. It keeps what it earned, including the hour in progress, and leaves from the next hour.

use hourglass_core::error::CoreError;
use hourglass_core::event::Event;
use hourglass_core::loaders;
use hourglass_core::pod::{PodBool, PodU32, PodU64};
use hourglass_core::{AccountView, ProgramResult};

use super::now;
use crate::interface::error::RewardsError;
use crate::interface::events::DeviceDenominated;
use crate::interface::state::{DeviceReward, Pool};
use crate::ID;

pub fn process(accounts: &mut [AccountView]) -> ProgramResult {
    let [caller, pool, device_reward, ..] = accounts else {
        return Err(CoreError::NotEnoughAccounts.into());
    };
    loaders::signer(caller)?;
    let now = now()?;
    let mut p = loaders::load_mut::<Pool>(pool, &ID)?;
    let mut r = loaders::load_mut::<DeviceReward>(device_reward, &ID)?;
    if !r.nominated.get() {
        return Err(RewardsError::NotNominated.into());
    }
    let clock = p.clock_hour(now);
    if p.next_hour.get() < clock {
        return Err(RewardsError::PoolBehind.into());
    }
    if clock <= r.next_hour.get().saturating_add(p.grace_hours.get()) {
        return Err(RewardsError::NotBehind.into());
    }
    // The device keeps its share of the hour in progress and leaves from the next one.
    r.settle(p.acc_after_current_hour().ok_or(CoreError::Overflow)?).ok_or(CoreError::Overflow)?;
    let weight = r.weight.get();
    p.pending_sub = PodU64::new(p.pending_sub.get().checked_add(weight).ok_or(CoreError::Overflow)?);
    p.nominated_devices = PodU32::new(p.nominated_devices.get().saturating_sub(1));
    r.weight = PodU64::new(0);
    r.nominated = PodBool::new(false);
    r.streak = PodU32::new(0);
    let total = p.total_weight.get().checked_add(p.pending_add.get()).and_then(|t| t.checked_sub(p.pending_sub.get())).ok_or(CoreError::Overflow)?;
    DeviceDenominated { device: r.device, weight: PodU64::new(weight), from_hour: PodU32::new(p.next_hour.get() + 1), total_weight: PodU64::new(total) }.emit();
    Ok(())
}
