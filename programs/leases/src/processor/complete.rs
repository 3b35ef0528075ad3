//! `complete`: once the booked hours (or the pause) ended and the grace period passed, anyone settles
//! the lease: every hour not proven is refunded to the renter. Proven hours stay in escrow for `claim`.

use hourglass_core::error::CoreError;
use hourglass_core::event::Event;
use hourglass_core::loaders;
use hourglass_core::pod::PodU64;
use hourglass_core::{AccountView, ProgramResult};

use super::{check_authority, check_escrow, load_lease, now, pay_from_escrow};
use crate::interface::error::LeaseError;
use crate::interface::events::LeaseSettled;
use crate::interface::state::{lease_status, Lease, Slot};

pub fn process(accounts: &mut [AccountView]) -> ProgramResult {
    let [caller, lease, escrow, renter_tokens, lease_authority, token_program, ..] = accounts else {
        return Err(CoreError::NotEnoughAccounts.into());
    };
    loaders::signer(caller)?;
    loaders::writable(renter_tokens)?;
    loaders::program(token_program, &pinocchio_token::ID)?;
    let lease_address = *lease.address();
    let now = now()?;
    let (refund, earned, refunded, bump) = {
        let mut data = load_lease(lease)?;
        let (l, _) = loaders::split_with_tail::<Lease, Slot>(&mut data);
        check_escrow(l, escrow)?;
        check_authority(l, lease_authority)?;
        loaders::token_account(renter_tokens, &l.payment_mint, Some(&l.renter))?;
        if l.status == lease_status::SETTLED {
            return Err(LeaseError::LeaseSettled.into());
        }
        let end = l.end_time().and_then(|e| e.checked_add(l.grace_period.get())).ok_or(CoreError::Overflow)?;
        if now < end {
            return Err(LeaseError::LeaseNotEnded.into());
        }
        let refund = l.principal.get().checked_sub(l.earned_total.get()).and_then(|v| v.checked_sub(l.refunded.get())).ok_or(CoreError::Overflow)?;
        let refunded = l.refunded.get() + refund;
        l.refunded = PodU64::new(refunded);
        l.status = lease_status::SETTLED;
        (refund, l.earned_total.get(), refunded, l.authority_bump)
    };
    pay_from_escrow(escrow, renter_tokens, lease_authority, bump, refund)?;
    LeaseSettled { lease: lease_address, earned_total: PodU64::new(earned), refund: PodU64::new(refund), refunded_total: PodU64::new(refunded) }.emit();
    Ok(())
}
