//! `co_withdraw`: after the unbonding period, pays a co-staker's unbonded amount (after any slashes)
//! out of the vault. A CoStake left with nothing is closed and its rent returned to the staker; the
//! last co-staker to leave a device also takes the rounding remainder of the device's co-stake totals,
//! and the device's co-stake scale starts afresh. A position slashed down to nothing is closed at once.

use hourglass_core::error::CoreError;
use hourglass_core::event::Event;
use hourglass_core::loaders;
use hourglass_core::pod::PodU64;
use hourglass_core::{syscalls, AccountView, ProgramResult};

use super::{check_withdrawal, pay_from_vault};
use crate::interface::error::StakingError;
use crate::interface::events::CoWithdrawn;
use crate::interface::state::{CoStake, Device};
use crate::ID;

pub fn process(accounts: &mut [AccountView]) -> ProgramResult {
    let [staker, config, device, co_stake, stake_vault, destination, token_program, ..] = accounts else {
        return Err(CoreError::NotEnoughAccounts.into());
    };
    loaders::signer(staker)?;
    let bump = check_withdrawal(config, stake_vault, destination, token_program)?;

    let device_address = *device.address();
    let (amount, now_empty) = {
        let mut device = loaders::load_mut::<Device>(device, &ID)?;
        let mut position = loaders::load_mut::<CoStake>(co_stake, &ID)?;
        if &position.staker != staker.address() {
            return Err(StakingError::NotDeviceOwner.into());
        }
        if position.device != device_address {
            return Err(StakingError::WrongDevice.into());
        }
        position.apply_factor(&device).ok_or(CoreError::Overflow)?;
        let mut amount = position.unbonding_amount.get();
        // A position that slashes rounded down to nothing is closed without waiting.
        if amount == 0 && position.amount.get() != 0 {
            return Err(StakingError::NothingToWithdraw.into());
        }
        if amount != 0 && syscalls::clock()?.unix_timestamp < position.unbonding_unlock_at.get() {
            return Err(StakingError::StillUnbonding.into());
        }
        position.unbonding_amount.set(0);
        position.unbonding_unlock_at.set(0);
        let co_unbonding = device.co_unbonding.get().checked_sub(amount).ok_or(CoreError::Overflow)?;
        device.co_unbonding.set(co_unbonding);
        let now_empty = position.amount.get() == 0;
        if now_empty {
            let count = device.co_staker_count.get().checked_sub(1).ok_or(CoreError::Overflow)?;
            device.co_staker_count.set(count);
            if count == 0 {
                // Nobody else holds a share of the totals: their rounding remainder is this staker's.
                amount = amount.checked_add(device.co_stake.get()).and_then(|a| a.checked_add(device.co_unbonding.get())).ok_or(CoreError::Overflow)?;
                device.co_stake.set(0);
                device.co_unbonding.set(0);
                // No position is expressed at the old scale any more: start the next ones afresh.
                device.co_factor.set(0);
            }
        }
        (amount, now_empty)
    };

    if amount > 0 {
        pay_from_vault(stake_vault, destination, config, bump, amount)?;
    }
    if now_empty {
        loaders::close(co_stake, staker)?;
    }
    CoWithdrawn { device: device_address, staker: *staker.address(), destination: *destination.address(), amount: PodU64::new(amount) }.emit();
    Ok(())
}
