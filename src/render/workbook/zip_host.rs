//! Workbooks whose bytes do not depend on the system that wrote them.
//!
//! rust_xlsxwriter fixes every time stamp and permission of its zip
//! entries, but the `zip` crate under it records in each entry of the
//! central directory the system it runs on: the high byte of the entry's
//! "version made by" field (APPNOTE.TXT 4.4.2) is 3 (Unix) on Linux and
//! macOS, 0 (MS-DOS) on Windows, and rust_xlsxwriter gives no option to
//! choose it. So `bilan.exe` wrote a `bilan.xlsx` with the same content as
//! the Linux build's but other bytes (and so another checksum in
//! `manifest.json`). [`as_made_on_unix`] sets that byte to Unix in every
//! entry after writing: the workbooks are then the Linux build's bytes on
//! every system (checked under Wine by `dist/windows-test.sh`).

use anyhow::{bail, Result};

/// A central directory entry's signature, and the length of its fixed part
/// (APPNOTE.TXT 4.3.12).
const ENTRY: u32 = 0x0201_4b50;
const ENTRY_LEN: usize = 46;
/// The end of central directory record's signature and fixed length
/// (4.3.16); a zip comment of up to 65 535 bytes may follow it.
const END: u32 = 0x0605_4b50;
const END_LEN: usize = 22;
/// The "version made by" host of Unix (4.4.2.2).
const UNIX: u8 = 3;

/// Records Unix as the system that made every entry of the zip `bytes`,
/// whatever system wrote them. Returns the number of entries; a zip it
/// cannot walk (not written by the `zip` crate, or a Zip64 archive, which
/// a workbook never needs) is an error and is left unchanged.
pub fn as_made_on_unix(bytes: &mut [u8]) -> Result<usize> {
    let (entries, start, size) = central_directory(bytes)?;
    // Checked in full before any byte changes.
    let mut hosts = Vec::with_capacity(entries);
    let mut at = start;
    for _ in 0..entries {
        if at + ENTRY_LEN > bytes.len() || u32_at(bytes, at) != ENTRY {
            bail!("the zip's central directory has no entry at byte {at}");
        }
        hosts.push(at + 5);
        at += ENTRY_LEN
            + usize::from(u16_at(bytes, at + 28))
            + usize::from(u16_at(bytes, at + 30))
            + usize::from(u16_at(bytes, at + 32));
    }
    if at != start + size {
        bail!(
            "the zip's central directory ends at byte {at}, not at byte {}",
            start + size
        );
    }
    for host in hosts {
        bytes[host] = UNIX;
    }
    Ok(entries)
}

/// The number of entries, offset and size of the central directory, read
/// from the end of central directory record.
fn central_directory(bytes: &[u8]) -> Result<(usize, usize, usize)> {
    let Some(last) = bytes.len().checked_sub(END_LEN) else {
        bail!("{} bytes are too short for a zip", bytes.len());
    };
    let end = (last.saturating_sub(usize::from(u16::MAX))..=last)
        .rev()
        .find(|&at| {
            u32_at(bytes, at) == END
                && at + END_LEN + usize::from(u16_at(bytes, at + 20)) == bytes.len()
        });
    let Some(end) = end else {
        bail!("no end of central directory record: not a zip");
    };
    let entries = u16_at(bytes, end + 10);
    let size = u32_at(bytes, end + 12);
    let start = u32_at(bytes, end + 16);
    if entries == u16::MAX || size == u32::MAX || start == u32::MAX {
        bail!("a Zip64 archive: not written for a workbook");
    }
    let (start, size) = (start as usize, size as usize);
    if start + size > end {
        bail!("the zip's central directory lies beyond its end record");
    }
    Ok((usize::from(entries), start, size))
}

fn u16_at(bytes: &[u8], at: usize) -> u16 {
    u16::from_le_bytes([bytes[at], bytes[at + 1]])
}

fn u32_at(bytes: &[u8], at: usize) -> u32 {
    u32::from_le_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]])
}

#[cfg(test)]
mod tests {
    use std::io::{Cursor, Write};

    use zip::write::SimpleFileOptions;
    use zip::{CompressionMethod, DateTime, System, ZipArchive, ZipWriter};

    use super::*;

    /// A zip written as rust_xlsxwriter writes one (deflated entries, mode
    /// 0600, the zip crate's default time), with `system` as the host
    /// recorded: what the `zip` crate records on Windows (`Dos`) or on
    /// Linux (`Unix`).
    fn zip_made_on(system: System, comment: &str) -> Vec<u8> {
        let options = SimpleFileOptions::default()
            .compression_method(CompressionMethod::Deflated)
            .unix_permissions(0o600)
            .last_modified_time(DateTime::default())
            .system(system);
        let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
        for (name, text) in [
            ("[Content_Types].xml", "<Types/>"),
            ("xl/workbook.xml", "<workbook>é</workbook>"),
            ("xl/worksheets/sheet1.xml", "<worksheet/>"),
        ] {
            zip.start_file(name, options).unwrap();
            zip.write_all(text.as_bytes()).unwrap();
        }
        zip.set_comment(comment).unwrap();
        zip.finish().unwrap().into_inner()
    }

    fn hosts(bytes: &[u8]) -> Vec<System> {
        let mut archive = ZipArchive::new(Cursor::new(bytes)).unwrap();
        (0..archive.len())
            .map(|i| {
                use zip::HasZipMetadata;
                archive.by_index(i).unwrap().get_metadata().system
            })
            .collect()
    }

    #[test]
    fn a_zip_written_on_windows_gets_the_bytes_of_the_same_zip_written_on_linux() {
        let linux = zip_made_on(System::Unix, "");
        let mut windows = zip_made_on(System::Dos, "");
        assert_ne!(windows, linux, "the host is recorded");
        assert_eq!(hosts(&windows), [System::Dos; 3]);
        assert_eq!(as_made_on_unix(&mut windows).unwrap(), 3);
        assert_eq!(windows, linux);
        assert_eq!(hosts(&windows), [System::Unix; 3]);
    }

    #[test]
    fn the_end_record_is_found_behind_a_comment() {
        let comment = "PK\u{5}\u{6} a comment that looks like an end record";
        let linux = zip_made_on(System::Unix, comment);
        let mut windows = zip_made_on(System::Dos, comment);
        as_made_on_unix(&mut windows).unwrap();
        assert_eq!(windows, linux);
    }

    #[test]
    fn a_workbook_of_rust_xlsxwriter_is_unchanged_on_linux_and_readable() {
        let mut book = rust_xlsxwriter::Workbook::new();
        book.add_worksheet()
            .write_string(0, 0, "Évolution")
            .unwrap();
        let written = book.save_to_buffer().unwrap();
        let mut bytes = written.clone();
        let entries = as_made_on_unix(&mut bytes).unwrap();
        assert!(entries >= 8, "{entries} entries");
        assert_eq!(hosts(&bytes), vec![System::Unix; entries]);
        if cfg!(unix) {
            assert_eq!(bytes, written);
        }
    }

    #[test]
    fn what_is_not_a_zip_is_an_error_and_left_unchanged() {
        for mut bytes in [
            Vec::new(),
            b"PK".to_vec(),
            vec![0; 100],
            b"PK\x05\x06".repeat(10),
        ] {
            let before = bytes.clone();
            assert!(as_made_on_unix(&mut bytes).is_err(), "{before:?}");
            assert_eq!(bytes, before);
        }
        // A zip cut short: its end record is gone.
        let mut cut = zip_made_on(System::Dos, "");
        cut.truncate(cut.len() - 5);
        assert!(as_made_on_unix(&mut cut).is_err());
        // A central directory whose entries do not fill it.
        let mut bad = zip_made_on(System::Dos, "");
        let end = bad.len() - END_LEN;
        bad[end + 10] = 2;
        bad[end + 8] = 2;
        let before = bad.clone();
        assert!(as_made_on_unix(&mut bad).is_err());
        assert_eq!(bad, before);
    }
}
