//! `pause`: anyone pauses an active lease whose booked hours are used up: the escrow covers no further
//! hour, so the job stops (the orchestrator stops the Ray job) until the renter extends, or the lease
//! completes after the grace period.

use hourglass_core::error::CoreError;
use hourglass_core::event::Event;
use hourglass_core::loaders;
use hourglass_core::pod::PodI64;
use hourglass_core::{AccountView, ProgramResult};

use super::{load_lease, now};
use crate::interface::error::LeaseError;
use crate::interface::events::LeasePaused;
use crate::interface::state::{lease_status, Lease, Slot};

pub fn process(accounts: &mut [AccountView]) -> ProgramResult {
    let [caller, lease, ..] = accounts else {
        return Err(CoreError::NotEnoughAccounts.into());
    };
    loaders::signer(caller)?;
    let lease_address = *lease.address();
    let now = now()?;
    let mut data = load_lease(lease)?;
    let (l, _) = loaders::split_with_tail::<Lease, Slot>(&mut data);
    if l.status != lease_status::ACTIVE {
        return Err(LeaseError::LeaseNotActive.into());
    }
    let end = l.hour_start(l.hours_booked.get() as u64).ok_or(CoreError::Overflow)?;
    if now < end {
        return Err(LeaseError::NotPausable.into());
    }
    l.status = lease_status::PAUSED;
    l.paused_at = PodI64::new(end);
    LeasePaused { lease: lease_address, paused_at: l.paused_at }.emit();
    Ok(())
}
