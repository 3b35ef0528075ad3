//! `request_unstake`: moves the supplier's stake into unbonding; the unlock time restarts at now +
//! unbonding period. Co-stakers must stay at most half of the total, and a leased device keeps its
//! minimum.

use hourglass_core::error::CoreError;
use hourglass_core::event::Event;
use hourglass_core::pod::{PodI64, PodU64};
use hourglass_core::{syscalls, AccountView, ProgramResult};

use super::{device_minimum, load_config, load_device_mut};
use crate::interface::error::StakingError;
use crate::interface::events::UnstakeRequested;
use crate::interface::instruction::AmountArgs;
use crate::interface::state::device_status;

pub fn process(accounts: &mut [AccountView], args: &AmountArgs) -> ProgramResult {
    let [supplier, config, device, ..] = accounts else {
        return Err(CoreError::NotEnoughAccounts.into());
    };

    let config = load_config(config)?;
    let device_address = *device.address();
    let mut device = load_device_mut(device, supplier)?;
    let amount = args.amount.get();
    if amount == 0 {
        return Err(StakingError::InvalidAmount.into());
    }
    let remaining = device.stake.get().checked_sub(amount).ok_or(StakingError::InsufficientStake)?;
    if device.co_stake.get() > remaining {
        return Err(StakingError::CoStakeOverHalf.into());
    }
    if device.status == device_status::LEASED {
        let total = remaining.checked_add(device.co_stake.get()).ok_or(CoreError::Overflow)?;
        if total < device_minimum(&config, &device)? {
            return Err(StakingError::LeasedBelowMinimum.into());
        }
    }
    let unbonding = device.unbonding_amount.get().checked_add(amount).ok_or(CoreError::Overflow)?;
    let unlock_at = syscalls::clock()?.unix_timestamp.checked_add(config.unbonding_period.get()).ok_or(CoreError::Overflow)?;

    device.stake.set(remaining);
    device.unbonding_amount.set(unbonding);
    device.unbonding_unlock_at.set(unlock_at);

    UnstakeRequested {
        device: device_address,
        amount: args.amount,
        remaining_stake: PodU64::new(remaining),
        unbonding_amount: PodU64::new(unbonding),
        unlock_at: PodI64::new(unlock_at),
    }
    .emit();
    Ok(())
}
