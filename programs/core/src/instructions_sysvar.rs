//! Reading the instructions sysvar (`Sysvar1nstructions1111111111111111111111111`), which the runtime
//! fills with every instruction of the transaction: `u16 count`, `u16 offset` per instruction, then
//! each instruction as `u16 account count`, `(u8 flags, [u8; 32] key)` per account, `[u8; 32]
//! program id`, `u16 data length`, data; the last two bytes are the index of the executing instruction.
//! Every read is bounds-checked: malformed data yields `None`.

/// The index of the instruction being executed.
pub fn current_index(sysvar: &[u8]) -> Option<u16> {
    let n = sysvar.len();
    if n < 2 {
        return None;
    }
    Some(u16::from_le_bytes([sysvar[n - 2], sysvar[n - 1]]))
}

fn read_u16(data: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes([*data.get(at)?, *data.get(at + 1)?]))
}

/// The program id and data of instruction `index`.
pub fn instruction(sysvar: &[u8], index: u16) -> Option<(&[u8], &[u8])> {
    let count = read_u16(sysvar, 0)?;
    if index >= count {
        return None;
    }
    let start = read_u16(sysvar, 2 + 2 * index as usize)? as usize;
    let accounts = read_u16(sysvar, start)? as usize;
    let program_at = start + 2 + accounts * 33;
    let program = sysvar.get(program_at..program_at + 32)?;
    let len = read_u16(sysvar, program_at + 32)? as usize;
    let data = sysvar.get(program_at + 34..program_at + 34 + len)?;
    Some((program, data))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Serialises instructions the way the runtime does.
    fn serialize(ixs: &[(u8, &[u8], usize)], current: u16) -> ([u8; 512], usize) {
        let mut out = [0u8; 512];
        let mut n = 0;
        let put = |bytes: &[u8], out: &mut [u8; 512], n: &mut usize| {
            out[*n..*n + bytes.len()].copy_from_slice(bytes);
            *n += bytes.len();
        };
        put(&(ixs.len() as u16).to_le_bytes(), &mut out, &mut n);
        let offsets_at = n;
        n += 2 * ixs.len();
        for (i, (program, data, accounts)) in ixs.iter().enumerate() {
            let at = n as u16;
            out[offsets_at + 2 * i..offsets_at + 2 * i + 2].copy_from_slice(&at.to_le_bytes());
            put(&(*accounts as u16).to_le_bytes(), &mut out, &mut n);
            for a in 0..*accounts {
                put(&[1], &mut out, &mut n);
                put(&[a as u8; 32], &mut out, &mut n);
            }
            put(&[*program; 32], &mut out, &mut n);
            put(&(data.len() as u16).to_le_bytes(), &mut out, &mut n);
            put(data, &mut out, &mut n);
        }
        put(&current.to_le_bytes(), &mut out, &mut n);
        (out, n)
    }

    #[test]
    fn finds_instructions_and_the_current_index() {
        let (buf, n) = serialize(&[(7, b"abc", 2), (9, b"hello", 0)], 1);
        let s = &buf[..n];
        assert_eq!(current_index(s), Some(1));
        assert_eq!(instruction(s, 0), Some((&[7u8; 32][..], &b"abc"[..])));
        assert_eq!(instruction(s, 1), Some((&[9u8; 32][..], &b"hello"[..])));
        assert_eq!(instruction(s, 2), None);
        // Truncated data never reads out of bounds.
        for cut in 0..n {
            let _ = instruction(&s[..cut], 1);
            let _ = current_index(&s[..cut]);
        }
    }
}
