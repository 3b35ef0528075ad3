//! `set_device_paused`: the supplier takes an idle device off the market (active -> paused) or puts it
//! back (paused -> active). A leased device cannot be paused.

use hourglass_core::event::Event;
use hourglass_core::{AccountView, ProgramResult};

use super::load_device_mut;
use crate::interface::error::StakingError;
use crate::interface::events::DeviceStatusChanged;
use crate::interface::instruction::SetDevicePausedArgs;
use crate::interface::state::device_status::{ACTIVE, LEASED, PAUSED};

pub fn process(accounts: &mut [AccountView], args: &SetDevicePausedArgs) -> ProgramResult {
    let [supplier, device, ..] = accounts else {
        return Err(hourglass_core::error::CoreError::NotEnoughAccounts.into());
    };
    let address = *device.address();
    let mut device = load_device_mut(device, supplier)?;
    let (from, to) = if args.paused.get() { (ACTIVE, PAUSED) } else { (PAUSED, ACTIVE) };
    if device.status == LEASED {
        return Err(StakingError::DeviceLeased.into());
    }
    if device.status != from {
        return Err(StakingError::DeviceNotActive.into());
    }
    device.status = to;
    DeviceStatusChanged { device: address, status: to, lease: device.current_lease }.emit();
    Ok(())
}
