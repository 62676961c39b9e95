//! The preview server's HTTP/1.1, on `std::net`: GET and HEAD of static files and the reload
//! endpoint, nothing more. Written here because tiny_http 0.12 cannot bound a request's header
//! size or count nor time out a slow or idle client (a 64 MB header was read whole, idle
//! sockets stayed open); this server has limits on all of them.

use std::io::{self, Read, Write};
use std::net::{IpAddr, TcpStream};
use std::time::{Duration, Instant};

/// What one client may take of the server.
#[derive(Debug, Clone)]
pub struct Limits {
    /// A request's line and headers together.
    pub max_head_bytes: usize,
    pub max_headers: usize,
    /// From a request's first byte to the end of its headers (slow clients).
    pub head_timeout: Duration,
    /// Between requests on a kept-alive connection, and before the first.
    pub idle_timeout: Duration,
    /// Writing a response to a client that does not read it.
    pub write_timeout: Duration,
    /// Connections served at once; more are answered 503 and closed.
    pub max_connections: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_head_bytes: 16 * 1024,
            max_headers: 64,
            head_timeout: Duration::from_secs(10),
            idle_timeout: Duration::from_secs(5),
            write_timeout: Duration::from_secs(10),
            max_connections: 1024,
        }
    }
}

#[derive(Debug)]
pub struct Request {
    pub method: String,
    /// The request target as sent (`/states/x/?a=b`).
    pub target: String,
    /// HTTP/1.1 (true) or HTTP/1.0.
    pub http11: bool,
    pub headers: Vec<(String, String)>,
}

impl Request {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// Whether the client asks to keep the connection open after the response.
    pub fn keep_alive(&self) -> bool {
        let connection = self.header("connection").unwrap_or("").to_ascii_lowercase();
        if self.http11 {
            !connection.contains("close")
        } else {
            connection.contains("keep-alive")
        }
    }

    /// Whether a body follows the headers. The server reads none, so it closes the connection
    /// after answering rather than read the body as the next request.
    pub fn has_body(&self) -> bool {
        self.header("transfer-encoding").is_some()
            || self
                .header("content-length")
                .is_some_and(|l| l.trim() != "0")
    }
}

/// Why no request was read.
#[derive(Debug, PartialEq, Eq)]
pub enum ReadError {
    /// The client closed the connection or stayed idle too long: nothing to answer.
    Closed,
    /// The headers did not arrive in time: 408.
    Timeout,
    /// Headers over the size or count limit: 431.
    TooLarge,
    /// Not HTTP/1.x: 400.
    Malformed,
}

impl ReadError {
    pub fn status(&self) -> Option<u16> {
        match self {
            ReadError::Closed => None,
            ReadError::Timeout => Some(408),
            ReadError::TooLarge => Some(431),
            ReadError::Malformed => Some(400),
        }
    }
}

/// Reads one request's head from `stream`; `buf` carries bytes a client sent ahead (pipelined
/// requests) from one call to the next.
pub fn read_request(
    stream: &mut TcpStream,
    buf: &mut Vec<u8>,
    limits: &Limits,
) -> Result<Request, ReadError> {
    let idle_until = Instant::now() + limits.idle_timeout;
    let mut head_until = (!buf.is_empty()).then(|| Instant::now() + limits.head_timeout);
    let mut chunk = [0u8; 4096];
    let mut searched = 0;
    loop {
        if let Some(end) = find_head_end(buf, searched) {
            let request = parse_head(&buf[..end], limits);
            buf.drain(..end + 4);
            return request;
        }
        searched = buf.len().saturating_sub(3);
        if buf.len() > limits.max_head_bytes {
            return Err(ReadError::TooLarge);
        }
        let until = head_until.unwrap_or(idle_until);
        let left = until.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(if head_until.is_some() {
                ReadError::Timeout
            } else {
                ReadError::Closed
            });
        }
        stream
            .set_read_timeout(Some(left))
            .map_err(|_| ReadError::Closed)?;
        match stream.read(&mut chunk) {
            Ok(0) => return Err(ReadError::Closed),
            Ok(n) => {
                buf.extend_from_slice(&chunk[..n]);
                head_until.get_or_insert_with(|| Instant::now() + limits.head_timeout);
            }
            Err(e)
                if matches!(
                    e.kind(),
                    io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
                ) => {}
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(_) => return Err(ReadError::Closed),
        }
    }
}

fn find_head_end(buf: &[u8], from: usize) -> Option<usize> {
    memchr::memmem::find(&buf[from..], b"\r\n\r\n").map(|i| from + i)
}

fn parse_head(head: &[u8], limits: &Limits) -> Result<Request, ReadError> {
    let head = std::str::from_utf8(head).map_err(|_| ReadError::Malformed)?;
    let mut lines = head.split("\r\n");
    let mut parts = lines.next().unwrap_or("").split(' ');
    let (Some(method), Some(target), Some(version), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(ReadError::Malformed);
    };
    let http11 = match version {
        "HTTP/1.1" => true,
        "HTTP/1.0" => false,
        _ => return Err(ReadError::Malformed),
    };
    let token = |s: &str| {
        !s.is_empty()
            && s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
    };
    if !token(method) || !target.starts_with('/') {
        return Err(ReadError::Malformed);
    }
    let mut headers = Vec::new();
    for line in lines {
        if headers.len() == limits.max_headers {
            return Err(ReadError::TooLarge);
        }
        let (name, value) = line.split_once(':').ok_or(ReadError::Malformed)?;
        // A name must be a token: this also refuses folded lines (a leading space).
        if !token(name) {
            return Err(ReadError::Malformed);
        }
        headers.push((name.to_string(), value.trim().to_string()));
    }
    Ok(Request {
        method: method.to_string(),
        target: target.to_string(),
        http11,
        headers,
    })
}

/// Whether `host` (a `Host` header) names this machine: `localhost` or a loopback address,
/// with or without a port. Any other name may be an attacker's domain resolved to 127.0.0.1
/// (DNS rebinding), so its requests are refused.
pub fn is_loopback_host(host: &str) -> bool {
    let host = host.trim();
    let name = if let Some(rest) = host.strip_prefix('[') {
        match rest.split_once(']') {
            Some((ip, port)) if port.is_empty() || valid_port(port) => ip,
            _ => return false,
        }
    } else {
        match host.rsplit_once(':') {
            Some((name, port)) if valid_port(port) => name,
            Some(_) => return false,
            None => host,
        }
    };
    name.eq_ignore_ascii_case("localhost")
        || name.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

fn valid_port(port: &str) -> bool {
    port.strip_prefix(':')
        .unwrap_or(port)
        .parse::<u16>()
        .is_ok()
}

pub struct Response {
    pub status: u16,
    pub headers: Vec<(&'static str, String)>,
    pub body: Vec<u8>,
}

impl Response {
    pub fn new(status: u16, content_type: &str, body: impl Into<Vec<u8>>) -> Response {
        Response {
            status,
            headers: vec![("Content-Type", content_type.to_string())],
            body: body.into(),
        }
    }

    pub fn text(status: u16, body: &str) -> Response {
        Response::new(status, "text/plain; charset=utf-8", body)
    }

    pub fn with_header(mut self, name: &'static str, value: impl Into<String>) -> Response {
        self.headers.push((name, value.into()));
        self
    }
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        301 => "Moved Permanently",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "",
    }
}

/// Writes `response`; without its body when `head_only` (a HEAD request).
pub fn write_response(
    stream: &mut TcpStream,
    response: &Response,
    head_only: bool,
    keep_alive: bool,
) -> io::Result<()> {
    let mut head = format!(
        "HTTP/1.1 {} {}\r\n",
        response.status,
        reason(response.status)
    );
    for (name, value) in &response.headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str(&format!(
        "Content-Length: {}\r\nCache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\nConnection: {}\r\n\r\n",
        response.body.len(),
        if keep_alive { "keep-alive" } else { "close" }
    ));
    let mut out = head.into_bytes();
    if !head_only {
        out.extend_from_slice(&response.body);
    }
    stream.write_all(&out)?;
    stream.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(head: &str) -> Result<Request, ReadError> {
        parse_head(head.as_bytes(), &Limits::default())
    }

    #[test]
    fn requests_are_parsed_and_bad_ones_refused() {
        let r = parse("GET /a/?x=1 HTTP/1.1\r\nHost: 127.0.0.1:8\r\nConnection: close").unwrap();
        assert_eq!((r.method.as_str(), r.target.as_str()), ("GET", "/a/?x=1"));
        assert_eq!(r.header("host"), Some("127.0.0.1:8"));
        assert!(!r.keep_alive());
        for bad in [
            "GET /a HTTP/2",
            "GET http://x/ HTTP/1.1",
            "GET  /a HTTP/1.1",
            "GET /a HTTP/1.1\r\n folded: x",
            "GET /a HTTP/1.1\r\nno colon",
        ] {
            assert_eq!(parse(bad).unwrap_err(), ReadError::Malformed, "{bad:?}");
        }
        let many = format!("GET / HTTP/1.1{}", "\r\nX: y".repeat(65));
        assert_eq!(parse(&many).unwrap_err(), ReadError::TooLarge);
    }

    #[test]
    fn only_loopback_hosts_are_served() {
        for good in [
            "127.0.0.1",
            "127.0.0.1:1111",
            "localhost:80",
            "LOCALHOST",
            "[::1]:1111",
            "[::1]",
            "127.1.2.3",
        ] {
            assert!(is_loopback_host(good), "{good}");
        }
        for bad in [
            "evil.example",
            "evil.example:1111",
            "127.0.0.1.evil.example",
            "localhost.evil.example",
            "10.0.0.1",
            "[::1]x",
            "127.0.0.1:x",
            "",
        ] {
            assert!(!is_loopback_host(bad), "{bad}");
        }
    }
}
