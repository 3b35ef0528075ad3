//! Builders for the staking instructions other programs call, in pinocchio's shape: fill the accounts
//! and arguments, then `invoke_signed` with the caller's PDA seeds. The account order is the one in
//! [`crate::instruction::SPECS`]; the data is the instruction's discriminator followed by its argument
//! struct's bytes.

use hourglass_core::pinocchio::cpi::{invoke_signed, Signer};
use hourglass_core::pinocchio::instruction::{InstructionAccount, InstructionView};
use hourglass_core::pod::{bytes_of, PodU16};
use hourglass_core::{AccountView, Address, ProgramResult};

use crate::instruction::{AssignLeaseArgs, SlashArgs, StakingInstruction};

/// Room for a discriminator and the largest argument struct sent here.
const DATA_MAX: usize = 8 + core::mem::size_of::<AssignLeaseArgs>();

/// Discriminator then argument bytes.
struct Data {
    buf: [u8; DATA_MAX],
    len: usize,
}

impl Data {
    #[inline(always)]
    fn new(ix: StakingInstruction, args: &[u8]) -> Self {
        let mut buf = [0u8; DATA_MAX];
        buf[..8].copy_from_slice(&ix.discriminator());
        buf[8..8 + args.len()].copy_from_slice(args);
        Data { buf, len: 8 + args.len() }
    }

    #[inline(always)]
    fn bytes(&self) -> &[u8] {
        &self.buf[..self.len]
    }
}

/// `slash`: the lease authority takes `bps` of every stake on `device` into the treasury.
pub struct Slash<'a> {
    pub lease_authority: &'a AccountView,
    pub config: &'a AccountView,
    pub device: &'a AccountView,
    pub stake_vault: &'a AccountView,
    pub treasury: &'a AccountView,
    pub token_program: &'a AccountView,
    pub bps: u16,
    pub reason: u8,
}

impl Slash<'_> {
    #[inline(always)]
    pub fn invoke_signed(&self, signers: &[Signer]) -> ProgramResult {
        let args = SlashArgs { bps: PodU16::new(self.bps), reason: self.reason };
        let data = Data::new(StakingInstruction::Slash, bytes_of(&args));
        let metas = [
            InstructionAccount::new(self.lease_authority.address(), false, true),
            InstructionAccount::new(self.config.address(), false, false),
            InstructionAccount::new(self.device.address(), true, false),
            InstructionAccount::new(self.stake_vault.address(), true, false),
            InstructionAccount::new(self.treasury.address(), true, false),
            InstructionAccount::new(self.token_program.address(), false, false),
        ];
        let ix = InstructionView { program_id: &crate::ID, data: data.bytes(), accounts: &metas };
        invoke_signed(&ix, &[self.lease_authority, self.config, self.device, self.stake_vault, self.treasury, self.token_program], signers)
    }
}

/// `assign_lease`: the lease authority marks an active device as serving `lease`.
pub struct AssignLease<'a> {
    pub lease_authority: &'a AccountView,
    pub config: &'a AccountView,
    pub device: &'a AccountView,
    pub lease: &'a Address,
}

impl AssignLease<'_> {
    #[inline(always)]
    pub fn invoke_signed(&self, signers: &[Signer]) -> ProgramResult {
        let args = AssignLeaseArgs { lease: *self.lease };
        let data = Data::new(StakingInstruction::AssignLease, bytes_of(&args));
        device_call(self.lease_authority, self.config, self.device, data.bytes(), signers)
    }
}

/// `release_lease`: the lease authority returns a leased device to active.
pub struct ReleaseLease<'a> {
    pub lease_authority: &'a AccountView,
    pub config: &'a AccountView,
    pub device: &'a AccountView,
}

impl ReleaseLease<'_> {
    #[inline(always)]
    pub fn invoke_signed(&self, signers: &[Signer]) -> ProgramResult {
        let data = Data::new(StakingInstruction::ReleaseLease, &[]);
        device_call(self.lease_authority, self.config, self.device, data.bytes(), signers)
    }
}

/// The `[lease_authority (signer), config, device (writable)]` shape of assign_lease and release_lease.
#[inline(always)]
fn device_call(authority: &AccountView, config: &AccountView, device: &AccountView, data: &[u8], signers: &[Signer]) -> ProgramResult {
    let metas = [
        InstructionAccount::new(authority.address(), false, true),
        InstructionAccount::new(config.address(), false, false),
        InstructionAccount::new(device.address(), true, false),
    ];
    let ix = InstructionView { program_id: &crate::ID, data, accounts: &metas };
    invoke_signed(&ix, &[authority, config, device], signers)
}
