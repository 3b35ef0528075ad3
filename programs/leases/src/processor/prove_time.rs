//! `prove_time`: a registered attester submits up to five device-signed attestations. The Ed25519
//! signature-verify instruction right before this one must verify exactly these messages (its offsets
//! point into this instruction's data) with each slot's device key; the runtime has already checked
//! the signatures. Each device-hour is proven once (ranges start at or after the slot's next hour),
//! only for hours that have ended and were booked, and only within the grace period.

use hourglass_core::ed25519::{BatchError, MessageLayout, SignatureBatch};
use hourglass_core::error::CoreError;
use hourglass_core::event::Event;
use hourglass_core::loaders;
use hourglass_core::pod::{PodU16, PodU32, PodU64};
use hourglass_core::{AccountView, ProgramResult};

use super::{load_lease, now, require_attester, slot_mut};
use crate::interface::attestation::{message_offset, parse_message, ENTRY_LEN, INSTRUCTIONS_SYSVAR, MAX_ATTESTATIONS, MESSAGE_LEN};
use crate::interface::error::LeaseError;
use crate::interface::events::TimeProven;
use crate::interface::state::{lease_status, slot_status, Lease, Slot};
use crate::ID;

pub fn process(accounts: &mut [AccountView], data: &[u8]) -> ProgramResult {
    let [attester, staking_config, lease, instructions, ..] = accounts else {
        return Err(CoreError::NotEnoughAccounts.into());
    };
    require_attester(staking_config, attester)?;
    if instructions.address() != &INSTRUCTIONS_SYSVAR {
        return Err(CoreError::WrongProgram.into());
    }
    let Some((len, entries)) = data.split_first_chunk::<4>() else {
        return Err(LeaseError::BadAttestationData.into());
    };
    let len = u32::from_le_bytes(*len) as usize;
    if len != entries.len() || len == 0 || len % ENTRY_LEN != 0 || len / ENTRY_LEN > MAX_ATTESTATIONS {
        return Err(LeaseError::BadAttestationData.into());
    }
    let n = len / ENTRY_LEN;

    let sysvar = instructions.try_borrow()?;
    let layout = MessageLayout { count: n, first_offset: message_offset(0), stride: ENTRY_LEN, len: MESSAGE_LEN };
    let batch = SignatureBatch::preceding(&sysvar, &layout).map_err(|e| match e {
        BatchError::Missing => LeaseError::MissingEd25519,
        BatchError::Mismatch => LeaseError::Ed25519Mismatch,
    })?;

    let lease_address = *lease.address();
    let attester_address = *attester.address();
    let now = now()?;
    let mut lease_data = load_lease(lease)?;
    let (l, slots) = loaders::split_with_tail::<Lease, Slot>(&mut lease_data);
    if l.status == lease_status::SETTLED {
        return Err(LeaseError::LeaseSettled.into());
    }
    let limit = core::cmp::min(l.current_hour(now), l.hours_booked.get() as u64);
    let grace = l.grace_period.get();

    for j in 0..n {
        let entry = &entries[j * ENTRY_LEN..(j + 1) * ENTRY_LEN];
        let message = &entry[2..];
        let pubkey = batch.signer(j);

        let slot = slot_mut(l, slots, u16::from_le_bytes([entry[0], entry[1]]))?;
        if slot.status != slot_status::ACTIVE {
            return Err(LeaseError::SlotNotActive.into());
        }
        if pubkey != slot.device.as_ref() {
            return Err(LeaseError::WrongDeviceKey.into());
        }
        let m = parse_message(message).ok_or(LeaseError::BadAttestationData)?;
        if m.program_prefix != &ID.as_ref()[..8] || m.lease != lease_address.as_ref() {
            return Err(LeaseError::WrongLease.into());
        }
        let (first, count) = (m.first_hour as u64, m.hour_count as u64);
        if count == 0 {
            return Err(LeaseError::BadAttestationData.into());
        }
        if first < slot.next_hour.get() as u64 {
            return Err(LeaseError::ProofReplayed.into());
        }
        let end = first + count;
        if end > limit {
            return Err(LeaseError::FutureHour.into());
        }
        let deadline = l.hour_start(first + 1).and_then(|t| t.checked_add(grace)).ok_or(CoreError::Overflow)?;
        if now > deadline {
            return Err(LeaseError::ProofTooLate.into());
        }
        let amount = l.cost(slot.gpus.get() as u64, count).ok_or(CoreError::Overflow)?;
        slot.next_hour = PodU32::new(end as u32);
        slot.proven_hours = PodU32::new(slot.proven_hours.get().checked_add(count as u32).ok_or(CoreError::Overflow)?);
        let device = slot.device;
        l.earned_total = PodU64::new(l.earned_total.get().checked_add(amount).ok_or(CoreError::Overflow)?);
        TimeProven {
            lease: lease_address,
            device,
            attester: attester_address,
            first_hour: PodU32::new(first as u32),
            hour_count: PodU16::new(count as u16),
            amount: PodU64::new(amount),
        }
        .emit();
    }
    Ok(())
}
