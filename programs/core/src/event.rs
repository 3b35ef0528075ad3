//! Anchor-format events: sha256("event:<Name>")[0..8] ++ the Borsh (= `Pod`) bytes of the event,
//! written as one `sol_log_data` entry so it appears as a single `Program data:` line.

use crate::pod::{bytes_of, Layout};

/// The most event bytes one `emit` writes, discriminator included.
pub const MAX_EVENT_LEN: usize = 512;

/// An event type; `emit` logs it.
pub trait Event: Layout {
    const DISCRIMINATOR: [u8; 8] = crate::discriminator::event(Self::NAME);

    #[inline(always)]
    fn emit(&self) {
        const { assert!(8 + core::mem::size_of::<Self>() <= MAX_EVENT_LEN) };
        let body = bytes_of(self);
        let mut buf = [0u8; MAX_EVENT_LEN];
        buf[..8].copy_from_slice(&Self::DISCRIMINATOR);
        crate::syscalls::memcpy(&mut buf[8..8 + body.len()], body);
        crate::syscalls::log_data(&buf[..8 + body.len()]);
    }
}
