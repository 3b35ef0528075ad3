//! Numbered errors. Every program owns a range of codes; codes are append-only (a retired error keeps
//! its number). Shared loader errors: 6000..=6099. Staking: 6100..=6199. Leases: 6200..=6299.
//! Rewards: 6300..=6399.

use crate::idl::ErrorSpec;

/// Declares a `#[repr(u32)]` error enum with fixed codes and messages, its conversion into
/// `ProgramError::Custom`, and its `SPECS` table for the IDL.
#[macro_export]
macro_rules! error_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $code:literal => $msg:literal ),* $(,)?
        }
    ) => {
        $(#[$meta])*
        #[repr(u32)]
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum $name {
            $( $(#[$vmeta])* $variant = $code ),*
        }

        impl $name {
            pub const SPECS: &'static [$crate::idl::ErrorSpec] = &[
                $( $crate::idl::ErrorSpec { code: $code, name: stringify!($variant), msg: $msg } ),*
            ];

            pub const fn code(self) -> u32 {
                self as u32
            }
        }

        impl From<$name> for $crate::ProgramError {
            #[inline(always)]
            fn from(e: $name) -> Self {
                $crate::ProgramError::Custom(e as u32)
            }
        }
    };
}

error_enum! {
    /// Errors raised by the shared account loaders and helpers (6000..=6099).
    pub enum CoreError {
        MissingSigner = 6000 => "A required signature is missing",
        NotWritable = 6001 => "An account that must be writable is read-only",
        WrongOwner = 6002 => "The account is owned by the wrong program",
        WrongDiscriminator = 6003 => "The account holds a different type",
        WrongLength = 6004 => "The account data has the wrong length",
        WrongPda = 6005 => "The account is not the expected program address",
        AlreadyInitialized = 6006 => "The account already exists",
        WrongProgram = 6007 => "A program account is not the expected program",
        WrongMint = 6008 => "The token account holds a different mint",
        WrongTokenOwner = 6009 => "The token account belongs to someone else",
        InvalidInstructionData = 6010 => "The instruction data is malformed",
        UnknownInstruction = 6011 => "Unknown instruction discriminator",
        NotEnoughAccounts = 6012 => "Not enough accounts for this instruction",
        Overflow = 6013 => "Arithmetic overflow",
        DuplicateAccount = 6014 => "The same account was passed twice where distinct accounts are required",
        InvalidTokenAccount = 6015 => "The account is not an initialised token account",
    }
}

/// Checks that the codes of a program's error tables are unique, ascending and inside `range`.
pub fn check_error_table(specs: &[ErrorSpec], range: core::ops::RangeInclusive<u32>) -> bool {
    specs.windows(2).all(|w| w[0].code < w[1].code) && specs.iter().all(|s| range.contains(&s.code) && !s.msg.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn core_codes_are_in_range_and_append_only() {
        assert!(check_error_table(CoreError::SPECS, 6000..=6099));
        assert_eq!(CoreError::MissingSigner.code(), 6000);
        assert_eq!(CoreError::InvalidTokenAccount.code(), 6015);
        assert_eq!(crate::ProgramError::from(CoreError::WrongPda), crate::ProgramError::Custom(6005));
    }
}
