//! `co_unstake`: moves part of a co-stake into unbonding (unlock restarts at now + unbonding period).
//! A leased device keeps its minimum.

use hourglass_core::error::CoreError;
use hourglass_core::event::Event;
use hourglass_core::loaders;
use hourglass_core::pod::{PodI64, PodU64};
use hourglass_core::{syscalls, AccountView, ProgramResult};

use super::{device_minimum, load_config};
use crate::interface::error::StakingError;
use crate::interface::events::CoUnstakeRequested;
use crate::interface::instruction::AmountArgs;
use crate::interface::state::{device_status, CoStake, Device};
use crate::ID;

pub fn process(accounts: &mut [AccountView], args: &AmountArgs) -> ProgramResult {
    let [staker, config, device, co_stake, ..] = accounts else {
        return Err(CoreError::NotEnoughAccounts.into());
    };
    loaders::signer(staker)?;
    let config = load_config(config)?;
    let device_address = *device.address();
    let mut device = loaders::load_mut::<Device>(device, &ID)?;
    let mut position = loaders::load_mut::<CoStake>(co_stake, &ID)?;
    if &position.staker != staker.address() {
        return Err(StakingError::NotDeviceOwner.into());
    }
    if position.device != device_address {
        return Err(StakingError::WrongDevice.into());
    }
    let amount = args.amount.get();
    if amount == 0 {
        return Err(StakingError::InvalidAmount.into());
    }
    position.apply_factor(&device).ok_or(CoreError::Overflow)?;
    let remaining = position.amount.get().checked_sub(amount).ok_or(StakingError::InsufficientStake)?;
    let device_co_stake = device.co_stake.get().checked_sub(amount).ok_or(CoreError::Overflow)?;
    if device.status == device_status::LEASED {
        let total = device.stake.get().checked_add(device_co_stake).ok_or(CoreError::Overflow)?;
        if total < device_minimum(&config, &device)? {
            return Err(StakingError::LeasedBelowMinimum.into());
        }
    }
    let unbonding = position.unbonding_amount.get().checked_add(amount).ok_or(CoreError::Overflow)?;
    let unlock_at = syscalls::clock()?.unix_timestamp.checked_add(config.unbonding_period.get()).ok_or(CoreError::Overflow)?;

    position.amount.set(remaining);
    position.unbonding_amount.set(unbonding);
    position.unbonding_unlock_at.set(unlock_at);
    device.co_stake.set(device_co_stake);
    let co_unbonding = device.co_unbonding.get().checked_add(amount).ok_or(CoreError::Overflow)?;
    device.co_unbonding.set(co_unbonding);

    CoUnstakeRequested {
        device: device_address,
        staker: *staker.address(),
        amount: args.amount,
        unbonding_amount: PodU64::new(unbonding),
        unlock_at: PodI64::new(unlock_at),
    }
    .emit();
    Ok(())
}
