//! A running `rolebook serve` for tests: started on a free port, queried over HTTP, stopped
//! (SIGTERM, then kill) when dropped.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use super::Site;

/// A running `rolebook serve`, stopped when dropped.
pub struct Server {
    child: Child,
    pub url: String,
    /// Everything serve printed so far (stdout and stderr), for failure messages.
    log: Arc<Mutex<String>>,
}

impl Server {
    pub fn start(site: &Site) -> Server {
        let bin = assert_cmd::cargo::cargo_bin("rolebook");
        let mut child = Command::new(bin)
            .args(["serve", "--port", "0", "--root"])
            .arg(site.root())
            .env("NO_COLOR", "1")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start rolebook serve");
        let log = Arc::new(Mutex::new(String::new()));
        let stdout = child.stdout.take().expect("stdout");
        let stderr = child.stderr.take().expect("stderr");
        let (tx, rx) = std::sync::mpsc::channel();
        let out_log = log.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if let Some(i) = line.find("http://") {
                    let url = line[i..]
                        .split_whitespace()
                        .next()
                        .unwrap_or("")
                        .to_string();
                    let _ = tx.send(url);
                }
                if let Ok(mut l) = out_log.lock() {
                    l.push_str(&line);
                    l.push('\n');
                }
            }
        });
        // Drain stderr so that serve never blocks on a full pipe.
        let err_log = log.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if let Ok(mut l) = err_log.lock() {
                    l.push_str(&line);
                    l.push('\n');
                }
            }
        });
        let url = match rx.recv_timeout(Duration::from_secs(60)) {
            Ok(u) => u,
            Err(_) => {
                let _ = child.kill();
                std::thread::sleep(Duration::from_millis(200));
                panic!(
                    "serve printed no URL; it printed:\n{}",
                    log.lock().map(|l| l.clone()).unwrap_or_default()
                );
            }
        };
        Server {
            child,
            url: url.trim_end_matches('/').to_string(),
            log,
        }
    }

    /// What serve printed so far.
    pub fn log(&self) -> String {
        self.log.lock().map(|l| l.clone()).unwrap_or_default()
    }

    pub fn get(&self, path: &str) -> (u16, String, String) {
        let url = format!("{}{path}", self.url);
        match ureq::get(&url).timeout(Duration::from_secs(10)).call() {
            Ok(r) => (
                r.status(),
                r.content_type().to_string(),
                r.into_string().unwrap_or_default(),
            ),
            Err(ureq::Error::Status(code, r)) => (
                code,
                r.content_type().to_string(),
                r.into_string().unwrap_or_default(),
            ),
            Err(e) => panic!("GET {url}: {e}"),
        }
    }

    /// Polls `path` until its body satisfies `ok` (or fails after a few seconds).
    pub fn wait_for(&self, path: &str, what: &str, ok: impl Fn(u16, &str) -> bool) -> String {
        let start = Instant::now();
        loop {
            let (code, _, body) = self.get(path);
            if ok(code, &body) {
                return body;
            }
            assert!(
                start.elapsed() < Duration::from_secs(15),
                "{path} never showed {what} (last status {code})"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// A raw request line, for paths an HTTP client would normalise.
    pub fn raw(&self, path: &str) -> String {
        let addr = self.url.trim_start_matches("http://");
        let mut s = TcpStream::connect(addr).expect("connect");
        s.set_read_timeout(Some(Duration::from_secs(5))).ok();
        write!(
            s,
            "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
        )
        .expect("send");
        let mut out = String::new();
        let _ = s.read_to_string(&mut out);
        out
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    /// Reads the live-reload event stream until an event named `name` arrives.
    pub fn raw_events_until(&self, name: &str) -> String {
        let addr = self.url.trim_start_matches("http://");
        let mut s = TcpStream::connect(addr).expect("connect");
        s.set_read_timeout(Some(Duration::from_millis(500))).ok();
        write!(
            s,
            "GET /__rolebook/events HTTP/1.1\r\nHost: {addr}\r\nAccept: text/event-stream\r\n\r\n"
        )
        .expect("send");
        let start = Instant::now();
        let mut got = Vec::new();
        let mut buf = [0u8; 4096];
        while start.elapsed() < Duration::from_secs(15) {
            match s.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => got.extend_from_slice(&buf[..n]),
                Err(_) => {}
            }
            let text = String::from_utf8_lossy(&got);
            if let Some(i) = text.find(&format!("event: {name}")) {
                // wait for the whole event (it ends with a blank line)
                if text[i..].contains("\n\n") {
                    return text.into_owned();
                }
            }
        }
        panic!(
            "no `{name}` event within 15 s; got:\n{}",
            String::from_utf8_lossy(&got)
        );
    }
}
