//! Cross-program invocations every program needs: creating a PDA-owned account (robust to a
//! pre-funded address) and SPL Token transfers signed by a wallet or by a PDA.

use pinocchio::cpi::Signer;
use pinocchio_system::instructions::{Allocate, Assign, CreateAccount, Transfer as SystemTransfer};
use pinocchio_token::instructions::Transfer;

use crate::{AccountView, Address, ProgramResult};

/// A program-owned account to create. Arguments travel in this struct because the eBPF backend
/// passes at most five arguments in registers.
pub struct NewAccount<'a> {
    /// Pays rent; signs the transaction.
    pub payer: &'a AccountView,
    /// The account to create: a PDA (signed for with seeds) or a keypair that signed the transaction.
    pub account: &'a AccountView,
    pub space: usize,
    pub owner: &'a Address,
}

impl NewAccount<'_> {
    /// Creates a PDA account, signing for it with `signer`.
    pub fn create_pda(&self, signer: &Signer) -> ProgramResult {
        self.create(core::slice::from_ref(signer))
    }

    /// Creates the account, rent-exempt. `signers` are PDA seeds (empty when the account signed the
    /// transaction itself). If someone already sent lamports to the address (which would make a
    /// plain `CreateAccount` fail), tops it up and allocates and assigns instead.
    pub fn create(&self, signers: &[Signer]) -> ProgramResult {
        let required = crate::syscalls::rent_exempt_minimum(self.space)?;
        let current = self.account.lamports();
        if current == 0 {
            return CreateAccount { from: self.payer, to: self.account, lamports: required, space: self.space as u64, owner: self.owner }
                .invoke_signed(signers);
        }
        if current < required {
            SystemTransfer { from: self.payer, to: self.account, lamports: required - current }.invoke()?;
        }
        Allocate { account: self.account, space: self.space as u64 }.invoke_signed(signers)?;
        Assign { account: self.account, owner: self.owner }.invoke_signed(signers)
    }
}

/// An SPL Token transfer of `amount` from `from` to `to`, authorised by `authority`.
pub struct TokenTransfer<'a> {
    pub from: &'a AccountView,
    pub to: &'a AccountView,
    pub authority: &'a AccountView,
    pub amount: u64,
}

impl TokenTransfer<'_> {
    /// `authority` is a wallet that signed the transaction.
    #[inline(always)]
    pub fn invoke(&self) -> ProgramResult {
        Transfer::new(self.from, self.to, self.authority, self.amount).invoke()
    }

    /// `authority` is a PDA of the calling program, signed for with `signer`.
    #[inline(always)]
    pub fn invoke_signed(&self, signer: &Signer) -> ProgramResult {
        Transfer::new(self.from, self.to, self.authority, self.amount).invoke_signed(core::slice::from_ref(signer))
    }
}

/// Initialises `account` (already allocated with 165 bytes and owned by the token program) as a token
/// account of `mint` whose authority is `owner`.
#[inline(always)]
pub fn initialize_token_account(account: &AccountView, mint: &AccountView, owner: &Address) -> ProgramResult {
    pinocchio_token::instructions::InitializeAccount3::new(account, mint, owner).invoke()
}
