//! `release_device`: after settlement, anyone returns a lease's device to active in the staking program.

use hourglass_core::error::CoreError;
use hourglass_core::event::Event;
use hourglass_core::loaders;
use hourglass_core::pod::{PodBool, PodU16};
use hourglass_core::{AccountView, ProgramResult};
use hourglass_staking_interface::cpi::ReleaseLease;

use super::{check_authority, load_lease, slot_mut, with_authority_signer};
use crate::interface::error::LeaseError;
use crate::interface::events::DeviceReleased;
use crate::interface::instruction::SlotArgs;
use crate::interface::state::{lease_status, Lease, Slot};

pub fn process(accounts: &mut [AccountView], args: &SlotArgs) -> ProgramResult {
    let [caller, lease, lease_authority, staking_program, staking_config, device, ..] = accounts else {
        return Err(CoreError::NotEnoughAccounts.into());
    };
    loaders::signer(caller)?;
    loaders::program(staking_program, &hourglass_staking_interface::ID)?;
    let lease_address = *lease.address();
    let bump = {
        let mut data = load_lease(lease)?;
        let (l, slots) = loaders::split_with_tail::<Lease, Slot>(&mut data);
        check_authority(l, lease_authority)?;
        if l.status != lease_status::SETTLED {
            return Err(LeaseError::LeaseNotSettled.into());
        }
        let bump = l.authority_bump;
        let slot = slot_mut(l, slots, args.slot.get())?;
        if slot.released.get() {
            return Err(LeaseError::AlreadyReleased.into());
        }
        if &slot.device != device.address() {
            return Err(LeaseError::WrongDevice.into());
        }
        slot.released = PodBool::new(true);
        l.released_count = PodU16::new(l.released_count.get() + 1);
        bump
    };
    with_authority_signer(bump, |signer| ReleaseLease { lease_authority, config: staking_config, device }.invoke_signed(signer))?;
    DeviceReleased { lease: lease_address, device: *device.address() }.emit();
    Ok(())
}
