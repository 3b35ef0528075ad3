//! `report_fault`: anyone reports a device whose next unproven hour is past its grace period. The
//! device stops earning on this lease (its unproven hours are refunded when the lease settles), is
//! released in the staking program and slashed by the lease's fault rate (bounded by the staking
//! program's maximum), all through CPIs signed by the lease authority.

use hourglass_core::error::CoreError;
use hourglass_core::event::Event;
use hourglass_core::loaders;
use hourglass_core::math::mul_div_floor;
use hourglass_core::pod::{PodBool, PodU16, PodU32};
use hourglass_core::{AccountView, ProgramResult};
use hourglass_staking_interface::cpi::{ReleaseLease, Slash};
use hourglass_staking_interface::state::{slash_reason, Config as StakingConfig, Device};

use super::{check_authority, load_lease, now, slot_mut, with_authority_signer};
use crate::interface::error::LeaseError;
use crate::interface::events::DeviceFaulted;
use crate::interface::instruction::SlotArgs;
use crate::interface::state::{lease_status, slot_status, Lease, Slot, BPS};

pub fn process(accounts: &mut [AccountView], args: &SlotArgs) -> ProgramResult {
    let [caller, lease, lease_authority, staking_program, staking_config, device, stake_vault, staking_treasury, token_program, ..] = accounts else {
        return Err(CoreError::NotEnoughAccounts.into());
    };
    loaders::signer(caller)?;
    loaders::program(staking_program, &hourglass_staking_interface::ID)?;
    loaders::program(token_program, &pinocchio_token::ID)?;
    let lease_address = *lease.address();
    let now = now()?;
    let (bump, missed, fault_bps) = {
        let mut data = load_lease(lease)?;
        let (l, slots) = loaders::split_with_tail::<Lease, Slot>(&mut data);
        check_authority(l, lease_authority)?;
        if l.status == lease_status::SETTLED {
            return Err(LeaseError::LeaseSettled.into());
        }
        let booked = l.hours_booked.get();
        let hour_start = |h: u64| l.hour_start(h);
        let grace = l.grace_period.get();
        let bump = l.authority_bump;
        let fault_bps = l.fault_slash_bps.get();
        let slot = slot_mut(l, slots, args.slot.get())?;
        if slot.status != slot_status::ACTIVE {
            return Err(LeaseError::SlotNotActive.into());
        }
        if &slot.device != device.address() {
            return Err(LeaseError::WrongDevice.into());
        }
        let missed = slot.next_hour.get();
        if missed >= booked {
            return Err(LeaseError::NotFaulted.into());
        }
        let deadline = hour_start(missed as u64 + 1).and_then(|t| t.checked_add(grace)).ok_or(CoreError::Overflow)?;
        if now <= deadline {
            return Err(LeaseError::NotFaulted.into());
        }
        slot.status = slot_status::FAULTED;
        slot.released = PodBool::new(true);
        l.released_count = PodU16::new(l.released_count.get() + 1);
        (bump, missed, fault_bps)
    };

    // Slash what the rate and the staking program's bound allow, if it comes to at least one unit.
    let bps = {
        let config = loaders::load::<StakingConfig>(staking_config, &hourglass_staking_interface::ID)?;
        let d = loaders::load::<Device>(device, &hourglass_staking_interface::ID)?;
        let bps = core::cmp::min(fault_bps, config.max_slash_bps.get());
        let amount = mul_div_floor(d.stake.get(), bps as u64, BPS).ok_or(CoreError::Overflow)?;
        if amount == 0 {
            0
        } else {
            bps
        }
    };
    with_authority_signer(bump, |signer| {
        if bps > 0 {
            Slash {
                lease_authority,
                config: staking_config,
                device,
                stake_vault,
                treasury: staking_treasury,
                token_program,
                bps,
                reason: slash_reason::MISSED_HEARTBEATS,
            }
            .invoke_signed(signer)?;
        }
        ReleaseLease { lease_authority, config: staking_config, device }.invoke_signed(signer)
    })?;

    DeviceFaulted { lease: lease_address, device: *device.address(), missed_hour: PodU32::new(missed), slash_bps: PodU16::new(bps) }.emit();
    Ok(())
}
