//! Plain-old-data field types with alignment 1, and the `pod_struct!` macro.
//!
//! Account, instruction-argument and event layouts are `#[repr(C)]` structs of these types only, so
//! the C layout has no padding and equals the Borsh encoding Anchor's coder expects (little-endian
//! integers, 32-byte public keys, fixed byte arrays). `pod_struct!` also records each struct's field
//! list, which the IDL is generated from: the layout and its description cannot disagree.

use crate::idl::{Field, Ty};
use crate::Address;

/// A type for which every byte pattern is a valid value and whose alignment is 1.
///
/// # Safety
/// Implementors must be `#[repr(C)]` or `#[repr(transparent)]` over byte arrays or other `Pod` types,
/// with alignment 1 and no padding. `pod_struct!` checks both at compile time.
pub unsafe trait Pod: Copy + 'static {}

/// How a field type is written in an Anchor IDL.
pub trait IdlType {
    const TY: Ty;
}

/// A struct with a name and a recorded field list.
pub trait Layout: Pod {
    const NAME: &'static str;
    const FIELDS: &'static [Field];
}

macro_rules! pod_int {
    ($(#[$m:meta])* $name:ident, $int:ty, $n:literal, $ty:expr) => {
        $(#[$m])*
        #[repr(transparent)]
        #[derive(Clone, Copy, Default, PartialEq, Eq)]
        pub struct $name(pub [u8; $n]);

        impl $name {
            #[inline(always)]
            pub const fn new(v: $int) -> Self {
                Self(v.to_le_bytes())
            }
            #[inline(always)]
            pub const fn get(self) -> $int {
                <$int>::from_le_bytes(self.0)
            }
            #[inline(always)]
            pub fn set(&mut self, v: $int) {
                self.0 = v.to_le_bytes();
            }
        }

        impl From<$int> for $name {
            fn from(v: $int) -> Self {
                Self::new(v)
            }
        }

        impl core::fmt::Debug for $name {
            fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                self.get().fmt(f)
            }
        }

        // SAFETY: a transparent wrapper over a byte array: alignment 1, any bytes valid.
        unsafe impl Pod for $name {}

        impl IdlType for $name {
            const TY: Ty = $ty;
        }
    };
}

pod_int!(/// Little-endian `u16`.
    PodU16, u16, 2, Ty::U16);
pod_int!(/// Little-endian `u32`.
    PodU32, u32, 4, Ty::U32);
pod_int!(/// Little-endian `u64`.
    PodU64, u64, 8, Ty::U64);
pod_int!(/// Little-endian `i64` (unix timestamps).
    PodI64, i64, 8, Ty::I64);

/// A Borsh `bool`: one byte, 0 or 1. Any other byte reads as `true`, so it stays `Pod`.
#[repr(transparent)]
#[derive(Clone, Copy, Default, PartialEq, Eq, Debug)]
pub struct PodBool(pub u8);

impl PodBool {
    pub const fn new(v: bool) -> Self {
        Self(v as u8)
    }
    pub const fn get(self) -> bool {
        self.0 != 0
    }
}

// SAFETY: a transparent wrapper over `u8`.
unsafe impl Pod for PodBool {}
impl IdlType for PodBool {
    const TY: Ty = Ty::Bool;
}

// SAFETY: `u8` has alignment 1 and every value is valid.
unsafe impl Pod for u8 {}
impl IdlType for u8 {
    const TY: Ty = Ty::U8;
}

// SAFETY: byte arrays have alignment 1 and every value is valid.
unsafe impl<const N: usize> Pod for [u8; N] {}
impl<const N: usize> IdlType for [u8; N] {
    const TY: Ty = Ty::Bytes(N);
}

// SAFETY: `Address` is a transparent wrapper over `[u8; 32]`.
unsafe impl Pod for Address {}
impl IdlType for Address {
    const TY: Ty = Ty::Pubkey;
}

// SAFETY: arrays of `Address` have alignment 1 and every value is valid.
unsafe impl<const N: usize> Pod for [Address; N] {}
impl<const N: usize> IdlType for [Address; N] {
    const TY: Ty = Ty::PubkeyArray(N);
}

/// Views `bytes` as a `T` if the length is exactly `size_of::<T>()`.
#[inline(always)]
pub fn from_bytes<T: Pod>(bytes: &[u8]) -> Option<&T> {
    if bytes.len() != core::mem::size_of::<T>() {
        return None;
    }
    // SAFETY: the length matches, `T` has alignment 1 and every byte pattern is a valid `T`.
    Some(unsafe { &*(bytes.as_ptr() as *const T) })
}

/// Views `bytes` as a mutable `T` if the length is exactly `size_of::<T>()`.
#[inline(always)]
pub fn from_bytes_mut<T: Pod>(bytes: &mut [u8]) -> Option<&mut T> {
    if bytes.len() != core::mem::size_of::<T>() {
        return None;
    }
    // SAFETY: as in `from_bytes`, and the exclusive borrow of `bytes` is carried over.
    Some(unsafe { &mut *(bytes.as_mut_ptr() as *mut T) })
}

/// The bytes of a `Pod` value.
#[inline(always)]
pub fn bytes_of<T: Pod>(v: &T) -> &[u8] {
    // SAFETY: `T` is `Pod` (no padding, alignment 1), so all `size_of::<T>()` bytes are initialised.
    unsafe { core::slice::from_raw_parts(v as *const T as *const u8, core::mem::size_of::<T>()) }
}

/// The sum of the IDL sizes of `fields`; equals `size_of` of the struct they describe.
pub const fn fields_size(fields: &[Field]) -> usize {
    let mut total = 0;
    let mut i = 0;
    while i < fields.len() {
        total += fields[i].ty.size();
        i += 1;
    }
    total
}

/// Declares a `#[repr(C)]` alignment-1 struct, implements [`Pod`] and [`Layout`] for it, and checks at
/// compile time that it has no padding and that its recorded field list adds up to its size.
#[macro_export]
macro_rules! pod_struct {
    (
        $(#[$meta:meta])*
        pub struct $name:ident {
            $( $(#[$fmeta:meta])* pub $field:ident : $ty:ty ),* $(,)?
        }
    ) => {
        $(#[$meta])*
        #[repr(C)]
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub struct $name {
            $( $(#[$fmeta])* pub $field: $ty ),*
        }

        // SAFETY: every field is `Pod`; the assertions below prove alignment 1 and no padding.
        unsafe impl $crate::pod::Pod for $name {}

        impl $crate::pod::Layout for $name {
            const NAME: &'static str = stringify!($name);
            const FIELDS: &'static [$crate::idl::Field] = &[
                $( $crate::idl::Field {
                    name: stringify!($field),
                    ty: <$ty as $crate::pod::IdlType>::TY,
                } ),*
            ];
        }

        const _: () = {
            assert!(core::mem::align_of::<$name>() == 1);
            assert!(core::mem::size_of::<$name>() == 0 $( + core::mem::size_of::<$ty>() )*);
            assert!(
                core::mem::size_of::<$name>()
                    == $crate::pod::fields_size(<$name as $crate::pod::Layout>::FIELDS)
            );
        };
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    pod_struct! {
        /// A test layout mixing every field type.
        pub struct Sample {
            pub a: u8,
            pub b: PodU64,
            pub c: Address,
            pub d: [u8; 3],
            pub e: PodI64,
            pub f: PodBool,
            pub g: PodU16,
            pub h: PodU32,
        }
    }

    #[test]
    fn no_padding_and_borsh_order() {
        assert_eq!(core::mem::size_of::<Sample>(), 1 + 8 + 32 + 3 + 8 + 1 + 2 + 4);
        assert_eq!(fields_size(Sample::FIELDS), core::mem::size_of::<Sample>());
        let s = Sample {
            a: 1,
            b: PodU64::new(0x0102_0304_0506_0708),
            c: Address::new_from_array([9; 32]),
            d: [1, 2, 3],
            e: PodI64::new(-2),
            f: PodBool::new(true),
            g: PodU16::new(0xbeef),
            h: PodU32::new(7),
        };
        let bytes = bytes_of(&s);
        assert_eq!(bytes[0], 1);
        assert_eq!(&bytes[1..9], &0x0102_0304_0506_0708u64.to_le_bytes());
        assert_eq!(&bytes[41..44], &[1, 2, 3]);
        assert_eq!(&bytes[44..52], &(-2i64).to_le_bytes());
        assert_eq!(from_bytes::<Sample>(bytes), Some(&s));
        assert!(from_bytes::<Sample>(&bytes[1..]).is_none());
        assert_eq!(Sample::FIELDS[2].name, "c");
        assert_eq!(Sample::FIELDS[3].ty, Ty::Bytes(3));
    }
}
