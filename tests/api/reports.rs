//! Reports over HTTP, counted from a history the tests build and check figure by figure: the funnel
//! (total, by period, channel, sector and event, JSON and CSV), the yearly summary (JSON and CSV,
//! in two zones), the records due for renewal, and refused parameters. Also channels, which the
//! funnel groups by: PUT and PATCH change them but never their id or creation time.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use chrono_tz::Tz;
use reqwest::Method;
use serde_json::{json, Value};

use crate::events::{create_event, expect, fields, id_of, online_event, problem_code, send_if};
use crate::helpers::{expert_body, need_body, spawn_app_without_samples, TestApp, OPERATOR};

const SHANGHAI: &str = "Asia/Shanghai";

fn tz(name: &str) -> Tz {
    name.parse().unwrap_or_else(|_| panic!("{name} is a zone"))
}

fn instant(v: &Value) -> DateTime<Utc> {
    v.as_str()
        .and_then(|s| DateTime::parse_from_rfc3339(s).ok())
        .unwrap_or_else(|| panic!("not an RFC 3339 time: {v}"))
        .with_timezone(&Utc)
}

fn date(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or_else(|_| panic!("{s} is a date"))
}

fn local_day(t: DateTime<Utc>, zone: &str) -> NaiveDate {
    t.with_timezone(&tz(zone)).date_naive()
}

/// The top-level sector of a sector id: the taxonomy's ids name their ancestors (`energy.batteries`
/// is under `energy`).
fn root(sector: &str) -> String {
    sector.split('.').next().unwrap().to_string()
}

fn roots(sectors: &[&str]) -> Vec<String> {
    let set: BTreeSet<String> = sectors.iter().map(|s| root(s)).collect();
    set.into_iter().collect()
}

/// An expert as the test made it.
struct MExpert {
    id: String,
    channel: Option<String>,
    roots: Vec<String>,
    created: DateTime<Utc>,
    erased: bool,
}

/// A need as the test made it.
struct MNeed {
    id: String,
    enterprise: String,
    roots: Vec<String>,
    created: DateTime<Utc>,
}

/// An event: its first day, its experts, and the slot start of every meeting if published.
struct MEvent {
    id: String,
    starts_on: NaiveDate,
    experts: Vec<String>,
    published_meetings: Vec<(String, DateTime<Utc>)>,
}

/// An introduction: pair, event, and every step as (stage, time).
struct MIntro {
    need: String,
    expert: String,
    event: Option<String>,
    steps: Vec<(String, DateTime<Utc>)>,
}

impl MIntro {
    fn from_view(v: &Value) -> MIntro {
        MIntro {
            need: v["need_id"].as_str().unwrap().to_string(),
            expert: v["expert_id"].as_str().unwrap().to_string(),
            event: v["event_id"].as_str().map(str::to_string),
            steps: v["history"]
                .as_array()
                .unwrap()
                .iter()
                .map(|s| (s["stage"].as_str().unwrap().to_string(), instant(&s["at"])))
                .collect(),
        }
    }

    fn created(&self) -> DateTime<Utc> {
        self.steps[0].1
    }

    /// Whether it ever reached `stage` of progress (an ending keeps what was reached).
    fn reached(&self, stage: &str) -> bool {
        const PROGRESS: [&str; 6] = ["proposed", "contacted", "met", "negotiating", "agreed", "landed"];
        let rank = |s: &str| PROGRESS.iter().position(|p| *p == s);
        let furthest = self.steps.iter().filter_map(|(s, _)| rank(s)).max().unwrap_or(0);
        rank(stage).is_some_and(|r| furthest >= r)
    }

    fn reached_at(&self, stage: &str) -> Option<DateTime<Utc>> {
        self.steps.iter().find(|(s, _)| s == stage).map(|(_, t)| *t)
    }
}

/// The history the test made, and the figures it implies, computed here from the definitions in
/// the reports' documentation.
#[derive(Default)]
struct Model {
    experts: Vec<MExpert>,
    needs: Vec<MNeed>,
    events: Vec<MEvent>,
    intros: Vec<MIntro>,
}

const FIGURES: [&str; 6] = ["registered", "shortlisted", "introduced", "met", "agreed", "landed"];

impl Model {
    fn expert(&self, id: &str) -> &MExpert {
        self.experts.iter().find(|e| e.id == id).unwrap()
    }

    fn need(&self, id: &str) -> &MNeed {
        self.needs.iter().find(|n| n.id == id).unwrap()
    }

    /// The funnel rows over `from..=to` in `zone`, split `by`.
    fn funnel(&self, from: NaiveDate, to: NaiveDate, zone: &str, by: &str) -> Vec<Value> {
        let inside = |d: NaiveDate| from <= d && d <= to;
        let time_group = |d: NaiveDate| match by {
            "month" => format!("{:04}-{:02}", d.year(), d.month()),
            "quarter" => format!("{:04}-Q{}", d.year(), (d.month() - 1) / 3 + 1),
            "year" => format!("{:04}", d.year()),
            _ => "all".to_string(),
        };
        let none = || vec!["none".to_string()];
        // registrations and shortlists count by the expert's channel and sectors
        let expert_groups = |e: &MExpert, d: NaiveDate| -> Vec<String> {
            match by {
                "channel" => vec![e.channel.clone().unwrap_or_else(|| "none".into())],
                "sector" if e.roots.is_empty() => none(),
                "sector" => e.roots.clone(),
                "event" => none(),
                _ => vec![time_group(d)],
            }
        };
        let mut counts: BTreeMap<String, [usize; 6]> = BTreeMap::new();
        let mut shortlisted: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for e in self.experts.iter().filter(|e| !e.erased) {
            let day = local_day(e.created, zone);
            if inside(day) {
                for g in expert_groups(e, day) {
                    counts.entry(g).or_default()[0] += 1;
                }
            }
        }
        for ev in self.events.iter().filter(|ev| inside(ev.starts_on)) {
            for x in &ev.experts {
                let groups = match by {
                    "event" => vec![ev.id.clone()],
                    _ => expert_groups(self.expert(x), ev.starts_on),
                };
                for g in groups {
                    shortlisted.entry(g).or_default().insert(x.clone());
                }
            }
        }
        for i in &self.intros {
            let day = local_day(i.created(), zone);
            if !inside(day) {
                continue;
            }
            let expert = self.expert(&i.expert);
            let need = self.need(&i.need);
            let groups = match by {
                "channel" => expert_groups(expert, day),
                "sector" if need.roots.is_empty() => none(),
                "sector" => need.roots.clone(),
                "event" => vec![i.event.clone().unwrap_or_else(|| "none".into())],
                _ => vec![time_group(day)],
            };
            // an introduced expert is shortlisted; by sector, under the expert's own sectors
            let shortlist_groups = match by {
                "sector" => expert_groups(expert, day),
                _ => groups.clone(),
            };
            for g in shortlist_groups {
                shortlisted.entry(g).or_default().insert(i.expert.clone());
            }
            for g in groups {
                let c = counts.entry(g).or_default();
                c[2] += 1;
                c[3] += usize::from(i.reached("met"));
                c[4] += usize::from(i.reached("agreed"));
                c[5] += usize::from(i.reached("landed"));
            }
        }
        for (g, set) in shortlisted {
            counts.entry(g).or_default()[1] = set.len();
        }
        if counts.is_empty() && by == "total" {
            counts.insert("all".into(), [0; 6]);
        }
        counts
            .into_iter()
            .map(|(g, c)| {
                let mut row = json!({"group": g});
                for (name, n) in FIGURES.iter().zip(c) {
                    row[*name] = json!(n);
                }
                row
            })
            .collect()
    }

    /// The yearly summary of `year` in `zone`.
    fn year(&self, year: i32, zone: &str) -> Value {
        let in_year = |t: DateTime<Utc>| local_day(t, zone).year() == year;
        let mut served: BTreeSet<&str> = BTreeSet::new();
        let mut meetings = 0;
        for ev in &self.events {
            for (need, slot) in &ev.published_meetings {
                if in_year(*slot) {
                    meetings += 1;
                    served.insert(need);
                }
            }
        }
        for i in self.intros.iter().filter(|i| in_year(i.created())) {
            served.insert(&i.need);
        }
        let enterprises: BTreeSet<String> = served
            .iter()
            .map(|n| {
                self.need(n)
                    .enterprise
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ")
                    .to_lowercase()
            })
            .collect();
        let reached_in = |stage: &str| {
            self.intros
                .iter()
                .filter(|i| i.reached_at(stage).is_some_and(in_year))
                .count()
        };
        json!({
            "year": year,
            "time_zone": zone,
            "experts_registered": self.experts.iter().filter(|e| !e.erased && in_year(e.created)).count(),
            "needs_collected": self.needs.iter().filter(|n| in_year(n.created)).count(),
            "enterprises_served": enterprises.len(),
            "events_held": self.events.iter().filter(|e| e.starts_on.year() == year).count(),
            "meetings": meetings,
            "agreements": reached_in("agreed"),
            "landed_projects": reached_in("landed"),
        })
    }
}

/// Where a check went wrong, so that one run reports every figure that is off.
#[derive(Default)]
struct Mismatches(Vec<String>);

impl Mismatches {
    fn check(&mut self, what: &str, got: &Value, want: &Value) {
        if got != want {
            self.0.push(format!("{what}:\n  got  {got}\n  want {want}"));
        }
    }
}

/// Creates a channel, expecting 201.
async fn create_channel(app: &TestApp, id: &str, country: &str, kind: &str) -> Value {
    let body = json!({"id": id, "name": format!("Partner {id}"), "country": country, "kind": kind});
    expect(
        app.post("/api/v1/channels", Some(OPERATOR), &body).await,
        201,
        "creating a channel",
    )
    .await
}

async fn set_status(app: &TestApp, path: &str, status: &str) {
    let res = app
        .send(Method::PATCH, path, Some(OPERATOR), Some(&json!({"status": status})))
        .await;
    expect(res, 200, &format!("{path} to {status}")).await;
}

/// Registers a machine-learning expert with a channel and sectors and gives it `status`
/// (`erased`: registered, then erased).
async fn expert(
    app: &TestApp,
    model: &mut Model,
    email: &str,
    zone: &str,
    channel: Option<&str>,
    sectors: &[&str],
    status: &str,
) -> String {
    let mut body = expert_body(email);
    body["timezone"] = json!(zone);
    body["skills"] = json!([{"tag": "ai.ml", "level": 4}, {"tag": "ai.nlp", "level": 3}]);
    body["sectors"] = json!(sectors);
    body["preferences"] = json!({});
    if let Some(c) = channel {
        body["channel"] = json!(c);
    }
    let (id, _, _) = app.register(&body).await;
    let path = format!("/api/v1/experts/{id}");
    let view = app.get_ok(&path).await;
    assert_eq!(view["channel"], channel.map_or(Value::Null, Value::from), "{view:#}");
    match status {
        "pending_review" => {}
        "erased" => {
            let res = app.send(Method::DELETE, &path, Some(OPERATOR), None).await;
            assert_eq!(res.status(), 204, "erasing {email}");
        }
        s => set_status(app, &path, s).await,
    }
    model.experts.push(MExpert {
        id: id.clone(),
        channel: channel.map(str::to_string),
        roots: roots(sectors),
        created: instant(&view["created_at"]),
        erased: status == "erased",
    });
    id
}

/// Records a need of `enterprise` in `sectors` that machine-learning experts fit.
async fn need(app: &TestApp, model: &mut Model, enterprise: &str, sectors: &[&str]) -> String {
    let mut body = need_body();
    body["enterprise"]["name"] = json!(enterprise);
    body["title"] = json!(format!("A need of {}", enterprise.trim()));
    body["sectors"] = json!(sectors);
    body["skills"] = json!([{"tag": "ai.ml", "weight": 5, "must_have": true}]);
    let (id, view) = app.create_need(&body).await;
    model.needs.push(MNeed {
        id: id.clone(),
        enterprise: enterprise.to_string(),
        roots: roots(sectors),
        created: instant(&view["created_at"]),
    });
    id
}

/// Creates an online event, drafts its schedule and publishes it if asked; returns its id and the
/// meetings placed.
#[allow(clippy::too_many_arguments)]
async fn event(
    app: &TestApp,
    model: &mut Model,
    zone: &str,
    day: &str,
    slots: &[(&str, &str)],
    needs: &[&str],
    experts: &[&str],
    schedule: Option<&str>,
) -> (String, Vec<Value>) {
    let mut body = online_event(day, slots, needs, experts);
    body["time_zone"] = json!(zone);
    let id = id_of(&create_event(app, &body).await);
    let mut meetings = Vec::new();
    let at = format!("/api/v1/events/{id}/schedule");
    if schedule.is_some() {
        let drafted = expect(send_if(app, Method::POST, &at, None, None).await, 200, "drafting").await;
        meetings = drafted["meetings"].as_array().unwrap().clone();
        assert!(!meetings.is_empty(), "the event has meetings: {drafted:#}");
    }
    if schedule == Some("published") {
        let published = expect(
            send_if(app, Method::POST, &format!("{at}/publish"), None, None).await,
            200,
            "publishing",
        )
        .await;
        assert_eq!(published["meetings"].as_array().unwrap(), &meetings);
    }
    model.events.push(MEvent {
        id: id.clone(),
        starts_on: date(day),
        experts: experts.iter().map(|x| x.to_string()).collect(),
        published_meetings: match schedule {
            Some("published") => meetings
                .iter()
                .map(|m| {
                    (
                        m["need"]["id"].as_str().unwrap().to_string(),
                        instant(&m["slot"]["start"]),
                    )
                })
                .collect(),
            _ => Vec::new(),
        },
    });
    (id, meetings)
}

/// Proposes an introduction and moves it through `stages`; records it.
async fn introduce(app: &TestApp, model: &mut Model, body: Value, stages: &[&str]) -> Value {
    let res = app.post("/api/v1/introductions", Some(OPERATOR), &body).await;
    let mut intro = expect(res, 201, &format!("proposing {body}")).await;
    let id = id_of(&intro);
    for to in stages {
        let res = send_if(
            app,
            Method::POST,
            &format!("/api/v1/introductions/{id}/transitions"),
            None,
            Some(&json!({"to": to})),
        )
        .await;
        intro = expect(res, 200, &format!("moving to {to}")).await;
    }
    model.intros.push(MIntro::from_view(&intro));
    intro
}

/// A CSV answer: checks the media type, the file name and the BOM, and returns the lines.
async fn csv_lines(app: &TestApp, path: &str, file: &str) -> Vec<String> {
    let res = app.get(path, Some(OPERATOR)).await;
    assert_eq!(res.status(), 200, "{path}");
    let ct = res.headers()["content-type"].to_str().unwrap().to_string();
    assert!(ct.starts_with("text/csv"), "{path}: {ct}");
    let cd = res.headers()["content-disposition"].to_str().unwrap().to_string();
    assert_eq!(cd, format!("attachment; filename=\"{file}\""), "{path}");
    let bytes = res.bytes().await.unwrap();
    let text = std::str::from_utf8(&bytes).expect("UTF-8");
    let text = text
        .strip_prefix('\u{feff}')
        .unwrap_or_else(|| panic!("{path}: no BOM"));
    text.lines().map(|l| l.trim_end_matches('\r').to_string()).collect()
}

/// Funnel rows as CSV lines, header first.
fn funnel_csv(rows: &[Value]) -> Vec<String> {
    let mut out = vec![format!("group,{}", FIGURES.join(","))];
    for r in rows {
        let mut cells = vec![r["group"].as_str().unwrap().to_string()];
        cells.extend(FIGURES.iter().map(|f| r[*f].to_string()));
        out.push(cells.join(","));
    }
    out
}

#[tokio::test]
async fn the_figures_reconcile_with_a_known_history() {
    let app = spawn_app_without_samples().await;
    let mut m = Model::default();
    let start = Utc::now();

    // two partner channels
    let (assoc, alumni) = ("assoc-de-test", "alumni-fr-test");
    create_channel(&app, assoc, "DE", "association").await;
    create_channel(&app, alumni, "FR", "alumni").await;

    // seven experts across channels, sectors and statuses; one erased
    let e1 = expert(
        &app,
        &mut m,
        "e1@example.de",
        "Europe/Berlin",
        Some(assoc),
        &["ai"],
        "active",
    )
    .await;
    let e2 = expert(
        &app,
        &mut m,
        "e2@example.de",
        "Europe/Berlin",
        Some(assoc),
        &["energy.batteries", "ai.autonomous-driving"],
        "active",
    )
    .await;
    let e3 = expert(
        &app,
        &mut m,
        "e3@example.fr",
        "Europe/Paris",
        Some(alumni),
        &["biomed.devices"],
        "active",
    )
    .await;
    let e4 = expert(&app, &mut m, "e4@example.de", "Europe/Berlin", None, &[], "active").await;
    let e5 = expert(
        &app,
        &mut m,
        "e5@example.fr",
        "Europe/Paris",
        Some(alumni),
        &["ai"],
        "pending_review",
    )
    .await;
    let e6 = expert(
        &app,
        &mut m,
        "e6@example.de",
        "Europe/Berlin",
        None,
        &["marine"],
        "inactive",
    )
    .await;
    expert(
        &app,
        &mut m,
        "e7@example.de",
        "Europe/Berlin",
        Some(assoc),
        &["ai"],
        "erased",
    )
    .await;

    // five needs; the first two of one enterprise written two ways
    let n1 = need(&app, &mut m, "Nansha Robotics Co.", &["ai"]).await;
    let n2 = need(&app, &mut m, "  nansha   ROBOTICS co. ", &["energy.batteries"]).await;
    let n3 = need(&app, &mut m, "Pearl River Biotech", &["biomed.diagnostics", "ai"]).await;
    let n4 = need(&app, &mut m, "Lonely Marine Ltd", &["marine.ports"]).await;
    let n5 = need(&app, &mut m, "Quiet Works", &["ic"]).await;

    // events: X published in December; Y without a schedule; V only drafted; W published on New
    // Year's Eve in Los Angeles (already 2027 in Shanghai); Z next year
    let afternoon = [
        ("2026-12-10T16:00", "2026-12-10T16:30"),
        ("2026-12-10T16:40", "2026-12-10T17:10"),
    ];
    let (x, x_meetings) = event(
        &app,
        &mut m,
        SHANGHAI,
        "2026-12-10",
        &afternoon,
        &[&n1, &n3],
        &[&e2, &e3],
        Some("published"),
    )
    .await;
    event(
        &app,
        &mut m,
        SHANGHAI,
        "2026-12-15",
        &[("2026-12-15T16:00", "2026-12-15T16:30")],
        &[&n2],
        &[&e5],
        None,
    )
    .await;
    event(
        &app,
        &mut m,
        SHANGHAI,
        "2026-12-20",
        &[("2026-12-20T16:00", "2026-12-20T16:30")],
        &[&n5],
        &[&e4],
        Some("draft"),
    )
    .await;
    let (_, w_meetings) = event(
        &app,
        &mut m,
        "America/Los_Angeles",
        "2026-12-31",
        &[("2026-12-31T10:00", "2026-12-31T10:30")],
        &[&n4],
        &[&e1],
        Some("published"),
    )
    .await;
    assert_eq!(w_meetings.len(), 1);
    assert_eq!(w_meetings[0]["slot"]["start"], "2026-12-31T10:00:00-08:00");
    event(
        &app,
        &mut m,
        SHANGHAI,
        "2027-01-05",
        &[("2027-01-05T16:00", "2027-01-05T16:30")],
        &[&n4],
        &[&e6],
        None,
    )
    .await;

    // introductions: landed, agreed then withdrawn (from X), met then declined and proposed again,
    // withdrawn at once, left proposed
    let full = ["contacted", "met", "negotiating", "agreed", "landed"];
    introduce(&app, &mut m, json!({"need": n1, "expert": e1}), &full).await;
    let from_x = introduce(
        &app,
        &mut m,
        json!({"event": x, "meeting": x_meetings[0]["id"]}),
        &["contacted", "met", "negotiating", "agreed", "withdrawn"],
    )
    .await;
    assert_eq!(from_x["event_id"], x.as_str());
    introduce(
        &app,
        &mut m,
        json!({"need": n3, "expert": e4, "source": "match"}),
        &["contacted", "met", "declined"],
    )
    .await;
    introduce(&app, &mut m, json!({"need": n3, "expert": e4}), &[]).await;
    introduce(&app, &mut m, json!({"need": n2, "expert": e3}), &["withdrawn"]).await;
    introduce(&app, &mut m, json!({"need": n2, "expert": e2}), &[]).await;
    let _ = (e6, n5);

    let mut wrong = Mismatches::default();

    // the yearly summary, in the base's zone and in UTC, this year and next
    for (year, zone) in [(2026, SHANGHAI), (2026, "UTC"), (2027, SHANGHAI), (2027, "UTC")] {
        let got = app
            .get_ok(&format!("/api/v1/reports/yearly?year={year}&time_zone={zone}"))
            .await;
        wrong.check(&format!("yearly {year} {zone}"), &got, &m.year(year, zone));
    }
    let want = m.year(2026, SHANGHAI);
    let lines = csv_lines(&app, "/api/v1/reports/yearly?year=2026&format=csv", "summary-2026.csv").await;
    let got: BTreeSet<String> = lines.iter().skip(1).cloned().collect();
    let expected: BTreeSet<String> = want
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, v)| format!("{k},{}", v.as_str().map_or_else(|| v.to_string(), str::to_string)))
        .collect();
    wrong.check("yearly CSV header", &json!(lines.first()), &json!("figure,value"));
    wrong.check("yearly CSV rows", &json!(got), &json!(expected));
    wrong.check("yearly CSV has one row per figure", &json!(lines.len()), &json!(10));

    // the funnel over the whole of 2026, every grouping
    let year_from = date("2026-01-01");
    let year_to = date("2026-12-31");
    for by in ["total", "month", "quarter", "year", "channel", "sector", "event"] {
        let got = app
            .get_ok(&format!("/api/v1/reports/funnel?from=2026-01-01&to=2026-12-31&by={by}"))
            .await;
        let want = json!({"from": "2026-01-01", "to": "2026-12-31", "time_zone": SHANGHAI, "by": by,
                          "rows": m.funnel(year_from, year_to, SHANGHAI, by)});
        wrong.check(&format!("funnel 2026 by {by}"), &got, &want);
        let lines = csv_lines(
            &app,
            &format!("/api/v1/reports/funnel?from=2026-01-01&to=2026-12-31&by={by}&format=csv"),
            &format!("funnel-2026-01-01-2026-12-31-{by}.csv"),
        )
        .await;
        wrong.check(
            &format!("funnel CSV 2026 by {by}"),
            &json!(lines),
            &json!(funnel_csv(want["rows"].as_array().unwrap())),
        );
    }
    // other periods and zones
    for (from, to, zone, by) in [
        ("2026-12-01", "2026-12-31", SHANGHAI, "total"),
        ("2026-12-01", "2026-12-31", SHANGHAI, "event"),
        ("2026-12-11", "2026-12-31", SHANGHAI, "channel"),
        ("2027-01-01", "2027-12-31", SHANGHAI, "total"),
        ("2026-01-01", "2027-12-31", "UTC", "quarter"),
        ("2026-01-01", "2027-12-31", "America/Los_Angeles", "sector"),
    ] {
        let got = app
            .get_ok(&format!(
                "/api/v1/reports/funnel?from={from}&to={to}&by={by}&time_zone={zone}"
            ))
            .await;
        let want = json!({"from": from, "to": to, "time_zone": zone, "by": by,
                          "rows": m.funnel(date(from), date(to), zone, by)});
        wrong.check(&format!("funnel {from}..{to} {zone} by {by}"), &got, &want);
    }
    // by default: this year up to today in the base's zone, one total row
    let got = app.get_ok("/api/v1/reports/funnel").await;
    let today = local_day(Utc::now(), SHANGHAI);
    assert_eq!(
        local_day(start, SHANGHAI),
        today,
        "the test ran across midnight in Shanghai"
    );
    let jan1 = NaiveDate::from_ymd_opt(today.year(), 1, 1).unwrap();
    let want = json!({"from": jan1.to_string(), "to": today.to_string(), "time_zone": SHANGHAI, "by": "total",
                      "rows": m.funnel(jan1, today, SHANGHAI, "total")});
    wrong.check("funnel by default", &got, &want);
    let got = app.get_ok("/api/v1/reports/yearly").await;
    wrong.check("yearly by default", &got, &m.year(today.year(), SHANGHAI));

    assert!(
        wrong.0.is_empty(),
        "{} figures are off:\n{}",
        wrong.0.len(),
        wrong.0.join("\n")
    );
}

#[tokio::test]
async fn an_empty_base_reports_zeros_and_csv_headers() {
    let app = spawn_app_without_samples().await;
    let funnel = app
        .get_ok("/api/v1/reports/funnel?from=2026-01-01&to=2026-12-31&time_zone=Europe/Paris")
        .await;
    assert_eq!(
        funnel,
        json!({"from": "2026-01-01", "to": "2026-12-31", "time_zone": "Europe/Paris", "by": "total",
               "rows": [{"group": "all", "registered": 0, "shortlisted": 0, "introduced": 0, "met": 0,
                         "agreed": 0, "landed": 0}]})
    );
    let by_channel = app
        .get_ok("/api/v1/reports/funnel?from=2026-01-01&to=2026-12-31&by=channel")
        .await;
    assert_eq!(by_channel["rows"], json!([]));
    let lines = csv_lines(
        &app,
        "/api/v1/reports/funnel?from=2026-01-01&to=2026-12-31&by=channel&format=csv",
        "funnel-2026-01-01-2026-12-31-channel.csv",
    )
    .await;
    assert_eq!(lines, funnel_csv(&[]), "a header even without rows");
    let year = app.get_ok("/api/v1/reports/yearly?year=2030").await;
    assert_eq!(
        year,
        json!({"year": 2030, "time_zone": SHANGHAI, "experts_registered": 0, "needs_collected": 0,
               "enterprises_served": 0, "events_held": 0, "meetings": 0, "agreements": 0, "landed_projects": 0})
    );
    let renewal = app.get_ok("/api/v1/reports/renewal").await;
    assert_eq!(renewal, json!({"stale_after_days": 365, "experts": [], "needs": []}));
}

#[tokio::test]
async fn renewal_lists_stale_profiles_and_open_needs_past_their_deadline() {
    let app = spawn_app_without_samples().await;
    let mut m = Model::default();
    let active = expert(
        &app,
        &mut m,
        "active@example.de",
        "Europe/Berlin",
        None,
        &["ai"],
        "active",
    )
    .await;
    let pending = expert(
        &app,
        &mut m,
        "pending@example.de",
        "Europe/Berlin",
        None,
        &[],
        "pending_review",
    )
    .await;
    let inactive = expert(
        &app,
        &mut m,
        "inactive@example.de",
        "Europe/Berlin",
        None,
        &[],
        "inactive",
    )
    .await;

    let with_deadline = |deadline: Option<&str>, title: &str| {
        let mut body = need_body();
        body["title"] = json!(title);
        match deadline {
            Some(d) => body["deadline"] = json!(d),
            None => drop(body.as_object_mut().unwrap().remove("deadline")),
        }
        body
    };
    let (open_past, _) = app
        .create_need(&with_deadline(Some("2026-01-31"), "Open past its deadline"))
        .await;
    let (paused_past, _) = app
        .create_need(&with_deadline(Some("2026-03-15"), "Paused past its deadline"))
        .await;
    set_status(&app, &format!("/api/v1/needs/{paused_past}"), "paused").await;
    let mut left_alone = Vec::new();
    for (status, deadline) in [("closed", "2026-01-31"), ("filled", "2025-12-31")] {
        let (id, _) = app
            .create_need(&with_deadline(Some(deadline), &format!("{status} past its deadline")))
            .await;
        set_status(&app, &format!("/api/v1/needs/{id}"), status).await;
        left_alone.push(id);
    }
    let (future, _) = app
        .create_need(&with_deadline(Some("2027-06-30"), "Deadline ahead"))
        .await;
    let (no_deadline, _) = app.create_need(&with_deadline(None, "No deadline")).await;
    left_alone.extend([future, no_deadline]);

    let due = app.get_ok("/api/v1/reports/renewal?stale_after_days=0").await;
    assert_eq!(due["stale_after_days"], 0);
    let experts = due["experts"].as_array().unwrap();
    let listed: Vec<&str> = experts.iter().map(|e| e["id"].as_str().unwrap()).collect();
    let mut by_update: Vec<(DateTime<Utc>, String, Value)> = Vec::new();
    for id in [&active, &pending] {
        let view = app.get_ok(&format!("/api/v1/experts/{id}")).await;
        by_update.push((instant(&view["updated_at"]), id.to_string(), view));
    }
    by_update.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(&b.1)));
    let want: Vec<&str> = by_update.iter().map(|(_, id, _)| id.as_str()).collect();
    assert_eq!(
        listed, want,
        "every active or pending profile, least recently updated first: {due:#}"
    );
    assert!(!listed.contains(&inactive.as_str()), "inactive profiles are left alone");
    for (e, (_, _, view)) in experts.iter().zip(&by_update) {
        assert_eq!(e["name"], view["name"]);
        assert_eq!(e["status"], view["status"]);
        assert_eq!(instant(&e["updated_at"]), instant(&view["updated_at"]));
        assert_eq!(e["days_since_update"], 0);
    }

    for zone in [SHANGHAI, "Pacific/Kiritimati", "Pacific/Pago_Pago"] {
        let path = match zone {
            SHANGHAI => "/api/v1/reports/renewal?stale_after_days=0".to_string(),
            z => format!("/api/v1/reports/renewal?stale_after_days=0&time_zone={z}"),
        };
        let due = app.get_ok(&path).await;
        let today = local_day(Utc::now(), zone);
        let days = |d: &str| (today - date(d)).num_days();
        assert_eq!(
            due["needs"],
            json!([
                {"id": open_past, "title": "Open past its deadline", "status": "open", "deadline": "2026-01-31",
                 "days_past_deadline": days("2026-01-31")},
                {"id": paused_past, "title": "Paused past its deadline", "status": "paused", "deadline": "2026-03-15",
                 "days_past_deadline": days("2026-03-15")},
            ]),
            "{zone}: open and paused needs past their deadline, earliest first; {left_alone:?} are not"
        );
    }

    // fresh profiles are not stale after a day, nor after the default year
    for query in ["stale_after_days=1", ""] {
        let due = app.get_ok(&format!("/api/v1/reports/renewal?{query}")).await;
        assert_eq!(due["experts"], json!([]), "{query}: {due:#}");
        assert_eq!(due["needs"].as_array().unwrap().len(), 2, "{query}");
    }
    assert_eq!(app.get_ok("/api/v1/reports/renewal").await["stale_after_days"], 365);
}

#[tokio::test]
async fn bad_report_parameters_are_refused_with_400() {
    let app = spawn_app_without_samples().await;
    let cases = [
        "/api/v1/reports/funnel?from=2026-13-01",
        "/api/v1/reports/funnel?from=yesterday",
        "/api/v1/reports/funnel?to=2026-02-30",
        "/api/v1/reports/funnel?from=2026-06-01&to=2026-05-31",
        "/api/v1/reports/funnel?by=week",
        "/api/v1/reports/funnel?by=",
        "/api/v1/reports/funnel?time_zone=Mars/Olympus",
        "/api/v1/reports/funnel?format=xml",
        "/api/v1/reports/funnel?colour=red",
        "/api/v1/reports/yearly?year=1999",
        "/api/v1/reports/yearly?year=2101",
        "/api/v1/reports/yearly?year=twenty",
        "/api/v1/reports/yearly?time_zone=Nowhere",
        "/api/v1/reports/yearly?format=pdf",
        "/api/v1/reports/yearly?from=2026-01-01",
        "/api/v1/reports/renewal?stale_after_days=-1",
        "/api/v1/reports/renewal?stale_after_days=3651",
        "/api/v1/reports/renewal?stale_after_days=a%20year",
        "/api/v1/reports/renewal?time_zone=Europe/Atlantis",
        "/api/v1/reports/renewal?format=csv",
    ];
    for path in cases {
        let res = app.get(path, Some(OPERATOR)).await;
        assert_eq!(problem_code(res, 400, path).await, "invalid_parameter", "{path}");
    }
    // the bounds themselves are accepted
    for path in [
        "/api/v1/reports/funnel?from=2026-05-31&to=2026-05-31",
        "/api/v1/reports/yearly?year=2000",
        "/api/v1/reports/yearly?year=2100",
        "/api/v1/reports/renewal?stale_after_days=3650",
    ] {
        app.get_ok(path).await;
    }
}

#[tokio::test]
async fn reports_and_channel_changes_are_for_operators_only() {
    let app = spawn_app_without_samples().await;
    create_channel(&app, "guarded", "DE", "association").await;
    let (_, token, _) = app.register(&expert_body("curious@example.de")).await;
    let put = json!({"id": "guarded", "name": "Renamed", "country": "DE", "kind": "association"});
    let patch = json!({"name": "Renamed"});
    let calls: Vec<(Method, &str, Option<&Value>)> = vec![
        (Method::GET, "/api/v1/reports/funnel", None),
        (Method::GET, "/api/v1/reports/yearly", None),
        (Method::GET, "/api/v1/reports/renewal", None),
        (Method::PUT, "/api/v1/channels/guarded", Some(&put)),
        (Method::PATCH, "/api/v1/channels/guarded", Some(&patch)),
    ];
    for (method, path, body) in calls {
        let res = app.send(method.clone(), path, None, body).await;
        assert_eq!(problem_code(res, 401, path).await, "unauthorized", "{method} {path}");
        let res = app.send(method.clone(), path, Some(&token), body).await;
        assert_eq!(problem_code(res, 403, path).await, "forbidden", "{method} {path}");
    }
    assert_eq!(
        app.get_ok("/api/v1/channels/guarded").await["name"],
        "Partner guarded",
        "nothing changed"
    );
}

#[tokio::test]
async fn put_and_patch_change_a_channel_but_never_its_id_or_creation_time() {
    let app = spawn_app_without_samples().await;
    let created = create_channel(&app, "csa-test", "DE", "association").await;
    let created_at = created["created_at"].clone();
    assert!(created_at.is_string(), "{created:#}");
    let mut body = expert_body("member@example.de");
    body["channel"] = json!("csa-test");
    let (member, _, _) = app.register(&body).await;
    let path = "/api/v1/channels/csa-test";

    // PUT replaces the whole channel
    let put = json!({"id": "csa-test", "name": "CSA Deutschland", "country": "DE", "kind": "association",
                     "url": "https://csa.example.de"});
    let res = app.send(Method::PUT, path, Some(OPERATOR), Some(&put)).await;
    let replaced = expect(res, 200, "PUT").await;
    assert_eq!(
        replaced,
        json!({"id": "csa-test", "name": "CSA Deutschland", "country": "DE", "kind": "association",
               "url": "https://csa.example.de", "created_at": created_at})
    );
    assert_eq!(app.get_ok(path).await, replaced, "read back");
    let without_url = json!({"id": "csa-test", "name": "CSA Deutschland", "country": "DE", "kind": "association"});
    let res = app.send(Method::PUT, path, Some(OPERATOR), Some(&without_url)).await;
    let replaced = expect(res, 200, "PUT without url").await;
    assert!(
        replaced.get("url").is_none(),
        "a PUT without url removes it: {replaced:#}"
    );

    // PATCH merges
    let steps = [
        (json!({"name": "CSA Germany"}), json!({"name": "CSA Germany"})),
        (
            json!({"url": "https://csa.example.org"}),
            json!({"url": "https://csa.example.org"}),
        ),
        (
            json!({"kind": "alumni", "country": "AT"}),
            json!({"kind": "alumni", "country": "AT"}),
        ),
        (json!({"url": null}), json!({"url": null})),
        (json!({"created_at": "2000-01-01T00:00:00Z"}), json!({})),
        (json!({"id": "csa-test"}), json!({})),
    ];
    let mut want = replaced.clone();
    for (patch, change) in steps {
        for (k, v) in change.as_object().unwrap() {
            match v {
                Value::Null => drop(want.as_object_mut().unwrap().remove(k)),
                v => want[k] = v.clone(),
            }
        }
        let res = app.send(Method::PATCH, path, Some(OPERATOR), Some(&patch)).await;
        let patched = expect(res, 200, &format!("PATCH {patch}")).await;
        assert_eq!(patched, want, "PATCH {patch}");
        assert_eq!(app.get_ok(path).await, want, "read back after PATCH {patch}");
    }

    // the id never changes; bad members are named
    let mut moved = put.clone();
    moved["id"] = json!("csa-elsewhere");
    let cases = [
        (Method::PUT, moved, vec!["id"]),
        (Method::PATCH, json!({"id": "csa-elsewhere"}), vec!["id"]),
        (
            Method::PATCH,
            json!({"name": "", "country": "Germany", "kind": "club"}),
            vec!["country", "kind", "name"],
        ),
        (Method::PATCH, json!({"name": null}), vec!["name"]),
        (Method::PATCH, json!({"colour": "red"}), vec!["colour"]),
        (
            Method::PUT,
            json!({"id": "csa-test", "name": "No kind", "country": "DE"}),
            vec!["kind"],
        ),
        (
            Method::PUT,
            json!({"id": "csa-test", "name": "", "country": "de-DE", "kind": "association"}),
            vec!["country", "name"],
        ),
    ];
    for (method, body, want_fields) in cases {
        let res = app.send(method.clone(), path, Some(OPERATOR), Some(&body)).await;
        let problem = expect(res, 422, &format!("{method} {body}")).await;
        assert_eq!(fields(&problem), want_fields, "{method} {body}");
    }
    assert_eq!(app.get_ok(path).await, want, "refused changes change nothing");
    let res = app.get("/api/v1/channels/csa-elsewhere", Some(OPERATOR)).await;
    assert_eq!(res.status(), 404, "no channel was made under the new id");

    // unknown channel: 404; a malformed id: 400
    for (method, body) in [(Method::PUT, &put), (Method::PATCH, &json!({"name": "x"}))] {
        let mut b = body.clone();
        if method == Method::PUT {
            b["id"] = json!("no-such-channel");
        }
        let res = app
            .send(
                method.clone(),
                "/api/v1/channels/no-such-channel",
                Some(OPERATOR),
                Some(&b),
            )
            .await;
        assert_eq!(problem_code(res, 404, "unknown channel").await, "not_found", "{method}");
        let res = app
            .send(method.clone(), "/api/v1/channels/Not_A_Slug", Some(OPERATOR), Some(&b))
            .await;
        assert_eq!(
            problem_code(res, 400, "malformed id").await,
            "invalid_parameter",
            "{method}"
        );
    }

    // the expert still carries the channel, which is listed changed
    assert_eq!(
        app.get_ok(&format!("/api/v1/experts/{member}")).await["channel"],
        "csa-test"
    );
    let list = app.get_ok("/api/v1/channels").await;
    assert_eq!(list["items"], json!([want]));
    let by_channel = app.get_ok("/api/v1/experts?channel=csa-test").await;
    assert_eq!(by_channel["items"][0]["id"], member.as_str());
}
