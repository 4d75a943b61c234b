//! The encodings of outside files besides UTF-8, for every reader that meets them (import
//! profiles, OFX statements): Windows-1252, what Excel on Windows saves as "CSV" and many banks'
//! OFX files are in, and UTF-16, what some exports are.

/// The UTF-8 byte-order mark.
pub const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// Windows-1252's characters for the bytes 0x80 to 0x9F; `None` for the five it leaves undefined.
/// The bytes 0xA0 to 0xFF are U+00A0 to U+00FF, as in ISO-8859-1.
const HIGH: [Option<char>; 32] = [
    Some('\u{20AC}'),
    None,
    Some('\u{201A}'),
    Some('\u{0192}'),
    Some('\u{201E}'),
    Some('\u{2026}'),
    Some('\u{2020}'),
    Some('\u{2021}'),
    Some('\u{02C6}'),
    Some('\u{2030}'),
    Some('\u{0160}'),
    Some('\u{2039}'),
    Some('\u{0152}'),
    None,
    Some('\u{017D}'),
    None,
    None,
    Some('\u{2018}'),
    Some('\u{2019}'),
    Some('\u{201C}'),
    Some('\u{201D}'),
    Some('\u{2022}'),
    Some('\u{2013}'),
    Some('\u{2014}'),
    Some('\u{02DC}'),
    Some('\u{2122}'),
    Some('\u{0161}'),
    Some('\u{203A}'),
    Some('\u{0153}'),
    None,
    Some('\u{017E}'),
    Some('\u{0178}'),
];

/// The character of a Windows-1252 byte, if it has one.
pub fn windows_1252_char(byte: u8) -> Option<char> {
    match byte {
        0x80..=0x9F => HIGH[usize::from(byte - 0x80)],
        // The rest is Latin-1: the byte is the code point.
        _ => Some(char::from(byte)),
    }
}

/// Windows-1252 bytes as text, or where the first byte it does not define is.
pub fn decode_windows_1252(bytes: &[u8]) -> Result<String, usize> {
    if bytes.is_ascii() {
        return Ok(String::from_utf8_lossy(bytes).into_owned());
    }
    let mut text = String::with_capacity(bytes.len() + bytes.len() / 4);
    for (at, &byte) in bytes.iter().enumerate() {
        text.push(windows_1252_char(byte).ok_or(at)?);
    }
    Ok(text)
}

/// Whether the bytes start with a UTF-16 byte-order mark, and which: `Some(true)` big-endian,
/// `Some(false)` little-endian.
pub fn utf16_byte_order(bytes: &[u8]) -> Option<bool> {
    match bytes.get(..2) {
        Some([0xFF, 0xFE]) => Some(false),
        Some([0xFE, 0xFF]) => Some(true),
        _ => None,
    }
}

/// The UTF-16 code units of `bytes` (a last odd byte is left out).
pub fn utf16_units(bytes: &[u8], big_endian: bool) -> impl Iterator<Item = u16> + '_ {
    bytes.chunks_exact(2).map(move |pair| {
        let pair = [pair[0], pair[1]];
        if big_endian {
            u16::from_be_bytes(pair)
        } else {
            u16::from_le_bytes(pair)
        }
    })
}

/// UTF-16 made text for a look at it, what is not text replaced by U+FFFD, whatever the cut at
/// its end.
pub fn decode_utf16_lossy(bytes: &[u8], big_endian: bool) -> String {
    char::decode_utf16(utf16_units(bytes, big_endian)).map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER)).collect()
}
