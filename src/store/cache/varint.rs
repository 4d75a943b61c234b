//! Variable-length numbers, as the results cache packs them: small numbers take few bytes.

/// LEB128: a number below 128 takes one byte (ids and reasons, which are never negative).
pub(super) fn put_unsigned(out: &mut Vec<u8>, mut n: u64) {
    while n >= 0x80 {
        out.push((n as u8) | 0x80);
        n >>= 7;
    }
    out.push(n as u8);
}

pub(super) fn take_unsigned(packed: &mut &[u8]) -> Option<u64> {
    let mut n = 0u64;
    for (i, &byte) in packed.iter().enumerate().take(10) {
        n |= u64::from(byte & 0x7f) << (7 * i);
        if byte & 0x80 == 0 {
            *packed = &packed[i + 1..];
            return Some(n);
        }
    }
    None
}

/// [`put_unsigned`] of the zigzag encoding: small numbers of either sign take few bytes.
pub(super) fn put_varint(out: &mut Vec<u8>, n: i64) {
    put_unsigned(out, ((n << 1) ^ (n >> 63)) as u64);
}

pub(super) fn take_varint(packed: &mut &[u8]) -> Option<i64> {
    let z = take_unsigned(packed)?;
    Some(((z >> 1) as i64) ^ -((z & 1) as i64))
}
