//! `terminate`: the renter ends the lease now. Booked hours that have not started are refunded at once;
//! hours that ran can still be proven within the grace period, and `complete` refunds whatever is left
//! unproven.

use hourglass_core::error::CoreError;
use hourglass_core::event::Event;
use hourglass_core::loaders;
use hourglass_core::pod::{PodU32, PodU64};
use hourglass_core::{AccountView, ProgramResult};

use super::{check_authority, check_escrow, load_lease, now, pay_from_escrow};
use crate::interface::error::LeaseError;
use crate::interface::events::LeaseTerminated;
use crate::interface::state::{lease_status, Lease, Slot};

pub fn process(accounts: &mut [AccountView]) -> ProgramResult {
    let [renter, lease, escrow, renter_tokens, lease_authority, token_program, ..] = accounts else {
        return Err(CoreError::NotEnoughAccounts.into());
    };
    loaders::signer(renter)?;
    loaders::writable(renter_tokens)?;
    loaders::program(token_program, &pinocchio_token::ID)?;
    let lease_address = *lease.address();
    let now = now()?;
    let (refund, booked, bump) = {
        let mut data = load_lease(lease)?;
        let (l, _) = loaders::split_with_tail::<Lease, Slot>(&mut data);
        if &l.renter != renter.address() {
            return Err(LeaseError::NotRenter.into());
        }
        check_escrow(l, escrow)?;
        check_authority(l, lease_authority)?;
        loaders::token_account(renter_tokens, &l.payment_mint, Some(renter.address()))?;
        if l.status != lease_status::ACTIVE && l.status != lease_status::PAUSED {
            return Err(LeaseError::LeaseNotActive.into());
        }
        let booked = l.hours_booked.get() as u64;
        let ran = core::cmp::min(l.current_hour(now), booked);
        let refund = l.cost(l.gpu_count.get() as u64, booked - ran).ok_or(CoreError::Overflow)?;
        l.hours_booked = PodU32::new(ran as u32);
        l.refunded = PodU64::new(l.refunded.get().checked_add(refund).ok_or(CoreError::Overflow)?);
        l.status = lease_status::TERMINATED;
        l.paused_at = hourglass_core::pod::PodI64::new(0);
        (refund, ran as u32, l.authority_bump)
    };
    pay_from_escrow(escrow, renter_tokens, lease_authority, bump, refund)?;
    LeaseTerminated { lease: lease_address, hours_booked: PodU32::new(booked), refund: PodU64::new(refund) }.emit();
    Ok(())
}
