//! `withdraw`: after the unbonding period, pays the supplier's unbonded amount out of the vault (token
//! CPI signed by the Config PDA).

use hourglass_core::error::CoreError;
use hourglass_core::event::Event;
use hourglass_core::pod::PodU64;
use hourglass_core::{syscalls, AccountView, ProgramResult};

use super::{check_withdrawal, load_device_mut, pay_from_vault};
use crate::interface::error::StakingError;
use crate::interface::events::Withdrawn;

pub fn process(accounts: &mut [AccountView]) -> ProgramResult {
    let [supplier, config, device, stake_vault, destination, token_program, ..] = accounts else {
        return Err(CoreError::NotEnoughAccounts.into());
    };

    let bump = check_withdrawal(config, stake_vault, destination, token_program)?;

    let device_address = *device.address();
    let mut device = load_device_mut(device, supplier)?;
    let amount = device.unbonding_amount.get();
    if amount == 0 {
        return Err(StakingError::NothingToWithdraw.into());
    }
    if syscalls::clock()?.unix_timestamp < device.unbonding_unlock_at.get() {
        return Err(StakingError::StillUnbonding.into());
    }
    device.unbonding_amount.set(0);
    device.unbonding_unlock_at.set(0);
    drop(device);

    pay_from_vault(stake_vault, destination, config, bump, amount)?;
    Withdrawn { device: device_address, destination: *destination.address(), amount: PodU64::new(amount) }.emit();
    Ok(())
}
