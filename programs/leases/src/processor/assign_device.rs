//! `assign_device`: an attester places a staked, active device of the lease's GPU model on the lease.
//! The staking program marks the device leased (CPI signed by the lease authority), which also checks
//! its status and minimum stake and refuses a device already on a lease.

use hourglass_core::error::CoreError;
use hourglass_core::event::Event;
use hourglass_core::loaders;
use hourglass_core::pod::{PodBool, PodU16, PodU32};
use hourglass_core::{AccountView, ProgramResult};
use hourglass_staking_interface::cpi::AssignLease;
use hourglass_staking_interface::state::Device;

use super::{check_authority, load_lease, now, require_attester, with_authority_signer};
use crate::interface::error::LeaseError;
use crate::interface::events::DeviceAssigned;
use crate::interface::state::{lease_status, slot_status, Lease, Slot};

pub fn process(accounts: &mut [AccountView]) -> ProgramResult {
    let [attester, staking_config, lease, device, lease_authority, staking_program, ..] = accounts else {
        return Err(CoreError::NotEnoughAccounts.into());
    };
    require_attester(staking_config, attester)?;
    loaders::program(staking_program, &hourglass_staking_interface::ID)?;
    loaders::writable(device)?;
    let device_address = *device.address();
    let (gpus, model, owner) = {
        let d = loaders::load::<Device>(device, &hourglass_staking_interface::ID)?;
        (d.gpu_count.get(), d.gpu_model, d.owner)
    };
    let lease_address = *lease.address();
    let now = now()?;

    let (bump, index, first_hour) = {
        let mut data = load_lease(lease)?;
        let (l, slots) = loaders::split_with_tail::<Lease, Slot>(&mut data);
        check_authority(l, lease_authority)?;
        if l.status != lease_status::ACTIVE {
            return Err(LeaseError::LeaseNotActive.into());
        }
        if l.gpu_model != model {
            return Err(LeaseError::WrongGpuModel.into());
        }
        let current = l.current_hour(now);
        if current >= l.hours_booked.get() as u64 {
            return Err(LeaseError::LeaseNotActive.into());
        }
        let assigned = l.assigned_gpus.get().checked_add(gpus as u32).ok_or(CoreError::Overflow)?;
        if assigned > l.gpu_count.get() {
            return Err(LeaseError::ClusterFull.into());
        }
        let index = l.device_count.get();
        let slot = slots.get_mut(index as usize).ok_or(LeaseError::NoFreeSlot)?;
        slot.device = device_address;
        slot.owner = owner;
        slot.gpus = PodU16::new(gpus);
        slot.status = slot_status::ACTIVE;
        slot.released = PodBool::new(false);
        slot.next_hour = PodU32::new(current as u32);
        l.device_count = PodU16::new(index + 1);
        l.assigned_gpus = PodU32::new(assigned);
        (l.authority_bump, index, current as u32)
    };

    with_authority_signer(bump, |signer| AssignLease { lease_authority, config: staking_config, device, lease: &lease_address }.invoke_signed(signer))?;

    DeviceAssigned { lease: lease_address, device: device_address, slot: PodU16::new(index), gpus: PodU16::new(gpus), first_hour: PodU32::new(first_hour) }
        .emit();
    Ok(())
}
