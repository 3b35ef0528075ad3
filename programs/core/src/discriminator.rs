//! Anchor discriminators: the first 8 bytes of sha256("<namespace>:<name>").

use crate::error::CoreError;
use crate::pod::{from_bytes, Pod};
use crate::sha256::sha256_concat;
use crate::{ProgramError, ProgramResult};

/// Reads an instruction's argument struct; the data must be exactly its size.
#[inline(always)]
pub fn args<T: Pod>(data: &[u8]) -> Result<&T, ProgramError> {
    from_bytes::<T>(data).ok_or_else(|| CoreError::InvalidInstructionData.into())
}

/// For an instruction without arguments: the data after the discriminator must be empty.
#[inline(always)]
pub fn no_args(data: &[u8]) -> ProgramResult {
    if data.is_empty() {
        Ok(())
    } else {
        Err(CoreError::InvalidInstructionData.into())
    }
}

const fn first8(h: [u8; 32]) -> [u8; 8] {
    [h[0], h[1], h[2], h[3], h[4], h[5], h[6], h[7]]
}

/// Instruction discriminator: sha256("global:<snake_case_name>")[0..8].
pub const fn instruction(snake_name: &str) -> [u8; 8] {
    first8(sha256_concat(b"global:", snake_name.as_bytes()))
}

/// Account discriminator: sha256("account:<PascalName>")[0..8].
pub const fn account(pascal_name: &str) -> [u8; 8] {
    first8(sha256_concat(b"account:", pascal_name.as_bytes()))
}

/// Event discriminator: sha256("event:<PascalName>")[0..8].
pub const fn event(pascal_name: &str) -> [u8; 8] {
    first8(sha256_concat(b"event:", pascal_name.as_bytes()))
}

/// Declares a program's instruction enum from `(Variant, "snake_name")` pairs: `ALL`, `name()`,
/// `discriminator()` and `unpack()` (split data into instruction and argument bytes; unknown
/// discriminators and data shorter than 8 bytes get their numbered errors).
#[macro_export]
macro_rules! instruction_set {
    ($(#[$meta:meta])* pub enum $name:ident { $($variant:ident = $snake:literal),* $(,)? }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum $name { $($variant),* }

        impl $name {
            pub const ALL: &'static [Self] = &[$(Self::$variant),*];
            const DISCRIMINATORS: &'static [u64] = &[
                $(u64::from_le_bytes($crate::discriminator::instruction($snake))),*
            ];

            pub const fn name(self) -> &'static str {
                match self { $(Self::$variant => $snake),* }
            }

            pub const fn discriminator(self) -> [u8; 8] {
                $crate::discriminator::instruction(self.name())
            }

            /// Accounts and arguments, from the `SPECS` table declared beside the enum.
            pub const fn spec(self) -> &'static $crate::idl::InstructionSpec {
                &SPECS[self as usize]
            }

            /// Splits instruction data into the instruction and its argument bytes.
            #[inline(always)]
            pub fn unpack(data: &[u8]) -> Result<(Self, &[u8]), $crate::ProgramError> {
                let Some((disc, args)) = data.split_first_chunk::<8>() else {
                    return Err($crate::error::CoreError::InvalidInstructionData.into());
                };
                let disc = u64::from_le_bytes(*disc);
                let mut i = 0;
                while i < Self::DISCRIMINATORS.len() {
                    if Self::DISCRIMINATORS[i] == disc {
                        return Ok((Self::ALL[i], args));
                    }
                    i += 1;
                }
                Err($crate::error::CoreError::UnknownInstruction.into())
            }
        }
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn anchor_known_values() {
        // Values Anchor itself produces: `initialize` is the default instruction of `anchor init`,
        // and the SPL-style `global:transfer`.
        assert_eq!(instruction("initialize"), [175, 175, 109, 31, 13, 152, 155, 237]);
        assert_ne!(account("Device"), event("Device"));
    }
}
