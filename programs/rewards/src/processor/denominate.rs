//! `denominate`: anyone removes a nominated device whose uptime fell behind the pool clock by more than
//! the grace; what it earned until now stays accrued for its supplier.

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
    r.settle(p.acc()).ok_or(CoreError::Overflow)?;
    let weight = r.weight.get();
    p.total_weight = PodU64::new(p.total_weight.get().checked_sub(weight).ok_or(CoreError::Overflow)?);
    p.nominated_devices = PodU32::new(p.nominated_devices.get().saturating_sub(1));
    r.weight = PodU64::new(0);
    r.nominated = PodBool::new(false);
    r.streak = PodU32::new(0);
    DeviceDenominated { device: r.device, weight: PodU64::new(weight), from_hour: p.next_hour, total_weight: p.total_weight }.emit();
    Ok(())
}
