//! The server itself: loopback only, and it answers over a real socket.

use crate::support::*;
use std::io::{Read, Write};
use std::net::SocketAddr;

#[test]
fn beyond_loopback_only_once_an_administrator_has_a_second_factor() {
    each_backend(|app| async move {
        let set_disabled = |disabled: bool| {
            let r = app.registry.clone();
            let by = r.console();
            tokio::task::spawn_blocking(move || r.set_disabled("admin", disabled, &by).unwrap())
        };
        // The test users' only administrator, disabled: nobody could manage the accounts.
        set_disabled(true).await.unwrap();
        for addr in ["0.0.0.0:0", "[::]:0", "192.0.2.1:8080"] {
            let addr: SocketAddr = addr.parse().unwrap();
            let err =
                crimeboard_web::bind(&app.registry, addr).await.expect_err("a non-loopback address must be refused");
            assert_eq!(err.kind(), std::io::ErrorKind::PermissionDenied, "{addr}");
        }
        // Loopback is always allowed.
        crimeboard_web::bind(&app.registry, "127.0.0.1:0".parse().unwrap()).await.unwrap();

        // With an administrator who has a second factor a wider address binds
        // (and is closed at once: nothing is sent to it).
        set_disabled(false).await.unwrap();
        let listener = crimeboard_web::bind(&app.registry, "0.0.0.0:0".parse().unwrap()).await.unwrap();
        drop(listener);
    });
}

#[test]
fn it_answers_over_a_socket_and_stops_when_told() {
    each_backend(|app| async move {
        let listener = crimeboard_web::bind(&app.registry, "127.0.0.1:0".parse().unwrap()).await.unwrap();
        let addr = listener.local_addr().unwrap();
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let server = tokio::spawn(crimeboard_web::serve_on(listener, app.registry.clone(), async {
            let _ = stopped.await;
        }));
        let reply = tokio::task::spawn_blocking(move || {
            let mut socket = std::net::TcpStream::connect(addr).unwrap();
            socket.write_all(b"GET /api/health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n").unwrap();
            let mut reply = String::new();
            socket.read_to_string(&mut reply).unwrap();
            reply
        })
        .await
        .unwrap();
        assert!(reply.starts_with("HTTP/1.1 200"), "{reply}");
        assert!(reply.contains(&format!("\"backend\":\"{}\"", app.backend)), "{reply}");
        stop.send(()).unwrap();
        server.await.unwrap().unwrap();
    });
}
