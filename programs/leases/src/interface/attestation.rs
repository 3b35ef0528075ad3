//! The proof-of-time-lock attestation a device key signs, and where it sits in a `prove_time`
//! transaction.
//!
//! Message (62 bytes, signed by the device key with Ed25519):
//! `program_id[0..8] | lease (32) | first_hour u32 LE | hour_count u16 LE | digest (16)`
//! - the program-id prefix and the lease address (unique, created by this program) bind the attestation
//!   to this deployment and this lease; the device is bound by the signing key itself;
//! - hours are lease hours: hour h runs from `origin + h * hour_length`;
//! - `digest` is the first 16 bytes of sha256 over the per-hour job status the agent saw (opaque to
//!   the program; kept for audit).
//!
//! `prove_time` data: discriminator | u32 length | entries, each entry 64 bytes: `slot u16 LE | message`.
//! The Ed25519 signature-verify instruction immediately before `prove_time` carries one signature per
//! entry, with the public key and signature in its own data and the message offsets pointing into
//! `prove_time`'s data. A transaction is at most 1,232 bytes: each attestation costs 110 bytes there
//! plus 64 here, so five fit, and with 24-hour attestations that is 120 device-hours per transaction.

pub const MESSAGE_LEN: usize = 62;
pub const ENTRY_LEN: usize = 2 + MESSAGE_LEN;
/// Offset of the first entry in `prove_time`'s instruction data (discriminator + u32 length).
pub const ENTRIES_OFFSET: usize = 8 + 4;
/// Offset of entry `j`'s message in `prove_time`'s instruction data.
pub const fn message_offset(j: usize) -> usize {
    ENTRIES_OFFSET + j * ENTRY_LEN + 2
}
/// Most attestations one `prove_time` accepts (what fits a transaction).
pub const MAX_ATTESTATIONS: usize = 5;

/// The instructions sysvar.
pub const INSTRUCTIONS_SYSVAR: hourglass_core::Address = hourglass_core::Address::from_str_const("Sysvar1nstructions1111111111111111111111111");

/// A decoded message.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Message<'a> {
    pub program_prefix: &'a [u8],
    pub lease: &'a [u8],
    pub first_hour: u32,
    pub hour_count: u16,
    pub digest: &'a [u8],
}

/// Splits a 62-byte message into its fields.
pub fn parse_message(m: &[u8]) -> Option<Message<'_>> {
    if m.len() != MESSAGE_LEN {
        return None;
    }
    Some(Message {
        program_prefix: &m[0..8],
        lease: &m[8..40],
        first_hour: u32::from_le_bytes(m[40..44].try_into().ok()?),
        hour_count: u16::from_le_bytes(m[44..46].try_into().ok()?),
        digest: &m[46..62],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layout_fits_five_24_hour_attestations_in_a_transaction() {
        assert_eq!(message_offset(0), 14);
        assert_eq!(message_offset(1), 14 + 64);
        let m: [u8; MESSAGE_LEN] = core::array::from_fn(|i| i as u8);
        let p = parse_message(&m).unwrap();
        assert_eq!(p.first_hour, u32::from_le_bytes([40, 41, 42, 43]));
        assert_eq!(p.hour_count, u16::from_le_bytes([44, 45]));
        assert!(parse_message(&m[1..]).is_none());
        // Signatures (1 x 64 + 1), header 3, 6 keys (attester, staking config, lease, instructions
        // sysvar, Ed25519 program, this program; +1 length), blockhash, instruction count, the Ed25519
        // instruction (4 + 2 + 110 per signature), prove_time (8 + 12 + 64 per entry).
        let size = |n: usize| 65 + 3 + 193 + 32 + 1 + 4 + (2 + 110 * n) + 8 + (12 + ENTRY_LEN * n);
        assert!(size(MAX_ATTESTATIONS) <= 1232);
        assert!(size(MAX_ATTESTATIONS + 1) > 1232);
    }
}
