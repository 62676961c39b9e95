//! One measured build per child process: the wall time seen from outside and the child's
//! peak resident memory from `wait4`, plus whatever the child reports on stdout (JSON).
//! `wait4` is Unix; elsewhere (Windows) the bench measures wall time only.

use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// A finished child process.
#[derive(Debug, Clone)]
pub struct Measured {
    pub wall: Duration,
    /// Peak resident set size in kB (`ru_maxrss`, which macOS gives in bytes); 0 where the
    /// platform has no `wait4`.
    pub maxrss_kb: u64,
    /// User + system CPU time of the child; zero where the platform has no `wait4`.
    pub cpu: Duration,
    pub success: bool,
    pub stdout: String,
    pub stderr: String,
}

impl Measured {
    /// The child's stdout parsed as JSON (`null` when it is not JSON).
    pub fn json(&self) -> serde_json::Value {
        self.stdout
            .lines()
            .rev()
            .find_map(|l| serde_json::from_str(l).ok())
            .unwrap_or(serde_json::Value::Null)
    }
}

/// Runs `program args…` to the end, timing it and reading its peak RSS.
pub fn run(program: &Path, args: &[&std::ffi::OsStr]) -> Result<Measured, String> {
    let start = Instant::now();
    let mut child = Command::new(program)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run {}: {e}", program.display()))?;
    let mut out = child.stdout.take();
    let mut err = child.stderr.take();
    let out_reader = std::thread::spawn(move || {
        let mut s = String::new();
        if let Some(o) = out.as_mut() {
            let _ = o.read_to_string(&mut s);
        }
        s
    });
    let err_reader = std::thread::spawn(move || {
        let mut s = String::new();
        if let Some(e) = err.as_mut() {
            let _ = e.read_to_string(&mut s);
        }
        s
    });
    let reaped = reap(child)?;
    let wall = start.elapsed();
    let stdout = out_reader.join().unwrap_or_default();
    let stderr = err_reader.join().unwrap_or_default();
    Ok(Measured {
        wall,
        maxrss_kb: reaped.maxrss_kb,
        cpu: reaped.cpu,
        success: reaped.success,
        stdout,
        stderr,
    })
}

/// What the operating system says of a child that has ended.
struct Reaped {
    success: bool,
    maxrss_kb: u64,
    cpu: Duration,
}

/// Waits for the child with `wait4`, which also gives its resource usage.
#[cfg(unix)]
fn reap(child: std::process::Child) -> Result<Reaped, String> {
    let pid = child.id() as libc::pid_t;
    let (status, usage) = wait4(pid)?;
    // The child is reaped by wait4; `child` must not be waited on again.
    drop(child);
    // macOS reports ru_maxrss in bytes, Linux and the BSDs in kilobytes.
    let maxrss_unit = if cfg!(target_os = "macos") { 1024 } else { 1 };
    Ok(Reaped {
        success: libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0,
        maxrss_kb: usage.ru_maxrss.max(0) as u64 / maxrss_unit,
        cpu: tv(usage.ru_utime) + tv(usage.ru_stime),
    })
}

/// Waits for the child; without `wait4` there is no peak memory or CPU time to read.
#[cfg(not(unix))]
fn reap(mut child: std::process::Child) -> Result<Reaped, String> {
    let status = child
        .wait()
        .map_err(|e| format!("waiting for the child: {e}"))?;
    Ok(Reaped {
        success: status.success(),
        maxrss_kb: 0,
        cpu: Duration::ZERO,
    })
}

#[cfg(unix)]
fn tv(t: libc::timeval) -> Duration {
    Duration::from_secs(t.tv_sec.max(0) as u64) + Duration::from_micros(t.tv_usec.max(0) as u64)
}

#[cfg(unix)]
fn wait4(pid: libc::pid_t) -> Result<(libc::c_int, libc::rusage), String> {
    let mut status: libc::c_int = 0;
    // SAFETY: rusage is plain data; wait4 fills it and `status` for our own child `pid`.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    loop {
        // SAFETY: valid pointers to locals; `pid` is a child this process spawned and has
        // not reaped.
        let r = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
        if r == pid {
            return Ok((status, usage));
        }
        let e = std::io::Error::last_os_error();
        if e.kind() != std::io::ErrorKind::Interrupted {
            return Err(format!("wait4: {e}"));
        }
    }
}

/// This process's peak resident set size in kB (VmHWM); `None` off Linux, which has no
/// `/proc/self/status`.
pub fn own_vmhwm_kb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn measures_a_child() {
        let m = run(
            Path::new("/bin/sh"),
            &["-c".as_ref(), "echo '{\"x\": 1}'; exit 0".as_ref()],
        )
        .unwrap();
        assert!(m.success);
        assert_eq!(m.json()["x"], 1);
        assert!(m.maxrss_kb > 0);
        let m = run(Path::new("/bin/sh"), &["-c".as_ref(), "exit 3".as_ref()]).unwrap();
        assert!(!m.success);
    }

    #[test]
    #[cfg(target_os = "linux")]
    fn reads_own_peak_memory() {
        let kb = own_vmhwm_kb().expect("VmHWM in /proc/self/status");
        // A test binary with the standard library loaded holds at least a megabyte.
        assert!(kb >= 1024, "VmHWM {kb} kB");
    }
}
