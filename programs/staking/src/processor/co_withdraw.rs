//! `co_withdraw`: after the unbonding period, pays a co-staker's unbonded amount out of the vault. A
//! CoStake left with nothing is closed and its rent returned to the staker.

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
        let mut position = loaders::load_mut::<CoStake>(co_stake, &ID)?;
        if &position.staker != staker.address() {
            return Err(StakingError::NotDeviceOwner.into());
        }
        if position.device != device_address {
            return Err(StakingError::WrongDevice.into());
        }
        let amount = position.unbonding_amount.get();
        if amount == 0 {
            return Err(StakingError::NothingToWithdraw.into());
        }
        if syscalls::clock()?.unix_timestamp < position.unbonding_unlock_at.get() {
            return Err(StakingError::StillUnbonding.into());
        }
        position.unbonding_amount.set(0);
        position.unbonding_unlock_at.set(0);
        (amount, position.amount.get() == 0)
    };
    if now_empty {
        let mut device = loaders::load_mut::<Device>(device, &ID)?;
        let count = device.co_staker_count.get().checked_sub(1).ok_or(CoreError::Overflow)?;
        device.co_staker_count.set(count);
    }

    pay_from_vault(stake_vault, destination, config, bump, amount)?;
    if now_empty {
        loaders::close(co_stake, staker)?;
    }
    CoWithdrawn { device: device_address, staker: *staker.address(), destination: *destination.address(), amount: PodU64::new(amount) }.emit();
    Ok(())
}
