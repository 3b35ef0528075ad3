//! SHA-256 as a `const fn` (FIPS 180-4). Used at compile time for Anchor discriminators and on the host;
//! on-chain hashing of runtime data goes through the `sol_sha256` syscall ([`crate::syscalls::sha256`]).

const K: [u32; 64] = [
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74,
    0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d,
    0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e,
    0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5,
    0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
];

const H0: [u32; 8] = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];

/// Byte `i` of the concatenation `a ++ b`, or of the SHA-256 padding that follows it.
const fn padded_byte(a: &[u8], b: &[u8], total_len: usize, i: usize) -> u8 {
    let n = a.len() + b.len();
    if i < a.len() {
        a[i]
    } else if i < n {
        b[i - a.len()]
    } else if i == n {
        0x80
    } else if i >= total_len - 8 {
        let bits = (n as u64) * 8;
        let shift = (total_len - 1 - i) * 8;
        (bits >> shift) as u8
    } else {
        0
    }
}

const fn compress(state: &mut [u32; 8], a: &[u8], b: &[u8], total_len: usize, block: usize) {
    let mut w = [0u32; 64];
    let mut t = 0;
    while t < 16 {
        let base = block * 64 + t * 4;
        w[t] = ((padded_byte(a, b, total_len, base) as u32) << 24)
            | ((padded_byte(a, b, total_len, base + 1) as u32) << 16)
            | ((padded_byte(a, b, total_len, base + 2) as u32) << 8)
            | (padded_byte(a, b, total_len, base + 3) as u32);
        t += 1;
    }
    while t < 64 {
        let s0 = w[t - 15].rotate_right(7) ^ w[t - 15].rotate_right(18) ^ (w[t - 15] >> 3);
        let s1 = w[t - 2].rotate_right(17) ^ w[t - 2].rotate_right(19) ^ (w[t - 2] >> 10);
        w[t] = w[t - 16].wrapping_add(s0).wrapping_add(w[t - 7]).wrapping_add(s1);
        t += 1;
    }
    let mut v = *state;
    t = 0;
    while t < 64 {
        let s1 = v[4].rotate_right(6) ^ v[4].rotate_right(11) ^ v[4].rotate_right(25);
        let ch = (v[4] & v[5]) ^ (!v[4] & v[6]);
        let t1 = v[7].wrapping_add(s1).wrapping_add(ch).wrapping_add(K[t]).wrapping_add(w[t]);
        let s0 = v[0].rotate_right(2) ^ v[0].rotate_right(13) ^ v[0].rotate_right(22);
        let maj = (v[0] & v[1]) ^ (v[0] & v[2]) ^ (v[1] & v[2]);
        let t2 = s0.wrapping_add(maj);
        v[7] = v[6];
        v[6] = v[5];
        v[5] = v[4];
        v[4] = v[3].wrapping_add(t1);
        v[3] = v[2];
        v[2] = v[1];
        v[1] = v[0];
        v[0] = t1.wrapping_add(t2);
        t += 1;
    }
    let mut i = 0;
    while i < 8 {
        state[i] = state[i].wrapping_add(v[i]);
        i += 1;
    }
}

/// SHA-256 of `a ++ b` (two parts so a prefix such as `"account:"` needs no concatenation buffer).
pub const fn sha256_concat(a: &[u8], b: &[u8]) -> [u8; 32] {
    let n = a.len() + b.len();
    // Message plus 0x80 plus 8 length bytes, rounded up to whole 64-byte blocks.
    let total_len = (n + 9).div_ceil(64) * 64;
    let mut state = H0;
    let mut block = 0;
    while block < total_len / 64 {
        compress(&mut state, a, b, total_len, block);
        block += 1;
    }
    let mut out = [0u8; 32];
    let mut i = 0;
    while i < 8 {
        let word = state[i].to_be_bytes();
        out[i * 4] = word[0];
        out[i * 4 + 1] = word[1];
        out[i * 4 + 2] = word[2];
        out[i * 4 + 3] = word[3];
        i += 1;
    }
    out
}

/// SHA-256 of `data`.
pub const fn sha256(data: &[u8]) -> [u8; 32] {
    sha256_concat(data, &[])
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use sha2::Digest;

    #[test]
    fn known_vectors() {
        // FIPS 180-2 appendix B.1 ("abc") and the empty string.
        assert_eq!(sha256(b"abc")[..4], [0xba, 0x78, 0x16, 0xbf],);
        assert_eq!(sha256(b"")[..4], [0xe3, 0xb0, 0xc4, 0x42]);
    }

    proptest! {
        #[test]
        fn matches_reference(a in proptest::collection::vec(any::<u8>(), 0..300),
                             b in proptest::collection::vec(any::<u8>(), 0..300)) {
            let mut joined = a.clone();
            joined.extend_from_slice(&b);
            let expected: [u8; 32] = sha2::Sha256::digest(&joined).into();
            prop_assert_eq!(sha256_concat(&a, &b), expected);
        }
    }
}
