//! `release_lease`: the lease program's authority returns a leased device to active.

use hourglass_core::error::CoreError;
use hourglass_core::event::Event;
use hourglass_core::loaders;
use hourglass_core::{AccountView, Address, ProgramResult};

use super::{load_config, require_lease_authority};
use crate::interface::error::StakingError;
use crate::interface::events::DeviceStatusChanged;
use crate::interface::state::{device_status, Device};
use crate::ID;

pub fn process(accounts: &mut [AccountView]) -> ProgramResult {
    let [lease_authority, config, device, ..] = accounts else {
        return Err(CoreError::NotEnoughAccounts.into());
    };
    let config = load_config(config)?;
    require_lease_authority(&config, lease_authority)?;
    let address = *device.address();
    let mut device = loaders::load_mut::<Device>(device, &ID)?;
    if device.status != device_status::LEASED {
        return Err(StakingError::DeviceNotActive.into());
    }
    let lease = device.current_lease;
    device.status = device_status::ACTIVE;
    device.current_lease = Address::new_from_array([0; 32]);
    DeviceStatusChanged { device: address, status: device_status::ACTIVE, lease }.emit();
    Ok(())
}
