//! `deregister`: closes a device that has no stake, co-stake, unbonding amount, co-staker or lease;
//! its rent goes back to the supplier.

use hourglass_core::error::CoreError;
use hourglass_core::event::Event;
use hourglass_core::loaders;
use hourglass_core::{AccountView, ProgramResult};

use super::load_device_mut;
use crate::interface::error::StakingError;
use crate::interface::events::DeviceDeregistered;
use crate::interface::state::device_status;

pub fn process(accounts: &mut [AccountView]) -> ProgramResult {
    let [supplier, device, ..] = accounts else {
        return Err(CoreError::NotEnoughAccounts.into());
    };
    let address = *device.address();
    {
        let state = load_device_mut(device, supplier)?;
        if state.status == device_status::LEASED {
            return Err(StakingError::DeviceLeased.into());
        }
        if state.stake.get() != 0
            || state.co_stake.get() != 0
            || state.co_unbonding.get() != 0
            || state.unbonding_amount.get() != 0
            || state.co_staker_count.get() != 0
        {
            return Err(StakingError::DeviceHasStake.into());
        }
    }
    loaders::close(device, supplier)?;
    DeviceDeregistered { device: address, owner: *supplier.address() }.emit();
    Ok(())
}
