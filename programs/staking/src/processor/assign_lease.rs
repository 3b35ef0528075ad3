//! `assign_lease`: the lease program's authority marks an active, sufficiently staked device as
//! serving a lease.

use hourglass_core::error::CoreError;
use hourglass_core::event::Event;
use hourglass_core::loaders;
use hourglass_core::{AccountView, ProgramResult};

use super::{device_minimum, load_config, require_lease_authority};
use crate::interface::error::StakingError;
use crate::interface::events::DeviceStatusChanged;
use crate::interface::instruction::AssignLeaseArgs;
use crate::interface::state::{device_status, Device};
use crate::ID;

pub fn process(accounts: &mut [AccountView], args: &AssignLeaseArgs) -> ProgramResult {
    let [lease_authority, config, device, ..] = accounts else {
        return Err(CoreError::NotEnoughAccounts.into());
    };
    let config = load_config(config)?;
    require_lease_authority(&config, lease_authority)?;
    let address = *device.address();
    let mut device = loaders::load_mut::<Device>(device, &ID)?;
    if device.status == device_status::LEASED {
        return Err(StakingError::DeviceLeased.into());
    }
    if device.status != device_status::ACTIVE {
        return Err(StakingError::DeviceNotActive.into());
    }
    if device.total_stake().ok_or(CoreError::Overflow)? < device_minimum(&config, &device)? {
        return Err(StakingError::BelowMinimumStake.into());
    }
    device.status = device_status::LEASED;
    device.current_lease = args.lease;
    DeviceStatusChanged { device: address, status: device_status::LEASED, lease: args.lease }.emit();
    Ok(())
}
