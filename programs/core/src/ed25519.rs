//! Checking that an Ed25519 signature-verify instruction vouches for messages in the current
//! instruction's data. The runtime verifies every signature of an Ed25519 instruction before the
//! transaction runs; a program only has to make sure the verified messages are the ones it reads and
//! the keys the ones it expects. Layout of the Ed25519 instruction data: `u8 count, u8 padding`, then
//! per signature 7 little-endian u16s (signature offset, signature instruction, public key offset,
//! public key instruction, message offset, message length, message instruction).

use crate::instructions_sysvar;

/// The Ed25519 signature-verify program.
pub const PROGRAM: crate::Address = crate::Address::from_str_const("Ed25519SigVerify111111111111111111111111111");

/// Where the messages sit in the current instruction's data: message `j` starts at
/// `first_offset + j * stride` and is `len` bytes long.
#[derive(Clone, Copy, Debug)]
pub struct MessageLayout {
    pub count: usize,
    pub first_offset: usize,
    pub stride: usize,
    pub len: usize,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BatchError {
    /// No Ed25519 instruction right before the current one.
    Missing,
    /// It verifies other messages, another number of them, or keeps keys elsewhere.
    Mismatch,
}

/// The Ed25519 instruction right before the current one, checked against `layout`.
pub struct SignatureBatch<'a> {
    data: &'a [u8],
}

fn u16_at(data: &[u8], at: usize) -> u16 {
    u16::from_le_bytes([data[at], data[at + 1]])
}

impl<'a> SignatureBatch<'a> {
    /// Finds the Ed25519 instruction preceding the current one in `sysvar` (the instructions sysvar's
    /// data) and checks that it verifies exactly `layout.count` signatures, each over message `j` of
    /// the current instruction, with signature and public key in its own data.
    pub fn preceding(sysvar: &'a [u8], layout: &MessageLayout) -> Result<Self, BatchError> {
        let current = instructions_sysvar::current_index(sysvar).ok_or(BatchError::Missing)?;
        let index = current.checked_sub(1).ok_or(BatchError::Missing)?;
        let (program, data) = instructions_sysvar::instruction(sysvar, index).ok_or(BatchError::Missing)?;
        if program != PROGRAM.as_ref() {
            return Err(BatchError::Missing);
        }
        if data.len() < 2 + 14 * layout.count || data[0] as usize != layout.count {
            return Err(BatchError::Mismatch);
        }
        for j in 0..layout.count {
            let o = 2 + 14 * j;
            let pubkey_offset = u16_at(data, o + 4) as usize;
            if u16_at(data, o + 2) != index
                || u16_at(data, o + 6) != index
                || u16_at(data, o + 8) as usize != layout.first_offset + j * layout.stride
                || u16_at(data, o + 10) as usize != layout.len
                || u16_at(data, o + 12) != current
                || data.len() < pubkey_offset + 32
            {
                return Err(BatchError::Mismatch);
            }
        }
        Ok(Self { data })
    }

    /// The public key that signed message `j`.
    pub fn signer(&self, j: usize) -> &'a [u8] {
        let at = u16_at(self.data, 2 + 14 * j + 4) as usize;
        &self.data[at..at + 32]
    }
}
