//! JSON strings written byte for byte as `serde_json` writes them, faster. The open data and
//! the search snippets hold the whole text (over 300 MB of JSON strings at 10,000 replies),
//! and almost none of it needs escaping: a first pass the compiler vectorizes finds that out,
//! where `serde_json` looks at every byte in turn.

/// Whether `serde_json` escapes any byte of `s`: quotes, backslashes and control characters.
fn needs_escape(s: &str) -> bool {
    s.bytes()
        .fold(false, |any, b| any | (b < 0x20 || b == b'"' || b == b'\\'))
}

/// Appends `s` as a JSON string, the bytes `serde_json::to_writer(out, s)` would write.
pub fn write_str(out: &mut Vec<u8>, s: &str) {
    out.reserve(s.len() + 2);
    out.push(b'"');
    if needs_escape(s) {
        write_escaped(out, s);
    } else {
        out.extend_from_slice(s.as_bytes());
    }
    out.push(b'"');
}

/// `serde_json`'s escapes: the short ones where JSON has them, else `\u00xx` in lowercase.
fn write_escaped(out: &mut Vec<u8>, s: &str) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut run = 0;
    for (i, b) in s.bytes().enumerate() {
        let short = match b {
            b'"' => b'"',
            b'\\' => b'\\',
            0x08 => b'b',
            0x0C => b'f',
            b'\n' => b'n',
            b'\r' => b'r',
            b'\t' => b't',
            0..0x20 => 0,
            _ => continue,
        };
        out.extend_from_slice(&s.as_bytes()[run..i]);
        if short == 0 {
            out.extend_from_slice(b"\\u00");
            out.push(HEX[usize::from(b >> 4)]);
            out.push(HEX[usize::from(b & 0xF)]);
        } else {
            out.extend_from_slice(&[b'\\', short]);
        }
        run = i + 1;
    }
    out.extend_from_slice(&s.as_bytes()[run..]);
}

/// The length of `s` as a JSON string, quotes included, without writing it.
pub fn str_len(s: &str) -> usize {
    if !needs_escape(s) {
        return 2 + s.len();
    }
    2 + s.len()
        + s.bytes()
            .map(|b| match b {
                b'"' | b'\\' | 0x08 | 0x0C | b'\n' | b'\r' | b'\t' => 1,
                0..=0x1F => 5,
                _ => 0,
            })
            .sum::<usize>()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ours(s: &str) -> String {
        let mut out = Vec::new();
        write_str(&mut out, s);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn strings_are_written_and_measured_as_serde_json_writes_them() {
        let mut all = String::new();
        for c in (0u32..0x80).chain([0xA0, 0x2028, 0x4E00, 0x1F600]) {
            let c = char::from_u32(c).unwrap();
            all.push(c);
            for s in [c.to_string(), format!("国际法{c}规范"), format!("{c}{c}a")] {
                let want = serde_json::to_string(&s).unwrap();
                assert_eq!(ours(&s), want, "{c:?}");
                assert_eq!(str_len(&s), want.len(), "{c:?}");
            }
        }
        for s in [String::new(), all, "\\\"\u{1f}\n".repeat(3)] {
            assert_eq!(ours(&s), serde_json::to_string(&s).unwrap());
            assert_eq!(str_len(&s), serde_json::to_string(&s).unwrap().len());
        }
        let mut out = b"[".to_vec();
        write_str(&mut out, "a");
        assert_eq!(out, b"[\"a\"");
    }
}
