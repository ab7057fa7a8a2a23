//! The command line and the JSON API are two doors to the same use cases:
//! the same bad inputs are refused by both, naming the same field, and
//! neither writes anything.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing, clippy::type_complexity)]

mod common;

use common::*;
use serde_json::{Value, json};

#[test]
fn the_cli_refuses_what_the_api_refuses() {
    let dir = TempDir::new("same-rules");
    let data = dir.join("node");
    let d = data.to_str().unwrap();
    assert!(run(&["demo", "--data", d, "--no-serve"]).status.success());
    let admin = stdout(&run(&["token", "create", "--data", d, "--email", "admin@lumbung.example"]))
        .lines()
        .last()
        .unwrap()
        .to_owned();
    let port = free_port();
    let server = serve_ready(lumbung_cmd(&["serve", "--data", d, "--addr", &format!("127.0.0.1:{port}")]), port);
    let bearer = format!("Bearer {admin}");
    let accounts = || {
        let (_, _, body) = http_raw(port, "GET", "/api/v1/accounts", &[("Authorization", &bearer)], None);
        serde_json::from_str::<Value>(&body).unwrap().as_array().unwrap().len()
    };
    let before = accounts();

    let long_name = "N".repeat(201);
    let long_password = "p".repeat(1025);
    // (what is wrong, the field both must name, email, name, organisation, password)
    let cases: [(&str, &str, &str, &str, Option<&str>, &str); 6] = [
        ("a name over 200 characters", "name", "long@example.go.id", &long_name, None, "a-long-enough-password"),
        ("a password over 1,024 bytes", "password", "pw@example.go.id", "Pat", None, &long_password),
        ("a short password", "password", "short@example.go.id", "Pat", None, "short"),
        ("not an e-mail address", "email", "not-an-address", "Pat", None, "a-long-enough-password"),
        ("an empty name", "name", "empty@example.go.id", "   ", None, "a-long-enough-password"),
        (
            "an unknown organisation",
            "organisation",
            "org@example.go.id",
            "Pat",
            Some("no-such-org"),
            "a-long-enough-password",
        ),
    ];
    for (what, field, email, name, org, password) in cases {
        let body =
            json!({"email": email, "name": name, "role": "contributor", "organisation": org, "password": password});
        let (st, _, problem) =
            http_raw(port, "POST", "/api/v1/accounts", &[("Authorization", &bearer)], Some(&body.to_string()));
        assert_eq!(st, 422, "the API accepted {what}: {problem}");
        let problem: Value = serde_json::from_str(&problem).unwrap();
        let fields: Vec<&str> =
            problem["errors"].as_array().unwrap().iter().filter_map(|e| e["field"].as_str()).collect();
        assert!(fields.contains(&field), "the API did not name {field} for {what}: {problem}");

        let mut args = vec![
            "user",
            "add",
            "--data",
            d,
            "--email",
            email,
            "--name",
            name,
            "--role",
            "contributor",
            "--password-stdin",
        ];
        if let Some(org) = org {
            args.extend(["--org", org]);
        }
        let out = run_with_stdin(&args, &format!("{password}\n"));
        assert!(!out.status.success(), "the command line accepted {what}");
        assert!(
            stderr(&out).contains(&format!("{field}:")),
            "the command line did not name {field} for {what}: {}",
            stderr(&out)
        );
    }
    assert_eq!(accounts(), before, "a refused account was written");

    // The same good input is taken by both.
    let body = json!({"email": "api@example.go.id", "name": "Api", "role": "contributor", "password": "a-long-enough-password"});
    let (st, _, _) = http_raw(port, "POST", "/api/v1/accounts", &[("Authorization", &bearer)], Some(&body.to_string()));
    assert_eq!(st, 201);
    let out = run_with_stdin(
        &[
            "user",
            "add",
            "--data",
            d,
            "--email",
            "cli@example.go.id",
            "--name",
            "Cli",
            "--role",
            "contributor",
            "--password-stdin",
        ],
        "a-long-enough-password\n",
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(accounts(), before + 2);
    drop(server);
}
