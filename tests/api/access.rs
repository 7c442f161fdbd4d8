//! The access table: every route of the route table against every role (nobody, an expert on its
//! own records, an expert on another's, an event viewer, an operator), each cell allowed or
//! denied. Denied cells must answer 401 or 403 before anything is read or written; allowed cells
//! must not. A route added to the table without a row here fails the test.

use reqwest::Method;
use serde_json::json;

use crate::helpers::{expert_body, spawn_app, TestApp, OPERATOR};

/// Who may call a route.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Who {
    /// Anyone, without a token.
    Public,
    /// An operator, or the expert whose id is in the path.
    OwnExpert,
    /// An operator, or a viewer of the event in the path (GET only).
    EventReader,
    /// Operators only.
    Operator,
}

fn who(method: &str, route: &str) -> Option<Who> {
    use Who::*;
    let public = [
        ("GET", "/healthz"),
        ("GET", "/readyz"),
        ("GET", "/metrics"),
        ("GET", "/openapi.json"),
        ("GET", "/docs/"),
        ("GET", "/api/v1/tags"),
        ("POST", "/api/v1/tags/resolve"),
        ("GET", "/api/v1/tags/{id}"),
        ("POST", "/api/v1/experts"),
    ];
    if public.contains(&(method, route)) {
        return Some(Public);
    }
    let own = [
        ("GET", "/api/v1/experts/{id}"),
        ("PUT", "/api/v1/experts/{id}"),
        ("PATCH", "/api/v1/experts/{id}"),
        ("DELETE", "/api/v1/experts/{id}"),
        ("GET", "/api/v1/experts/{id}/matches"),
        ("DELETE", "/api/v1/experts/{id}/consent"),
        ("GET", "/api/v1/experts/{id}/export"),
    ];
    if own.contains(&(method, route)) {
        return Some(OwnExpert);
    }
    if method == "GET" && ["/api/v1/events/{id}/shortlists", "/api/v1/events/{id}/schedule"].contains(&route) {
        return Some(EventReader);
    }
    if route.starts_with("/api/v1/") {
        return Some(Operator);
    }
    None
}

struct Ids {
    me: String,
    other: String,
    event: String,
}

fn path(route: &str, ids: &Ids, expert: &str) -> String {
    let any = "00000000-0000-4000-8000-000000000001";
    route
        .replace("/experts/{id}", &format!("/experts/{expert}"))
        .replace("/events/{id}", &format!("/events/{}", ids.event))
        .replace("/tags/{id}", "/tags/ai")
        .replace("/channels/{id}", "/channels/csa-germany")
        .replace("{id}", any)
        .replace("{expert_id}", &ids.me)
        .replace("{meeting_id}", any)
        .replace("{name}", "press")
}

async fn status(app: &TestApp, method: &str, path: &str, token: Option<&str>) -> u16 {
    let method = Method::from_bytes(method.as_bytes()).unwrap();
    let body = json!({});
    let body = (method != Method::GET && method != Method::DELETE).then_some(&body);
    app.send(method, path, token, body).await.status().as_u16()
}

fn denied(code: u16) -> bool {
    code == 401 || code == 403
}

#[tokio::test]
async fn every_route_against_every_role() {
    let app = spawn_app().await;
    let (me, expert_token, _) = app.register(&expert_body("access-me@example.de")).await;
    let (other, _, _) = app.register(&expert_body("access-other@example.de")).await;
    let events = app.get_ok("/api/v1/events").await;
    let event = events["items"][0]["id"].as_str().expect("the sample event").to_string();
    let res = app
        .post(
            &format!("/api/v1/events/{event}/viewer-tokens"),
            Some(OPERATOR),
            &json!({"name": "press"}),
        )
        .await;
    assert_eq!(res.status(), 201);
    let viewer: serde_json::Value = res.json().await.unwrap();
    let viewer = viewer["token"].as_str().unwrap().to_string();
    let ids = Ids { me, other, event };

    let mut table = Vec::new();
    // Writes that would end a role (erasing the expert, revoking the viewer) come last.
    let mut routes: Vec<(&str, &str)> = talentbridge::http::ROUTES.to_vec();
    routes.sort_by_key(|(m, r)| {
        (
            *m == "DELETE",
            r.contains("viewer-tokens"),
            *r == "/api/v1/experts/{id}",
        )
    });
    for (method, route) in routes {
        let rule = who(method, route).unwrap_or_else(|| panic!("no access rule for {method} {route}"));
        let own = path(route, &ids, &ids.me);
        let foreign = path(route, &ids, &ids.other);
        let anonymous = status(&app, method, &own, None).await;
        let expert_own = status(&app, method, &own, Some(&expert_token)).await;
        let expert_foreign = status(&app, method, &foreign, Some(&expert_token)).await;
        let viewer_code = status(&app, method, &own, Some(&viewer)).await;
        let (may_anon, may_own, may_foreign, may_view) = match rule {
            Who::Public => (true, true, true, false),
            Who::OwnExpert => (false, true, false, false),
            Who::EventReader => (false, false, false, true),
            Who::Operator => (false, false, false, false),
        };
        // Viewer tokens are fenced to their two routes, public ones included.
        let cells = [
            ("nobody", anonymous, may_anon),
            ("own expert", expert_own, may_own),
            ("other expert", expert_foreign, may_foreign),
            ("viewer", viewer_code, may_view),
        ];
        for (role, code, may) in cells {
            table.push(format!("{method} {route} as {role}: {code}"));
            if rule == Who::Public && role != "viewer" {
                // Public routes may still refuse a token of the wrong kind; they never ask for one.
                assert_ne!(code, 401, "{method} {route} as {role}");
                continue;
            }
            assert_eq!(!denied(code), may, "{method} {route} as {role} answered {code}");
        }
        let operator = status(&app, method, &own, Some(OPERATOR)).await;
        assert!(!denied(operator), "{method} {route} as operator answered {operator}");
    }
    assert!(table.len() >= 4 * 60, "{} cells", table.len());
}
