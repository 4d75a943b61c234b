//! CSV text of any bytes through the checks, in chunks of any size: the same records and lines,
//! or the same problem, however the text is cut.
#![no_main]

use libfuzzer_sys::fuzz_target;
use matchbook::csv_text::CheckedText;
use std::io::Read;

/// Hands out `.0` at most `.1` bytes a read.
struct Chunks<'a>(&'a [u8], usize);

impl Read for Chunks<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.1.min(buf.len()).min(self.0.len());
        buf[..n].copy_from_slice(&self.0[..n]);
        self.0 = &self.0[n..];
        Ok(n)
    }
}

fn records(data: &[u8], chunk: usize) -> Result<Vec<(u64, Vec<Vec<u8>>)>, String> {
    let checked = CheckedText::new(Chunks(data, chunk));
    let mut csv = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(checked);
    let mut record = csv::ByteRecord::new();
    let mut out = Vec::new();
    loop {
        match csv.read_byte_record(&mut record) {
            Ok(false) => return Ok(out),
            Ok(true) => {
                let line = csv.get_mut().line_at(record.position().map_or(0, |p| p.byte()));
                out.push((line, record.iter().map(<[u8]>::to_vec).collect()));
            }
            Err(e) => return Err(csv.get_ref().problem().map_or_else(|| e.to_string(), |p| p.to_string())),
        }
    }
}

fuzz_target!(|input: (u8, &[u8])| {
    let (chunk, data) = input;
    let whole = records(data, usize::MAX);
    let cut = records(data, usize::from(chunk.max(1)));
    assert_eq!(whole, cut);
});
