//! The one route table, mounted by `startup` and compared with `schemas/openapi.json` by the tests.

use actix_web::{web, HttpRequest, HttpResponse};

use super::error::problem_response;
use super::handlers::{
    audit, channels, docs, events, experts, health, intake, introductions, matches, metrics, needs, reports, schedule,
    tags, viewer_tokens,
};

/// Every route as (method, path) in OpenAPI notation.
pub const ROUTES: &[(&str, &str)] = &[
    ("GET", "/healthz"),
    ("GET", "/readyz"),
    ("GET", "/metrics"),
    ("GET", "/openapi.json"),
    ("GET", "/docs/"),
    ("GET", "/api/v1/tags"),
    ("POST", "/api/v1/tags"),
    ("POST", "/api/v1/tags/resolve"),
    ("GET", "/api/v1/tags/{id}"),
    ("POST", "/api/v1/experts"),
    ("GET", "/api/v1/experts"),
    ("GET", "/api/v1/experts/{id}"),
    ("PUT", "/api/v1/experts/{id}"),
    ("PATCH", "/api/v1/experts/{id}"),
    ("DELETE", "/api/v1/experts/{id}"),
    ("GET", "/api/v1/experts/{id}/matches"),
    ("DELETE", "/api/v1/experts/{id}/consent"),
    ("GET", "/api/v1/experts/{id}/export"),
    ("POST", "/api/v1/needs"),
    ("GET", "/api/v1/needs"),
    ("GET", "/api/v1/needs/{id}"),
    ("PUT", "/api/v1/needs/{id}"),
    ("PATCH", "/api/v1/needs/{id}"),
    ("DELETE", "/api/v1/needs/{id}"),
    ("GET", "/api/v1/needs/{id}/matches"),
    ("GET", "/api/v1/needs/{id}/matches/{expert_id}"),
    ("POST", "/api/v1/match"),
    ("POST", "/api/v1/match/batch"),
    ("GET", "/api/v1/channels"),
    ("POST", "/api/v1/channels"),
    ("GET", "/api/v1/channels/{id}"),
    ("PUT", "/api/v1/channels/{id}"),
    ("PATCH", "/api/v1/channels/{id}"),
    ("POST", "/api/v1/events"),
    ("GET", "/api/v1/events"),
    ("GET", "/api/v1/events/{id}"),
    ("PUT", "/api/v1/events/{id}"),
    ("PATCH", "/api/v1/events/{id}"),
    ("DELETE", "/api/v1/events/{id}"),
    ("POST", "/api/v1/events/{id}/preferences"),
    ("GET", "/api/v1/events/{id}/shortlists"),
    ("GET", "/api/v1/events/{id}/schedule"),
    ("POST", "/api/v1/events/{id}/schedule"),
    ("DELETE", "/api/v1/events/{id}/schedule"),
    ("POST", "/api/v1/events/{id}/schedule/publish"),
    ("POST", "/api/v1/events/{id}/schedule/meetings"),
    ("PATCH", "/api/v1/events/{id}/schedule/meetings/{meeting_id}"),
    ("DELETE", "/api/v1/events/{id}/schedule/meetings/{meeting_id}"),
    ("GET", "/api/v1/events/{id}/slot-suggestions"),
    ("POST", "/api/v1/events/{id}/viewer-tokens"),
    ("GET", "/api/v1/events/{id}/viewer-tokens"),
    ("DELETE", "/api/v1/events/{id}/viewer-tokens/{name}"),
    ("POST", "/api/v1/introductions"),
    ("GET", "/api/v1/introductions"),
    ("GET", "/api/v1/introductions/{id}"),
    ("POST", "/api/v1/introductions/{id}/transitions"),
    ("POST", "/api/v1/introductions/{id}/contacts"),
    ("GET", "/api/v1/needs/{id}/introductions"),
    ("GET", "/api/v1/experts/{id}/introductions"),
    ("GET", "/api/v1/reports/funnel"),
    ("GET", "/api/v1/reports/yearly"),
    ("GET", "/api/v1/reports/renewal"),
    ("GET", "/api/v1/audit"),
    ("POST", "/api/v1/intake/experts"),
    ("POST", "/api/v1/intake/needs"),
];

async fn method_not_allowed(req: HttpRequest) -> HttpResponse {
    problem_response(
        actix_web::http::StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
        "Method not allowed",
        format!("{} is not allowed on {}", req.method(), req.path()),
    )
}

/// Answers unknown paths with a problem body.
pub async fn not_found(req: HttpRequest) -> HttpResponse {
    problem_response(
        actix_web::http::StatusCode::NOT_FOUND,
        "not_found",
        "Not found",
        format!("no route {}", req.path()),
    )
}

fn resource(path: &str) -> actix_web::Resource {
    web::resource(path).default_service(web::to(method_not_allowed))
}

/// Mounts every route.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(resource("/healthz").route(web::get().to(health::healthz)))
        .service(resource("/readyz").route(web::get().to(health::readyz)))
        .service(resource("/metrics").route(web::get().to(metrics::metrics)))
        .service(resource("/openapi.json").route(web::get().to(docs::openapi)))
        .service(resource("/docs").route(web::get().to(docs::docs_redirect)))
        .service(resource("/docs/{file:.*}").route(web::get().to(docs::asset)))
        .service(
            web::scope("/api/v1")
                .service(
                    resource("/tags")
                        .route(web::get().to(tags::search))
                        .route(web::post().to(tags::create)),
                )
                .service(resource("/tags/resolve").route(web::post().to(tags::resolve)))
                .service(resource("/tags/{id}").route(web::get().to(tags::get)))
                .service(
                    resource("/experts")
                        .route(web::post().to(experts::register))
                        .route(web::get().to(experts::list)),
                )
                .service(
                    resource("/experts/{id}")
                        .route(web::get().to(experts::get))
                        .route(web::put().to(experts::replace))
                        .route(web::patch().to(experts::patch))
                        .route(web::delete().to(experts::delete)),
                )
                .service(resource("/experts/{id}/matches").route(web::get().to(matches::for_expert)))
                .service(resource("/experts/{id}/consent").route(web::delete().to(experts::withdraw_consent)))
                .service(resource("/experts/{id}/export").route(web::get().to(experts::export)))
                .service(resource("/needs/{id}/matches").route(web::get().to(matches::for_need)))
                .service(resource("/needs/{id}/matches/{expert_id}").route(web::get().to(matches::pair)))
                .service(resource("/match").route(web::post().to(matches::adhoc)))
                .service(resource("/match/batch").route(web::post().to(matches::batch)))
                .service(
                    resource("/needs")
                        .route(web::post().to(needs::create))
                        .route(web::get().to(needs::list)),
                )
                .service(
                    resource("/needs/{id}")
                        .route(web::get().to(needs::get))
                        .route(web::put().to(needs::replace))
                        .route(web::patch().to(needs::patch))
                        .route(web::delete().to(needs::delete)),
                )
                .service(
                    resource("/channels")
                        .route(web::get().to(channels::list))
                        .route(web::post().to(channels::create)),
                )
                .service(
                    resource("/channels/{id}")
                        .route(web::get().to(channels::get))
                        .route(web::put().to(channels::replace))
                        .route(web::patch().to(channels::patch)),
                )
                .service(
                    resource("/events")
                        .route(web::post().to(events::create))
                        .route(web::get().to(events::list)),
                )
                .service(
                    resource("/events/{id}")
                        .route(web::get().to(events::get))
                        .route(web::put().to(events::replace))
                        .route(web::patch().to(events::patch))
                        .route(web::delete().to(events::delete)),
                )
                .service(resource("/events/{id}/preferences").route(web::post().to(events::add_preference)))
                .service(resource("/events/{id}/shortlists").route(web::get().to(schedule::shortlists)))
                .service(
                    resource("/events/{id}/schedule")
                        .route(web::get().to(schedule::get))
                        .route(web::post().to(schedule::draft))
                        .route(web::delete().to(schedule::discard)),
                )
                .service(resource("/events/{id}/schedule/publish").route(web::post().to(schedule::publish)))
                .service(resource("/events/{id}/schedule/meetings").route(web::post().to(schedule::add_meeting)))
                .service(
                    resource("/events/{id}/schedule/meetings/{meeting_id}")
                        .route(web::patch().to(schedule::move_meeting))
                        .route(web::delete().to(schedule::remove_meeting)),
                )
                .service(resource("/events/{id}/slot-suggestions").route(web::get().to(schedule::suggestions)))
                .service(
                    resource("/events/{id}/viewer-tokens")
                        .route(web::post().to(viewer_tokens::create))
                        .route(web::get().to(viewer_tokens::list)),
                )
                .service(resource("/events/{id}/viewer-tokens/{name}").route(web::delete().to(viewer_tokens::revoke)))
                .service(
                    resource("/introductions")
                        .route(web::post().to(introductions::create))
                        .route(web::get().to(introductions::list)),
                )
                .service(resource("/introductions/{id}").route(web::get().to(introductions::get)))
                .service(resource("/introductions/{id}/transitions").route(web::post().to(introductions::transition)))
                .service(
                    resource("/introductions/{id}/contacts").route(web::post().to(introductions::release_contacts)),
                )
                .service(resource("/needs/{id}/introductions").route(web::get().to(introductions::of_need)))
                .service(resource("/experts/{id}/introductions").route(web::get().to(introductions::of_expert)))
                .service(resource("/reports/funnel").route(web::get().to(reports::funnel)))
                .service(resource("/reports/yearly").route(web::get().to(reports::yearly)))
                .service(resource("/reports/renewal").route(web::get().to(reports::renewal)))
                .service(resource("/audit").route(web::get().to(audit::list)))
                .service(resource("/intake/experts").route(web::post().to(intake::experts)))
                .service(resource("/intake/needs").route(web::post().to(intake::needs))),
        );
}
