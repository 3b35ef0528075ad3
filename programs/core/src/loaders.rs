//! Typed account loaders. Every instruction validates its accounts in one block through these, so each
//! check (owner, discriminator, length, signer, writable, canonical PDA) is written once.
//!
//! Canonical PDAs: an account is checked against its canonical PDA (found by search, `canonical_pda`)
//! when it is created, and its bump is stored. Later, `load`/`load_mut` accept an account by owner,
//! length and discriminator without re-deriving the address (1,500 CU per derivation): only this
//! program can write bytes into an account it owns, and it only ever creates each type at its
//! canonical address, so a program-owned account with the right discriminator *is* the canonical PDA.
//! Instructions still compare the identifying fields they rely on (e.g. a Device's owner, a GpuTier's
//! model, the Config's recorded vault).

use pinocchio::account::{Ref, RefMut};

use crate::error::CoreError;
use crate::pod::{from_bytes, from_bytes_mut, Layout};
use crate::{AccountView, Address, ProgramError};

/// A program-owned account type: its discriminator is sha256("account:<Name>")[0..8] and its data is
/// the discriminator followed by the `Pod` layout.
pub trait AccountType: Layout {
    const DISCRIMINATOR: [u8; 8] = crate::discriminator::account(Self::NAME);
    /// Total data length: discriminator plus layout.
    const LEN: usize = 8 + core::mem::size_of::<Self>();
}

#[inline(always)]
pub fn signer(a: &AccountView) -> Result<(), ProgramError> {
    if a.is_signer() {
        Ok(())
    } else {
        Err(CoreError::MissingSigner.into())
    }
}

#[inline(always)]
pub fn writable(a: &AccountView) -> Result<(), ProgramError> {
    if a.is_writable() {
        Ok(())
    } else {
        Err(CoreError::NotWritable.into())
    }
}

#[inline(always)]
pub fn owned_by(a: &AccountView, owner: &Address) -> Result<(), ProgramError> {
    if a.owned_by(owner) {
        Ok(())
    } else {
        Err(CoreError::WrongOwner.into())
    }
}

/// The account is the program (or sysvar) at `id`.
#[inline(always)]
pub fn program(a: &AccountView, id: &Address) -> Result<(), ProgramError> {
    if a.address() == id {
        Ok(())
    } else {
        Err(CoreError::WrongProgram.into())
    }
}

/// The accounts are distinct.
#[inline(always)]
pub fn distinct(a: &AccountView, b: &AccountView) -> Result<(), ProgramError> {
    if a.address() != b.address() {
        Ok(())
    } else {
        Err(CoreError::DuplicateAccount.into())
    }
}

/// The account is `seeds ++ [bump]` derived from `program_id`, with the stored canonical bump.
#[inline(always)]
pub fn pda(a: &AccountView, seeds_with_bump: &[&[u8]], program_id: &Address) -> Result<(), ProgramError> {
    let expected = crate::syscalls::create_program_address(seeds_with_bump, program_id)?;
    if a.address() == &expected {
        Ok(())
    } else {
        Err(CoreError::WrongPda.into())
    }
}

/// The account is the canonical PDA of `seeds` (bump found by search); returns that bump. For
/// initialisation, where no bump is stored yet.
#[inline(always)]
pub fn canonical_pda(a: &AccountView, seeds: &[&[u8]], program_id: &Address) -> Result<u8, ProgramError> {
    let (expected, bump) = crate::syscalls::find_program_address(seeds, program_id)?;
    if a.address() == &expected {
        Ok(bump)
    } else {
        Err(CoreError::WrongPda.into())
    }
}

/// An account that does not exist yet: no data, owned by the system program.
#[inline(always)]
pub fn uninitialized(a: &AccountView) -> Result<(), ProgramError> {
    if a.is_data_empty() && a.owned_by(&pinocchio_system::ID) {
        Ok(())
    } else {
        Err(CoreError::AlreadyInitialized.into())
    }
}

#[inline(always)]
fn check_type<T: AccountType>(a: &AccountView, program_id: &Address) -> Result<(), ProgramError> {
    owned_by(a, program_id)?;
    if a.data_len() != T::LEN {
        return Err(CoreError::WrongLength.into());
    }
    Ok(())
}

#[inline(always)]
fn split_typed<T: AccountType>(data: &[u8]) -> Result<&T, ProgramError> {
    let (disc, body) = data.split_at(8);
    if disc != T::DISCRIMINATOR {
        return Err(CoreError::WrongDiscriminator.into());
    }
    from_bytes::<T>(body).ok_or_else(|| CoreError::WrongLength.into())
}

/// Borrows a program-owned account of type `T` (owner, length and discriminator checked).
#[inline(always)]
pub fn load<'a, T: AccountType>(a: &'a AccountView, program_id: &Address) -> Result<Ref<'a, T>, ProgramError> {
    check_type::<T>(a, program_id)?;
    let data = a.try_borrow()?;
    split_typed::<T>(&data)?;
    Ok(Ref::map(data, |d| {
        // The checks above passed on these same bytes.
        from_bytes::<T>(&d[8..]).expect("checked")
    }))
}

/// Mutably borrows a writable program-owned account of type `T`.
#[inline(always)]
pub fn load_mut<'a, T: AccountType>(a: &'a mut AccountView, program_id: &Address) -> Result<RefMut<'a, T>, ProgramError> {
    writable(a)?;
    check_type::<T>(a, program_id)?;
    let data = a.try_borrow_mut()?;
    split_typed::<T>(&data)?;
    Ok(RefMut::map(data, |d| from_bytes_mut::<T>(&mut d[8..]).expect("checked")))
}

/// Writes the discriminator of a freshly created account of type `T` and returns its zeroed body.
#[inline(always)]
pub fn init<'a, T: AccountType>(a: &'a mut AccountView, program_id: &Address) -> Result<RefMut<'a, T>, ProgramError> {
    check_type::<T>(a, program_id)?;
    let mut data = a.try_borrow_mut()?;
    if data[..8] != [0u8; 8] {
        return Err(CoreError::AlreadyInitialized.into());
    }
    data[..8].copy_from_slice(&T::DISCRIMINATOR);
    Ok(RefMut::map(data, |d| from_bytes_mut::<T>(&mut d[8..]).expect("checked")))
}

/// The fields of an SPL token account that programs check.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TokenAccountInfo {
    pub mint: Address,
    pub owner: Address,
    pub amount: u64,
}

/// Length of an SPL Token account.
pub const TOKEN_ACCOUNT_LEN: usize = 165;
/// Length of an SPL Token mint.
pub const MINT_LEN: usize = 82;

/// Reads an initialised SPL Token account owned by the token program and checks its mint and,
/// if given, its owner.
#[inline(always)]
pub fn token_account(a: &AccountView, mint: &Address, owner: Option<&Address>) -> Result<TokenAccountInfo, ProgramError> {
    owned_by(a, &pinocchio_token::ID)?;
    let data = a.try_borrow()?;
    // state byte 108: 1 = initialised, 2 = frozen.
    if data.len() != TOKEN_ACCOUNT_LEN || data[108] != 1 {
        return Err(CoreError::InvalidTokenAccount.into());
    }
    let info = TokenAccountInfo {
        mint: Address::new_from_array(data[0..32].try_into().expect("32 bytes")),
        owner: Address::new_from_array(data[32..64].try_into().expect("32 bytes")),
        amount: u64::from_le_bytes(data[64..72].try_into().expect("8 bytes")),
    };
    if &info.mint != mint {
        return Err(CoreError::WrongMint.into());
    }
    if let Some(owner) = owner {
        if &info.owner != owner {
            return Err(CoreError::WrongTokenOwner.into());
        }
    }
    Ok(info)
}

/// Reads an initialised SPL Token mint and returns its decimals.
#[inline(always)]
pub fn mint_decimals(a: &AccountView) -> Result<u8, ProgramError> {
    owned_by(a, &pinocchio_token::ID)?;
    let data = a.try_borrow()?;
    // decimals at 44, is_initialized at 45.
    if data.len() != MINT_LEN || data[45] != 1 {
        return Err(CoreError::InvalidTokenAccount.into());
    }
    Ok(data[44])
}

/// Closes a program-owned account: zeroes its discriminator (so nothing can revive it as its old type
/// within the transaction), moves its lamports to `destination`, and hands it back to the system
/// program with no data.
pub fn close(account: &mut AccountView, destination: &mut AccountView) -> Result<(), ProgramError> {
    writable(account)?;
    writable(destination)?;
    distinct(account, destination)?;
    {
        let mut data = account.try_borrow_mut()?;
        let n = data.len().min(8);
        data[..n].fill(0);
    }
    let lamports = account.lamports();
    let total = destination.lamports().checked_add(lamports).ok_or(CoreError::Overflow)?;
    destination.set_lamports(total);
    account.set_lamports(0);
    account.close()
}

/// A writable account of `program_id` whose length is `T`'s plus a whole number of `E` entries.
#[inline(always)]
fn writable_tail_account<T: AccountType, E: crate::pod::Pod>(a: &AccountView, program_id: &Address) -> Result<(), ProgramError> {
    writable(a)?;
    owned_by(a, program_id)?;
    let len = a.data_len();
    if len < T::LEN || (len - T::LEN) % core::mem::size_of::<E>() != 0 {
        return Err(CoreError::WrongLength.into());
    }
    Ok(())
}

/// Mutably borrows a program-owned account of type `T` followed by a table of `E` entries (owner,
/// discriminator and a length of `T::LEN + n * size_of::<E>()` checked). Returns the raw data; split
/// it with [`split_with_tail`].
#[inline(always)]
pub fn load_mut_with_tail<'a, T: AccountType, E: crate::pod::Pod>(a: &'a mut AccountView, program_id: &Address) -> Result<RefMut<'a, [u8]>, ProgramError> {
    writable_tail_account::<T, E>(a, program_id)?;
    let data = a.try_borrow_mut()?;
    if data[..8] != T::DISCRIMINATOR {
        return Err(CoreError::WrongDiscriminator.into());
    }
    Ok(data)
}

/// Splits checked account data into its header `T` and its entries `E`.
#[inline(always)]
pub fn split_with_tail<T: AccountType, E: crate::pod::Pod>(data: &mut [u8]) -> (&mut T, &mut [E]) {
    let (head, tail) = data[8..].split_at_mut(core::mem::size_of::<T>());
    let header = from_bytes_mut::<T>(head).expect("length checked by load_mut_with_tail");
    let n = tail.len() / core::mem::size_of::<E>();
    // SAFETY: `E` is Pod with alignment 1 and the tail holds exactly `n` entries (checked on load).
    let entries = unsafe { core::slice::from_raw_parts_mut(tail.as_mut_ptr() as *mut E, n) };
    (header, entries)
}

/// Writes the discriminator of a freshly created account of type `T` followed by a table of `E`
/// entries, and returns its data (split it with [`split_with_tail`]).
#[inline(always)]
pub fn init_with_tail<'a, T: AccountType, E: crate::pod::Pod>(a: &'a mut AccountView, program_id: &Address) -> Result<RefMut<'a, [u8]>, ProgramError> {
    writable_tail_account::<T, E>(a, program_id)?;
    let mut data = a.try_borrow_mut()?;
    if data[..8] != [0u8; 8] {
        return Err(CoreError::AlreadyInitialized.into());
    }
    data[..8].copy_from_slice(&T::DISCRIMINATOR);
    Ok(data)
}
