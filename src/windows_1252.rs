//! Windows-1252, the encoding of "CSV" from Excel on Windows and of many banks' OFX files: one
//! table for every reader that meets it (import profiles, OFX statements).

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
pub fn char_of(byte: u8) -> Option<char> {
    match byte {
        0x80..=0x9F => HIGH[usize::from(byte - 0x80)],
        // The rest is Latin-1: the byte is the code point.
        _ => Some(char::from(byte)),
    }
}

/// Windows-1252 bytes as text, or where the first byte it does not define is.
pub fn decode(bytes: &[u8]) -> Result<String, usize> {
    if bytes.is_ascii() {
        return Ok(String::from_utf8_lossy(bytes).into_owned());
    }
    let mut text = String::with_capacity(bytes.len() + bytes.len() / 4);
    for (at, &byte) in bytes.iter().enumerate() {
        text.push(char_of(byte).ok_or(at)?);
    }
    Ok(text)
}
