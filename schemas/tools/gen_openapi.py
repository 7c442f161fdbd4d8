"""Generates schemas/openapi.json from the schema files beside it, embedding them in components.schemas.

Every <name>.schema.json becomes components.schemas.<Name> (kebab-case to PascalCase) without $schema/$id;
its $defs are lifted to components.schemas under their own (globally unique) names; "$ref"s to other files
and to $defs are rewritten to "#/components/schemas/...". Run it after editing any schema file.
"""
import copy, json, pathlib, sys

DIR = pathlib.Path(sys.argv[1]) if len(sys.argv) > 1 else pathlib.Path(__file__).resolve().parent.parent


def component_name(filename):
    stem = filename[: -len(".schema.json")]
    return "".join(part.capitalize() for part in stem.split("-"))


files = {p.name: json.loads(p.read_text()) for p in sorted(DIR.glob("*.schema.json"))}
names = {f: component_name(f) for f in files}


def rewrite(node, current):
    if isinstance(node, dict):
        out = {}
        for k, v in node.items():
            if k == "$ref":
                target, _, pointer = v.partition("#")
                target = target or current
                if target not in files:
                    raise SystemExit(f"{current}: $ref to unknown file {v}")
                if pointer == "":
                    out[k] = "#/components/schemas/" + names[target]
                elif pointer.startswith("/$defs/") and pointer.count("/") == 2:
                    d = pointer[len("/$defs/"):]
                    if d not in files[target].get("$defs", {}):
                        raise SystemExit(f"{current}: $ref to unknown definition {v}")
                    out[k] = "#/components/schemas/" + d
                else:
                    raise SystemExit(f"{current}: unsupported $ref {v}")
            else:
                out[k] = rewrite(v, current)
        return out
    if isinstance(node, list):
        return [rewrite(v, current) for v in node]
    return node


schemas = {}
for f, doc in files.items():
    body = {k: v for k, v in doc.items() if k not in ("$schema", "$id", "$defs")}
    entries = [(names[f], body)] + list(doc.get("$defs", {}).items())
    for name, schema in entries:
        schema = rewrite(schema, f)
        if name in schemas and schemas[name] != schema:
            raise SystemExit(f"two different schemas named {name}")
        schemas[name] = schema
schemas = dict(sorted(schemas.items()))


def sref(name):
    return {"$ref": "#/components/schemas/" + name}


def json_content(name):
    return {"application/json": {"schema": sref(name)}}


def problem(desc):
    return {"description": desc, "content": {"application/problem+json": {"schema": sref("Problem")}}}


responses = {
    "BadRequest": problem("The body is not valid JSON (code malformed_json), or a path, query parameter or If-Match header is invalid (code invalid_parameter). Well-formed JSON of the wrong shape (wrong types, unknown or missing members) is 422."),
    "Unauthorized": problem("No bearer token, or a token that matches no one."),
    "Forbidden": problem("The token does not allow this (an expert token used on another expert, or on an operator route; a viewer token anywhere but its own event's shortlists and schedule)."),
    "NotFound": problem("No record with this id."),
    "Erased": problem("The expert was erased: only an id-only placeholder is kept (code erased); the id is never reused."),
    "Conflict": problem("The write conflicts with stored data (email_taken, tag_exists, channel_exists); `existing` names the record when there is one."),
    "PreconditionFailed": problem("If-Match named a version that is no longer current; `current_version` gives the current one."),
    "PayloadTooLarge": problem("The body is over the limit of 1 MiB."),
    "Unprocessable": problem("One or more fields are invalid; `errors` has one entry per bad field, with suggestions for unknown tags."),
    "TooManyRequests": {
        "description": "Too many requests of this kind from this client IP address (code rate_limited): registrations and tag searches are rate-limited per client; wait the seconds of Retry-After.",
        "headers": {"Retry-After": {"description": "Seconds to wait.", "schema": {"type": "integer", "minimum": 0}}},
        "content": {"application/problem+json": {"schema": sref("Problem")}},
    },
    "NotReady": problem("The store is not open or the index is not loaded yet."),
    "NeedNotOpen": problem("The need is not open (paused, filled or closed): only open needs are matched. The code is need_not_open and `existing` names the need."),
    "NoSchedule": problem("No event with this id, or the event has no schedule yet (draft one with POST /api/v1/events/{id}/schedule)."),
    "NoMeeting": problem("No event with this id, or its schedule has no meeting with this id."),
    "SchedulePublished": problem("The schedule is published (code schedule_published, `existing` names the event): discard it with DELETE /api/v1/events/{id}/schedule before drafting anew."),
    "NoScheduleYet": problem("The event has no schedule yet (code no_schedule)."),
    "MeetingConflict": problem("The change would break a scheduling rule; `code` names the first one and `detail` lists every rule broken: "
                               "double_booked (a side already has a meeting in that slot), over_quota (a side would pass its max), "
                               "pair_refused (a side said no_thanks), pair_already_meets (the pair already has a meeting), "
                               "outside_waking_hours (an online slot outside a side's waking hours), slot_full (an on-site slot holds "
                               "one meeting per table), table_taken (the table asked for is taken in that slot), not_a_participant "
                               "(the need or the expert does not take part in the event, or is no longer stored); no_schedule when "
                               "removing from an event without a schedule. Rules the schedule already broke before the change are not held against it."),
    "IntroductionExists": problem("The need and the expert already have an open introduction (not landed, declined or withdrawn): the code is introduction_exists and `existing` names it. Once it has ended a new one may be proposed."),
    "IllegalTransition": problem("The introduction may not move to that stage from where it stands (code illegal_transition): `allowed` lists the stages that may follow, empty once it is landed, declined or withdrawn."),
    "NoIntroductionSource": problem("No need, expert, event or meeting (in that event's schedule) with the id given."),
}


def r(name):
    return {"$ref": "#/components/responses/" + name}


ERR = {"410": "Erased", "400": "BadRequest", "401": "Unauthorized", "403": "Forbidden", "404": "NotFound", "409": "Conflict",
       "412": "PreconditionFailed", "413": "PayloadTooLarge", "422": "Unprocessable", "429": "TooManyRequests"}


def errors(*codes):
    return {str(c): r(ERR[str(c)]) for c in codes}


headers = {
    "ETag": {"description": "The record's version as an entity tag, such as \"3\"; send it back in If-Match.",
             "schema": {"type": "string"}},
    "Location": {"description": "The path of the new record.", "schema": {"type": "string", "format": "uri-reference"}},
}
ETAG = {"ETag": {"$ref": "#/components/headers/ETag"}}
LOC_ETAG = {"Location": {"$ref": "#/components/headers/Location"}, "ETag": {"$ref": "#/components/headers/ETag"}}
LOC = {"Location": {"$ref": "#/components/headers/Location"}}


def p(name):
    return {"$ref": "#/components/parameters/" + name}


def query(name, schema, desc):
    return {"name": name, "in": "query", "required": False, "description": desc, "schema": schema}


ENGAGEMENT_MODES = schemas["ExpertInput"]["properties"]["engagement_modes"]["items"]["enum"]
NEED_TYPES = schemas["NeedInput"]["properties"]["need_type"]["enum"]
EXPERT_STATUSES = schemas["Expert"]["properties"]["status"]["enum"]
NEED_STATUSES = schemas["Need"]["properties"]["status"]["enum"]
TAG_KINDS = schemas["Tag"]["properties"]["kind"]["enum"]
TAG_ID = {k: v for k, v in schemas["Tag"]["properties"]["id"].items() if k != "description"}
CHANNEL_ID = {k: v for k, v in schemas["Channel"]["properties"]["id"].items() if k != "description"}

parameters = {
    "ExpertId": {"name": "id", "in": "path", "required": True, "description": "The expert's id.", "schema": {"type": "string", "format": "uuid"}},
    "NeedId": {"name": "id", "in": "path", "required": True, "description": "The need's id.", "schema": {"type": "string", "format": "uuid"}},
    "TagId": {"name": "id", "in": "path", "required": True, "description": "The concept id, such as ai.nlp.", "schema": TAG_ID},
    "ChannelId": {"name": "id", "in": "path", "required": True, "description": "The channel id, such as csa-germany.", "schema": CHANNEL_ID},
    "IfMatch": {"name": "If-Match", "in": "header", "required": False,
                "description": "The version the change is based on, as given in the record's ETag (such as \"3\"). When it is no longer current the write is refused with 412. Without it the write is unconditional.",
                "schema": {"type": "string"}},
    "Cursor": query("cursor", {"type": "string"}, "Opaque cursor from the previous page's next_cursor."),
    "Limit": query("limit", {"type": "integer", "minimum": 1, "maximum": 200, "default": 50}, "Page size, 1 to 200."),
    "TagFilter": query("tag", {"type": "string"}, "Only records with this skill or a narrower one (id, label or alias)."),
    "SectorFilter": query("sector", {"type": "string"}, "Only records in this sector or a narrower one (id, label or alias)."),
    "PairExpertId": {"name": "expert_id", "in": "path", "required": True, "description": "The expert's id.", "schema": {"type": "string", "format": "uuid"}},
    "MatchK": query("k", {"type": "integer", "minimum": 1, "maximum": 100, "default": 20}, "The most results, 1 to 100 (out of range: 400)."),
    "MatchExplain": query("explain", {"type": "boolean", "default": True}, "Whether each item carries its explanation."),
    "MatchMinScore": query("min_score", {"type": "number", "minimum": 0, "maximum": 1, "default": 0},
                           "Only experts scoring at least this, 0 to 1."),
    "MatchMode": query("mode", {"type": "string", "enum": ENGAGEMENT_MODES}, "Only experts accepting this engagement mode."),
    "MatchCountry": query("country", {"type": "string", "pattern": "^[A-Za-z]{2}$"}, "Only experts living in this country (ISO 3166-1 alpha-2, any case)."),
    "MatchLanguage": query("language", {"type": "string", "pattern": "^[A-Za-z]{2}$"}, "Only experts speaking this language (ISO 639-1, any case)."),
    "MatchChannel": query("channel", CHANNEL_ID, "Only experts brought by this channel."),
    "MatchSector": query("sector", {"type": "string"}, "Only experts in this sector or a narrower one (id, label or alias; unknown: 422 with suggestions)."),
    "MatchExclude": {**query("exclude", {"type": "array", "items": {"type": "string", "format": "uuid"}},
                             "Experts to leave out: their ids, comma-separated."), "style": "form", "explode": False},
}
EVENT_PARAMS = {
    "EventId": {"name": "id", "in": "path", "required": True, "description": "The event's id.", "schema": {"type": "string", "format": "uuid"}},
    "MeetingId": {"name": "meeting_id", "in": "path", "required": True, "description": "The meeting's id.", "schema": {"type": "string", "format": "uuid"}},
    "Anonymised": query("anonymised", {"type": "boolean", "default": False},
                        "Leave out names, organisations, cities and contacts (experts appear as a stable label such as Expert 03B2A4), for sharing with enterprises."),
    "MetBefore": query("met_before", {"type": "string", "enum": ["mark", "exclude"], "default": "mark"},
                       "Pairs that met at another event's published schedule: kept and flagged (mark) or left out (exclude; only placeable by hand)."),
}
parameters.update(EVENT_PARAMS)
MATCH_QUERY = [p(n) for n in ("MatchK", "MatchExplain", "MatchMinScore", "MatchMode", "MatchCountry", "MatchLanguage",
                              "MatchChannel", "MatchSector", "MatchExclude")]
MATCH_QUERY_NOTE = (" A k out of range, a malformed parameter or an unknown one is answered 400; a filter value that is not"
                    " valid (min_score out of 0..1, an unknown mode, country, language, channel id or sector, a bad id in"
                    " exclude) 422 with one entry per parameter.")

OPERATOR = "Operator only."
OPERATOR_OR_VIEWER = ("Operator, or a viewer token of this event (always anonymised, whatever anonymised says; 403 for "
                      "another event).")
EXPERT_OR_OPERATOR = "Operator, or the expert with their own token."
PUBLIC = [{"security": []}]


def op(op_id, summary, tag, desc=None, params=(), body=None, resp=None, public=False):
    o = {"operationId": op_id, "summary": summary, "tags": [tag]}
    if desc:
        o["description"] = desc
    if params:
        o["parameters"] = list(params)
    if body:
        o["requestBody"] = body
    o["responses"] = resp
    if public:
        o["security"] = []
    return o


def attachment(media_type, desc):
    """A file download: the body as `media_type`, with Content-Disposition naming the file."""
    return {media_type: {"schema": {"type": "string", "description": desc}}}


DISPOSITION = {"Content-Disposition": {"description": "attachment; filename=\"...\"", "schema": {"type": "string"}}}


def body(name, desc, merge_patch=False):
    content = {"application/json": {"schema": sref(name)}}
    if merge_patch:
        content = {"application/merge-patch+json": {"schema": sref(name)}, "application/json": {"schema": sref(name)}}
    return {"required": True, "description": desc, "content": content}


def ok(desc, schema=None, hdrs=None, content=None):
    resp = {"description": desc}
    if hdrs:
        resp["headers"] = hdrs
    if schema:
        resp["content"] = json_content(schema)
    if content:
        resp["content"] = content
    return resp


paths = {
    "/healthz": {"get": op("healthz", "Liveness", "health", "Answers 200 while the process serves requests.",
                           resp={"200": {"description": "Alive."}}, public=True)},
    "/readyz": {"get": op("readyz", "Readiness", "health", "Answers 200 once the store is open and the index loaded.",
                          resp={"200": {"description": "Ready."}, "503": r("NotReady")}, public=True)},
    "/metrics": {"get": op("metrics", "Prometheus metrics", "health",
                           resp={"200": ok("Metrics in the Prometheus text exposition format.",
                                           content={"text/plain": {"schema": {"type": "string"}}})}, public=True)},
    "/openapi.json": {"get": op("getOpenapi", "This contract", "docs",
                                resp={"200": ok("The OpenAPI document.", content={"application/json": {"schema": {"type": "object"}}})},
                                public=True)},
    "/docs/": {"get": op("docs", "Browsable API (Swagger UI)", "docs",
                         resp={"200": ok("The Swagger UI page.", content={"text/html": {"schema": {"type": "string"}}})},
                         public=True)},
    "/api/v1/tags": {
        "get": op("searchTags", "Search or autocomplete concepts", "taxonomy",
                  "Matches labels and aliases in zh, en and fr (any case, full- or half-width). Without q: the root concepts.",
                  params=[query("q", {"type": "string", "maxLength": 100}, "Text to search for."),
                          query("kind", {"type": "string", "enum": TAG_KINDS}, "Only concepts of this kind."),
                          query("lang", {"type": "string", "enum": ["en", "zh", "fr"], "default": "en"}, "Language of each hit's `label`."),
                          query("limit", {"type": "integer", "minimum": 1, "maximum": 50, "default": 10}, "Most hits, 1 to 50.")],
                  resp={"200": ok("Hits, best first.", "TagSearch"), **errors(400, 429)}, public=True),
        "post": op("createTag", "Add a concept", "taxonomy", OPERATOR,
                   body=body("TagInput", "The new concept."),
                   resp={"201": ok("The concept, as added.", "Tag", LOC), **errors(400, 401, 403, 409, 413, 422)}),
    },
    "/api/v1/tags/resolve": {
        "post": op("resolveTags", "Turn free inputs into concept ids", "taxonomy",
                   "Each input may be an id, or a label or alias in any language; unknown ones come back with suggestions.",
                   body=body("ResolveRequest", "The inputs."),
                   resp={"200": ok("One result per input, in order.", "ResolveResponse"), **errors(400, 413, 422, 429)}, public=True),
    },
    "/api/v1/tags/{id}": {
        "get": op("getTag", "One concept with its parent and children", "taxonomy", params=[p("TagId")],
                  resp={"200": ok("The concept.", "Tag"), **errors(400, 404)}, public=True),
    },
    "/api/v1/experts": {
        "post": op("registerExpert", "Register an expert", "experts",
                   "Public and rate-limited. Consent (`consent.given: true`) is required. The profile lands as pending_review; "
                   "the answer carries the expert's secret token, shown this once.",
                   body=body("ExpertInput", "The profile, with consent."),
                   resp={"201": ok("Registered.", "Registration", LOC_ETAG), **errors(400, 409, 413, 422, 429)}, public=True),
        "get": op("listExperts", "List experts", "experts", OPERATOR + " Every filter given must hold; pages in id order.",
                  params=[p("TagFilter"), p("SectorFilter"),
                          query("country", {"type": "string", "pattern": "^[A-Za-z]{2}$"}, "Only experts living in this country (ISO 3166-1 alpha-2)."),
                          query("mode", {"type": "string", "enum": ENGAGEMENT_MODES}, "Only experts accepting this engagement mode."),
                          query("language", {"type": "string", "pattern": "^[A-Za-z]{2}$"}, "Only experts speaking this language (ISO 639-1)."),
                          query("status", {"type": "string", "enum": EXPERT_STATUSES}, "Only experts with this status."),
                          query("channel", CHANNEL_ID, "Only experts brought by this channel."),
                          p("Cursor"), p("Limit")],
                  resp={"200": ok("One page of experts.", "ExpertList"), **errors(400, 401, 403)}),
    },
    "/api/v1/experts/{id}": {
        "get": op("getExpert", "Read an expert", "experts", EXPERT_OR_OPERATOR,
                  resp={"200": ok("The expert.", "Expert", ETAG), **errors(400, 401, 403, 404, 410)}),
        "put": op("replaceExpert", "Replace an expert's profile", "experts", EXPERT_OR_OPERATOR, params=[p("IfMatch")],
                  body=body("ExpertInput", "The whole profile."),
                  resp={"200": ok("The expert, as changed.", "Expert", ETAG), **errors(400, 401, 403, 404, 410, 409, 412, 413, 422)}),
        "patch": op("patchExpert", "Update an expert", "experts",
                    EXPERT_OR_OPERATOR + " A JSON merge patch (RFC 7396) of the profile, plus status.", params=[p("IfMatch")],
                    body=body("ExpertPatch", "The members to change.", merge_patch=True),
                    resp={"200": ok("The expert, as changed.", "Expert", ETAG), **errors(400, 401, 403, 404, 410, 409, 412, 413, 422)}),
        "delete": op("deleteExpert", "Erase an expert", "experts", EXPERT_OR_OPERATOR + " Removes the personal data and the token.",
                     params=[p("IfMatch")],
                     resp={"204": {"description": "Erased."}, **errors(400, 401, 403, 404, 410, 412)}),
    },
    "/api/v1/experts/{id}/consent": {
        "delete": op("withdrawConsent", "Withdraw consent", "experts",
                     EXPERT_OR_OPERATOR + " Records that the expert withdrew consent to the processing of its profile: "
                     "the expert leaves matching at once (gate no_consent) and the withdrawal is audited. Consent is "
                     "given again with PUT or PATCH and a consent member.",
                     params=[p("IfMatch")],
                     resp={"200": ok("The expert, with consent.withdrawn_at.", "Expert", ETAG), **errors(400, 401, 403, 404, 410, 412)}),
    },
    "/api/v1/experts/{id}/export": {
        "get": op("exportExpert", "Everything stored about an expert", "experts",
                  EXPERT_OR_OPERATOR + " The profile with consent and status, the events that list the expert with its "
                  "own meetings, its introductions and the audit entries about it, as one JSON document (sent as an "
                  "attachment). The export itself is audited.",
                  resp={"200": ok("The expert's data.", "PersonalData"), **errors(400, 401, 403, 404, 410)}),
    },
    "/api/v1/needs": {
        "post": op("createNeed", "Record a need", "needs", OPERATOR, body=body("NeedInput", "The need."),
                   resp={"201": ok("The need, as recorded.", "Need", LOC_ETAG), **errors(400, 401, 403, 413, 422)}),
        "get": op("listNeeds", "List needs", "needs", OPERATOR + " Every filter given must hold; pages in id order.",
                  params=[p("TagFilter"), p("SectorFilter"),
                          query("status", {"type": "string", "enum": NEED_STATUSES}, "Only needs with this status."),
                          query("need_type", {"type": "string", "enum": NEED_TYPES}, "Only needs of this type."),
                          p("Cursor"), p("Limit")],
                  resp={"200": ok("One page of needs.", "NeedList"), **errors(400, 401, 403)}),
    },
    "/api/v1/needs/{id}": {
        "get": op("getNeed", "Read a need", "needs", OPERATOR,
                  resp={"200": ok("The need.", "Need", ETAG), **errors(400, 401, 403, 404)}),
        "put": op("replaceNeed", "Replace a need", "needs", OPERATOR, params=[p("IfMatch")],
                  body=body("NeedInput", "The whole need."),
                  resp={"200": ok("The need, as changed.", "Need", ETAG), **errors(400, 401, 403, 404, 412, 413, 422)}),
        "patch": op("patchNeed", "Update a need", "needs", OPERATOR + " A JSON merge patch (RFC 7396) of the need.",
                    params=[p("IfMatch")], body=body("NeedPatch", "The members to change.", merge_patch=True),
                    resp={"200": ok("The need, as changed.", "Need", ETAG), **errors(400, 401, 403, 404, 412, 413, 422)}),
        "delete": op("deleteNeed", "Delete a need", "needs", OPERATOR, params=[p("IfMatch")],
                     resp={"204": {"description": "Deleted."}, **errors(400, 401, 403, 404, 412)}),
    },
    "/api/v1/needs/{id}/matches": {
        "get": op("matchNeed", "Rank experts for a stored need", "matching",
                  OPERATOR + " The best k experts for an open need, best first, with the reasons of each score unless "
                  "explain=false. Experts that are not active, lack a must-have skill (or a narrower one), share no "
                  "engagement mode, do not speak a required language or share nothing with the need are left out, "
                  "as are those the filters remove." + MATCH_QUERY_NOTE,
                  params=[p("NeedId"), *MATCH_QUERY],
                  resp={"200": ok("Ranked experts.", "MatchList"), **errors(400, 401, 403, 404), "409": r("NeedNotOpen"),
                        **errors(422)}),
    },
    "/api/v1/needs/{id}/matches/{expert_id}": {
        "get": op("matchPair", "Explain one need and expert", "matching",
                  OPERATOR + " The pair's score and reasons when it matches; otherwise every gate that removes the "
                  "expert (need_not_open first when the need is not open). No query filters apply.",
                  params=[p("NeedId"), p("PairExpertId")],
                  resp={"200": ok("The verdict.", "MatchPair"), **errors(400, 401, 403, 404)}),
    },
    "/api/v1/experts/{id}/matches": {
        "get": op("matchExpert", "Open needs that fit an expert", "matching",
                  EXPERT_OR_OPERATOR + " The best k open needs for the expert, best first, with reasons and without "
                  "the enterprises' contacts. The expert's own review status does not gate this view.",
                  params=[p("ExpertId"), p("MatchK")],
                  resp={"200": ok("Fitting needs.", "ExpertMatches"), **errors(400, 401, 403, 404, 410)}),
    },
    "/api/v1/match": {
        "post": op("matchAdhoc", "Rank experts for a need being drafted", "matching",
                   OPERATOR + " Ranks experts for a need that is not stored, as GET /api/v1/needs/{id}/matches does for "
                   "a stored one; the answer's need_id is null. An invalid body (unknown tags come with suggestions) "
                   "is answered 422." + MATCH_QUERY_NOTE,
                   params=MATCH_QUERY, body=body("AdhocNeed", "The draft need; only skills is required."),
                   resp={"200": ok("Ranked experts.", "MatchList"), **errors(400, 401, 403, 413, 422)}),
    },
    "/api/v1/match/batch": {
        "post": op("matchBatch", "Rank experts for many stored needs", "matching",
                   OPERATOR + " Up to 500 stored needs at once, scored in parallel and answered in request order; "
                   "a need that does not exist or is not open gets its error (not_found, need_not_open) in its place "
                   "instead of failing the batch. A k out of range is answered 400, a bad need_ids list 422.",
                   body=body("MatchBatchRequest", "The need ids, k and explain."),
                   resp={"200": ok("One result per need id, in order.", "MatchBatchResponse"),
                         **errors(400, 401, 403, 413, 422)}),
    },
    "/api/v1/events": {
        "post": op("createEvent", "Record an event", "events",
                   OPERATOR + " Every need and expert named must be stored (else 422 naming needs[i].need or experts[i].expert).",
                   body=body("EventInput", "The event."),
                   resp={"201": ok("The event, as recorded.", "Event", LOC_ETAG), **errors(400, 401, 403, 413, 422)}),
        "get": op("listEvents", "List events", "events", OPERATOR + " Pages in id order.",
                  params=[p("Cursor"), p("Limit")],
                  resp={"200": ok("One page of events.", "EventList"), **errors(400, 401, 403)}),
    },
    "/api/v1/events/{id}": {
        "get": op("getEvent", "Read an event", "events", OPERATOR,
                  resp={"200": ok("The event.", "Event", ETAG), **errors(400, 401, 403, 404)}),
        "put": op("replaceEvent", "Replace an event", "events",
                  OPERATOR + " The schedule stays, without the meetings whose slot, need or expert left the event.",
                  params=[p("IfMatch")], body=body("EventInput", "The whole event."),
                  resp={"200": ok("The event, as changed.", "Event", ETAG), **errors(400, 401, 403, 404, 412, 413, 422)}),
        "patch": op("patchEvent", "Update an event", "events",
                    OPERATOR + " A JSON merge patch (RFC 7396) of the event as stored; the schedule stays, without the "
                    "meetings whose slot, need or expert left the event.",
                    params=[p("IfMatch")], body=body("EventPatch", "The members to change.", merge_patch=True),
                    resp={"200": ok("The event, as changed.", "Event", ETAG), **errors(400, 401, 403, 404, 412, 413, 422)}),
        "delete": op("deleteEvent", "Delete an event", "events", OPERATOR + " With its schedule.", params=[p("IfMatch")],
                     resp={"204": {"description": "Deleted."}, **errors(400, 401, 403, 404, 412)}),
    },
    "/api/v1/events/{id}/preferences": {
        "post": op("addEventPreference", "Record one side's preference for a pair", "events",
                   OPERATOR + " Replaces what that side said before about the pair; need and expert must take part in the "
                   "event (else 422). Changes the event's version.",
                   params=[p("EventId"), p("IfMatch")], body=body("PreferenceInput", "The preference."),
                   resp={"200": ok("The event, as changed.", "Event", ETAG), **errors(400, 401, 403, 404, 412, 413, 422)}),
    },
    "/api/v1/events/{id}/shortlists": {
        "get": op("getShortlists", "Shortlists of every need of an event", "schedules",
                  OPERATOR_OR_VIEWER + " Per participating need, the best k attending experts after the matching gates, with the "
                  "reasons of each score; no_thanks pairs left out; with cap, an expert on at most cap lists (its best "
                  "placements). format=csv gives the same as a spreadsheet (UTF-8 with a BOM, one row per listed expert). "
                  "An unknown query parameter is answered 400.",
                  params=[p("EventId"),
                          query("k", {"type": "integer", "minimum": 1, "maximum": 50, "default": 5}, "Experts per list, 1 to 50."),
                          query("cap", {"type": "integer", "minimum": 0}, "The most lists one expert may be on; no cap when not given."),
                          p("MetBefore"), p("Anonymised"),
                          query("format", {"type": "string", "enum": ["json", "csv"], "default": "json"}, "json, or csv for a spreadsheet.")],
                  resp={"200": {"description": "The shortlists.", "headers": DISPOSITION,
                                "content": {**json_content("Shortlists"),
                                            **attachment("text/csv", "UTF-8 with a BOM; a header row even without rows.")}},
                        **errors(400, 401, 403, 404)}),
    },
    "/api/v1/events/{id}/schedule": {
        "get": op("getSchedule", "An event's schedule", "schedules",
                  OPERATOR_OR_VIEWER + " As JSON (with the event's version as the ETag), as CSV (format=csv: one row per meeting, UTF-8 "
                  "with a BOM), or as one participant's iCalendar file (format=ics with need=<id> or expert=<id>).",
                  params=[p("EventId"), p("Anonymised"),
                          query("format", {"type": "string", "enum": ["json", "csv", "ics"], "default": "json"},
                                "json, csv, or ics (needs need or expert)."),
                          query("need", {"type": "string", "format": "uuid"}, "format=ics: the need whose meetings to export."),
                          query("expert", {"type": "string", "format": "uuid"}, "format=ics: the expert whose meetings to export.")],
                  resp={"200": {"description": "The schedule.", "headers": {**ETAG, **DISPOSITION},
                                "content": {**json_content("Schedule"),
                                            **attachment("text/csv", "UTF-8 with a BOM."),
                                            **attachment("text/calendar", "iCalendar (RFC 5545), one VEVENT per meeting.")}},
                        **errors(400, 401, 403), "404": r("NoSchedule")}),
        "post": op("draftSchedule", "Draft the schedule anew", "schedules",
                   OPERATOR + " Per slot, a maximum-weight assignment of needs to experts: must_meet pairs first, no_thanks "
                   "never, a pair at most once, quotas respected, online slots only inside both sides' waking hours, on-site "
                   "slots one meeting per table. Meetings placed by hand are kept unless keep_manual=false. The answer lists "
                   "what could not be placed. A published schedule must be discarded first (409 schedule_published).",
                   params=[p("EventId"), p("IfMatch"),
                           query("keep_manual", {"type": "boolean", "default": True}, "Keep the meetings organisers placed by hand."),
                           p("MetBefore")],
                   resp={"200": ok("The new draft.", "Schedule", ETAG), **errors(400, 401, 403, 404),
                         "409": r("SchedulePublished"), **errors(412)}),
        "delete": op("discardSchedule", "Discard the schedule", "schedules", OPERATOR + " Drafted or published.",
                     params=[p("EventId"), p("IfMatch")],
                     resp={"204": {"description": "Discarded."}, **errors(400, 401, 403, 404), "409": r("NoScheduleYet"),
                           **errors(412)}),
    },
    "/api/v1/events/{id}/schedule/publish": {
        "post": op("publishSchedule", "Publish the schedule", "schedules",
                   OPERATOR + " Participants may be told; its meetings count as met-before at every other event.",
                   params=[p("EventId"), p("IfMatch")],
                   resp={"200": ok("The published schedule.", "Schedule", ETAG), **errors(400, 401, 403, 404),
                         "409": r("NoScheduleYet"), **errors(412)}),
    },
    "/api/v1/events/{id}/schedule/meetings": {
        "post": op("addMeeting", "Place a meeting by hand", "schedules",
                   OPERATOR + " Under the scheduler's rules (409 names the rule broken). A slot that is not one of the "
                   "event's, or a table that is not one of its tables (or given for an online slot), is answered 422. "
                   "Without a schedule, this starts a draft.",
                   params=[p("EventId"), p("IfMatch")], body=body("MeetingInput", "The meeting."),
                   resp={"201": ok("The schedule with the meeting.", "Schedule", ETAG), **errors(400, 401, 403, 404),
                         "409": r("MeetingConflict"), **errors(412, 413, 422)}),
    },
    "/api/v1/events/{id}/schedule/meetings/{meeting_id}": {
        "patch": op("moveMeeting", "Move a meeting", "schedules",
                    OPERATOR + " To another slot or table, under the scheduler's rules; the meeting becomes manual.",
                    params=[p("EventId"), p("MeetingId"), p("IfMatch")], body=body("MeetingMove", "The new slot and table."),
                    resp={"200": ok("The schedule, as changed.", "Schedule", ETAG), **errors(400, 401, 403), "404": r("NoMeeting"),
                          "409": r("MeetingConflict"), **errors(412, 413, 422)}),
        "delete": op("removeMeeting", "Remove a meeting", "schedules", OPERATOR,
                     params=[p("EventId"), p("MeetingId"), p("IfMatch")],
                     resp={"200": ok("The schedule, as changed.", "Schedule", ETAG), **errors(400, 401, 403), "404": r("NoMeeting"),
                           "409": r("NoScheduleYet"), **errors(412)}),
    },
    "/api/v1/events/{id}/slot-suggestions": {
        "get": op("suggestSlots", "Windows where most participants are awake", "schedules",
                  OPERATOR + " For online events: windows of duration_minutes between from and to (the event's days by "
                  "default, at most 30 days apart), best first, with the participants who would be outside the event's "
                  "waking hours in their own zone.",
                  params=[p("EventId"),
                          query("duration_minutes", {"type": "integer", "minimum": 15, "maximum": 480, "default": 60}, "Window length, 15 to 480 minutes."),
                          query("count", {"type": "integer", "minimum": 1, "maximum": 20, "default": 5}, "Windows, 1 to 20."),
                          query("from", {"type": "string", "format": "date"}, "First day; the event's first day when not given."),
                          query("to", {"type": "string", "format": "date"}, "Last day, from `from` to 30 days after it; the event's last day when not given.")],
                  resp={"200": ok("The windows.", "SlotSuggestions"), **errors(400, 401, 403, 404)}),
    },
    "/api/v1/channels": {
        "get": op("listChannels", "List channels", "channels", OPERATOR,
                  resp={"200": ok("Every channel.", "ChannelList"), **errors(401, 403)}),
        "post": op("createChannel", "Add a channel", "channels", OPERATOR, body=body("ChannelInput", "The channel."),
                   resp={"201": ok("The channel, as recorded.", "Channel", LOC), **errors(400, 401, 403, 409, 413, 422)}),
    },
    "/api/v1/channels/{id}": {
        "get": op("getChannel", "Read a channel", "channels", OPERATOR, params=[p("ChannelId")],
                  resp={"200": ok("The channel.", "Channel"), **errors(400, 401, 403, 404)}),
        "put": op("replaceChannel", "Replace a channel", "channels",
                  OPERATOR + " The body's id must be the channel's (another one is answered 422); the creation time stays.",
                  params=[p("ChannelId")], body=body("ChannelInput", "The whole channel."),
                  resp={"200": ok("The channel, as changed.", "Channel"), **errors(400, 401, 403, 404, 413, 422)}),
        "patch": op("patchChannel", "Update a channel", "channels",
                    OPERATOR + " A JSON merge patch (RFC 7396) of the channel; the id and the creation time never change "
                    "(another id is answered 422).",
                    params=[p("ChannelId")], body=body("ChannelPatch", "The members to change.", merge_patch=True),
                    resp={"200": ok("The channel, as changed.", "Channel"), **errors(400, 401, 403, 404, 413, 422)}),
    },
}

# Introductions and reports.
STAGES = schemas["Stage"]["enum"]
INTRO_PARAMS = {
    "IntroductionId": {"name": "id", "in": "path", "required": True, "description": "The introduction's id.",
                       "schema": {"type": "string", "format": "uuid"}},
    "IntroNeed": query("need", {"type": "string", "format": "uuid"}, "Only introductions of this need."),
    "IntroExpert": query("expert", {"type": "string", "format": "uuid"}, "Only introductions of this expert."),
    "IntroEvent": query("event", {"type": "string", "format": "uuid"}, "Only introductions from a meeting of this event."),
    "IntroStage": query("stage", {"type": "string", "enum": STAGES}, "Only introductions at this stage now."),
    "ReportZone": query("time_zone", {"type": "string", "default": "Asia/Shanghai"},
                        "The IANA zone days are counted in; the base's (Asia/Shanghai) unless given."),
}
parameters.update(INTRO_PARAMS)
INTRO_FILTERS = [p("IntroNeed"), p("IntroExpert"), p("IntroEvent"), p("IntroStage"), p("Cursor"), p("Limit")]
INTRO_LIST_NOTE = (" Every filter given must hold; pages in id order. A malformed or unknown parameter is answered 400, a filter"
                   " value that is not valid (an id that is not a UUID, an unknown stage) 422 naming it.")
REPORT_NOTE = " An unknown or malformed parameter is answered 400."
paths.update({
    "/api/v1/introductions": {
        "post": op("proposeIntroduction", "Propose an introduction", "introductions",
                   OPERATOR + " From a match or by hand (need and expert), or from a meeting of an event's schedule (event and "
                   "meeting, whose need and expert it takes). It starts at proposed, with the pair's match score when the pair "
                   "passes the matching gates. A pair has at most one open introduction at a time.",
                   body=body("IntroductionInput", "What to introduce, and the note of the first step."),
                   resp={"201": ok("The introduction, at proposed.", "Introduction", LOC_ETAG), **errors(400, 401, 403),
                         "404": r("NoIntroductionSource"), "409": r("IntroductionExists"), **errors(413, 422)}),
        "get": op("listIntroductions", "List introductions", "introductions", OPERATOR + INTRO_LIST_NOTE,
                  params=INTRO_FILTERS,
                  resp={"200": ok("One page of introductions.", "IntroductionList"), **errors(400, 401, 403, 422)}),
    },
    "/api/v1/introductions/{id}": {
        "get": op("getIntroduction", "Read an introduction", "introductions", OPERATOR + " With its whole history.",
                  params=[p("IntroductionId")],
                  resp={"200": ok("The introduction.", "Introduction", ETAG), **errors(400, 401, 403, 404)}),
    },
    "/api/v1/introductions/{id}/transitions": {
        "post": op("moveIntroduction", "Move an introduction to another stage", "introductions",
                   OPERATOR + " To the next stage of proposed → contacted → met → negotiating → agreed → landed, or to "
                   "declined or withdrawn from any open stage; appends one step (time, actor, note) to the history, whose "
                   "earlier steps never change. An introduction that reached met counts as met-before at every event.",
                   params=[p("IntroductionId"), p("IfMatch")],
                   body=body("TransitionInput", "The stage to move to, and a note."),
                   resp={"200": ok("The introduction, as moved.", "Introduction", ETAG), **errors(400, 401, 403, 404),
                         "409": r("IllegalTransition"), **errors(412, 413, 422)}),
    },
    "/api/v1/needs/{id}/introductions": {
        "get": op("listNeedIntroductions", "A need's introductions", "introductions", OPERATOR + INTRO_LIST_NOTE,
                  params=[p("NeedId"), *[f for f in INTRO_FILTERS if f != p("IntroNeed")]],
                  resp={"200": ok("One page of the need's introductions.", "IntroductionList"),
                        **errors(400, 401, 403, 404, 422)}),
    },
    "/api/v1/experts/{id}/introductions": {
        "get": op("listExpertIntroductions", "An expert's introductions", "introductions", OPERATOR + INTRO_LIST_NOTE,
                  params=[p("ExpertId"), *[f for f in INTRO_FILTERS if f != p("IntroExpert")]],
                  resp={"200": ok("One page of the expert's introductions.", "IntroductionList"),
                        **errors(400, 401, 403, 404, 422)}),
    },
    "/api/v1/reports/funnel": {
        "get": op("funnelReport", "The funnel from registration to landed projects", "reports",
                  OPERATOR + " registered → shortlisted → introduced → met → agreed → landed over calendar days in a zone, "
                  "split by period, channel, sector or event (see FunnelReport for each figure)." + REPORT_NOTE,
                  params=[query("from", {"type": "string", "format": "date"}, "First day; the first day of this year unless given."),
                          query("to", {"type": "string", "format": "date"}, "Last day, not before from; today unless given."),
                          query("by", {"type": "string", "enum": ["total", "month", "quarter", "year", "channel", "sector", "event"],
                                       "default": "total"}, "How rows are split."),
                          p("ReportZone"),
                          query("format", {"type": "string", "enum": ["json", "csv"], "default": "json"},
                                "json, or csv for a spreadsheet (one line per row).")],
                  resp={"200": {"description": "The funnel.", "headers": DISPOSITION,
                                "content": {**json_content("FunnelReport"),
                                            **attachment("text/csv", "UTF-8 with a BOM: group,registered,shortlisted,introduced,met,agreed,landed; a header row even without rows.")}},
                        **errors(400, 401, 403)}),
    },
    "/api/v1/reports/yearly": {
        "get": op("yearlyReport", "The yearly summary", "reports",
                  OPERATOR + " Experts registered, needs collected, enterprises served, events held, meetings, agreements "
                  "and landed projects of one calendar year in a zone (see YearSummary for each figure)." + REPORT_NOTE,
                  params=[query("year", {"type": "integer", "minimum": 2000, "maximum": 2100}, "The year, 2000 to 2100; this year unless given."),
                          p("ReportZone"),
                          query("format", {"type": "string", "enum": ["json", "csv"], "default": "json"},
                                "json, or csv for a spreadsheet (figure,value, one line per figure).")],
                  resp={"200": {"description": "The summary.", "headers": DISPOSITION,
                                "content": {**json_content("YearSummary"),
                                            **attachment("text/csv", "UTF-8 with a BOM: figure,value, one line per member of YearSummary.")}},
                        **errors(400, 401, 403)}),
    },
    "/api/v1/introductions/{id}/contacts": {
        "post": op("releaseContacts", "Release contacts for an introduction", "introductions",
                   OPERATOR + " Both sides' contacts (the expert's and the enterprise's) for an open introduction, "
                   "released explicitly; every release is audited (contact_release). 409 introduction_closed once the "
                   "introduction is landed, declined or withdrawn.",
                   params=[p("IntroductionId")],
                   resp={"200": ok("The contacts.", "ReleasedContacts"), **errors(400, 401, 403, 404, 409)}),
    },
    "/api/v1/audit": {
        "get": op("listAudit", "Read the audit log", "audit",
                  OPERATOR + " Every read of contacts by an operator (an expert's record, expert lists, named schedules and "
                  "shortlists), every export (files, the store, an expert's own data), erasure, consent withdrawal and token "
                  "change, oldest first. Append-only; every filter given must hold.",
                  params=[query("actor", {"type": "string"}, "Only entries by this actor (operator, operator:<name>, expert:<id>, cli)."),
                          query("action", {"type": "string", "enum": schemas["AuditEntry"]["properties"]["action"]["enum"]},
                                "Only entries of this action."),
                          query("target", {"type": "string"}, "Only entries about this target, such as expert:<id>."),
                          query("since", {"type": "string", "format": "date-time"}, "Only entries at or after this time."),
                          query("until", {"type": "string", "format": "date-time"}, "Only entries before this time."),
                          p("Cursor"), p("Limit")],
                  resp={"200": ok("One page of the log.", "AuditList"), **errors(400, 401, 403, 422)}),
    },
    "/api/v1/reports/renewal": {
        "get": op("renewalReport", "Records due for follow-up", "reports",
                  OPERATOR + " Active and pending expert profiles not updated for stale_after_days, and open or paused needs "
                  "past their deadline." + REPORT_NOTE,
                  params=[query("stale_after_days", {"type": "integer", "minimum": 0, "maximum": 3650, "default": 365},
                                "Days without a change after which a profile is stale, 0 to 3650."),
                          query("time_zone", {"type": "string", "default": "Asia/Shanghai"},
                                "The IANA zone whose today decides which deadlines have passed.")],
                  resp={"200": ok("What is due.", "RenewalReport"), **errors(400, 401, 403)}),
    },
})

# Bulk intake.
responses["IntakeBadRequest"] = problem(
    "A query parameter or the X-Column-Mapping header is invalid (code invalid_parameter: an unknown format, encoding or "
    "status, a mapping that is not a JSON object, a mapping given both ways or for JSON lines, consent_version on needs, "
    "or no format: neither a CSV or JSON lines media type nor format=), or the file cannot be read as text in its "
    "encoding or as CSV (code malformed_json).")
responses["IntakeTooLarge"] = problem("The file is over the limit of 20 MiB.")
responses["IntakeHeader"] = problem(
    "The CSV header cannot be read into fields (code validation_failed, one entry per problem): a required field without "
    "a column (field header), two columns for one field (field header), a mapped column that is not in the header or an "
    "unknown field (field mapping[\"Column\"]). Bad rows are not errors: they are rejected one by one in the report.")


def intake_op(op_id, summary, kind, fields, extra):
    desc = (OPERATOR + " The body is the file: CSV (Content-Type text/csv; a header row, separated by commas, semicolons "
            "or tabs) or JSON lines (application/x-ndjson or application/jsonl), UTF-8 (with or without a BOM) or "
            "GB18030. CSV headers in English or Chinese map to fields by default (" + fields + "); a mapping "
            "{\"Column header\": \"field\"} overrides them. Rows go through the same checks as the API, every bad field at "
            "once. **A dry run unless dry_run=false**: the report says per row what would be created, updated, skipped or "
            "rejected and why, and writes nothing. A real run commits rows in batches of 500 (each one transaction and one "
            "flush) with an intake ledger keyed by each row's content, so that a re-run of the same file skips what was "
            "committed before (outcome skip), an interrupted run loses no committed batch, and a row naming a stored "
            "record's id updates it. " + extra)
    return op(op_id, summary, "intake", desc,
              params=[query("dry_run", {"type": "boolean", "default": True}, "false to write; true (the default) only reports."),
                      query("format", {"type": "string", "enum": ["csv", "jsonl"]}, "The file's format; from Content-Type when not given."),
                      query("encoding", {"type": "string", "enum": ["auto", "utf-8", "gb18030"], "default": "auto"},
                            "auto: UTF-8 when the bytes are valid UTF-8, else GB18030."),
                      query("mapping", {"type": "string"}, "CSV: a JSON object {\"Column header\": \"field\"}, URL-encoded; a "
                            "field is a JSON path of the API payload (contact.email) or a known header (邮箱); \"\" leaves the column out."),
                      {"name": "X-Column-Mapping", "in": "header", "required": False, "schema": {"type": "string"},
                       "description": "The mapping as a header instead (ASCII JSON: write other characters as \\uXXXX)."},
                      *([query("consent_version", {"type": "string", "maxLength": 40},
                               "The consent text version the base attests it holds for rows that carry none.")] if kind == "experts" else []),
                      query("status", {"type": "string", "enum": EXPERT_STATUSES if kind == "experts" else NEED_STATUSES},
                            "The status of rows that give none (new records: pending_review / open when not given; updates keep theirs).")],
              body={"required": True, "description": "The file.", "content": {
                  "text/csv": {"schema": {"type": "string", "description": "CSV with a header row."}},
                  "application/x-ndjson": {"schema": {"type": "string", "description": "One JSON object per line."}},
                  "application/jsonl": {"schema": {"type": "string", "description": "One JSON object per line."}}}},
              resp={"200": ok("The report: counts and one entry per row.", "IntakeReport"), "400": r("IntakeBadRequest"),
                    **errors(401, 403), "413": r("IntakeTooLarge"), "422": r("IntakeHeader")})


paths.update({
    "/api/v1/intake/experts": {
        "post": intake_op("intakeExperts", "Import experts from a spreadsheet or JSON lines", "experts",
                          "姓名/name, 邮箱/email, 国家/country, 城市/city, 时区/timezone, 单位/organisation, 职称/position, "
                          "语言/languages as en:fluent;zh:native, 技能/skills as tag or tag:level, 领域/sectors, 合作方式/"
                          "engagement_modes, 每月小时/hours_per_month, 渠道/channel, id, 状态/status, consent version",
                          "JSON lines are {\"id\"?, \"status\"?, \"profile\"} with profile as POST /api/v1/experts takes it "
                          "(the shape of seed/experts.jsonl). A new expert needs consent: a consent version column, the "
                          "profile's consent, or consent_version (the base attests it holds the expert's consent); new "
                          "experts are pending_review unless a status is given. An email already registered, or given by "
                          "an earlier row, makes the row a duplicate linked to that expert (nothing written) unless the row "
                          "names that expert's id; the same name at the same organisation is written but flagged in "
                          "possible_duplicate_of. Nothing is ever merged."),
    },
    "/api/v1/intake/needs": {
        "post": intake_op("intakeNeeds", "Import needs from a spreadsheet or JSON lines", "needs",
                          "企业名称/enterprise, 园区/zone, 联系人/contact, 需求标题/title, 需求描述/description, 需求类型/"
                          "need_type, 技能/skills as tag:weight:must, 领域/sectors, 合作方式/engagement_modes, 语言要求/"
                          "languages, 紧急程度/urgency, 截止日期/deadline, 指标/indicators as name=target, id, 状态/status",
                          "JSON lines are {\"id\"?, \"need\"} with need as POST /api/v1/needs takes it (the shape of "
                          "seed/needs.jsonl). The same title for the same enterprise, stored or in an earlier row, is "
                          "written but flagged in possible_duplicate_of."),
    },
})

# Event viewer tokens.
paths.update({
    "/api/v1/events/{id}/viewer-tokens": {
        "post": op("createViewerToken", "Make a viewer token of an event", "events",
                   OPERATOR + " The token reads this event's shortlists and schedule (GET, any format), always anonymised, "
                   "and nothing else. It is shown once in the answer; only its hash is stored. Audited (token_created). "
                   "409 token_exists while a token of that name is not revoked.",
                   params=[p("EventId")], body=body("ViewerTokenInput", "The token's name."),
                   resp={"201": ok("The token, shown this once.", "ViewerTokenCreated"),
                         **errors(400, 401, 403, 404, 409, 413, 422)}),
        "get": op("listViewerTokens", "An event's viewer tokens", "events",
                  OPERATOR + " Names and dates, revoked tokens included, never secrets.",
                  params=[p("EventId")],
                  resp={"200": ok("The tokens, in name order.", "ViewerTokenList"), **errors(400, 401, 403, 404)}),
    },
    "/api/v1/events/{id}/viewer-tokens/{name}": {
        "delete": op("revokeViewerToken", "Revoke a viewer token", "events",
                     OPERATOR + " The token stops working with the next request (401). Audited (token_revoked); revoking "
                     "a revoked token changes nothing.",
                     params=[p("EventId"), {"name": "name", "in": "path", "required": True, "description": "The token's name.",
                                            "schema": sref("TokenName")}],
                     resp={"204": {"description": "Revoked."}, **errors(400, 401, 403, 404)}),
    },
})

for path, item in paths.items():
    if path == "/api/v1/events/{id}":
        for o in item.values():
            o["parameters"] = [p("EventId")] + o.get("parameters", [])
            order = ["operationId", "summary", "tags", "description", "parameters", "requestBody", "responses", "security"]
            o_sorted = {k: o[k] for k in order if k in o}
            o.clear(); o.update(o_sorted)
    for key in ("ExpertId", "NeedId"):
        if path.endswith("/{id}") and ("experts" in path) == (key == "ExpertId"):
            if path.startswith(("/api/v1/tags", "/api/v1/channels", "/api/v1/events", "/api/v1/introductions")):
                continue
            for o in item.values():
                o["parameters"] = [p(key)] + o.get("parameters", [])
                # keep the key order: operationId, summary, tags, description, parameters, ...
                order = ["operationId", "summary", "tags", "description", "parameters", "requestBody", "responses", "security"]
                o_sorted = {k: o[k] for k in order if k in o}
                o.clear(); o.update(o_sorted)

document = {
    "openapi": "3.1.0",
    "info": {
        "title": "talentbridge",
        "version": "0.1.0",
        "description": "Matching service of an offshore innovation base for overseas talent: taxonomy, experts, "
                       "enterprise needs, partner channels, matching experts to needs with the reasons of each "
                       "score, matchmaking events with shortlists and 1:1 meeting schedules, "
                       "introductions tracked to landed projects, and the base's reports. Every error is an RFC 9457 problem+json body with a "
                       "stable `code`. Writes that change a record take If-Match with its version (the ETag) and "
                       "answer 412 when stale. Lists are paginated with an opaque cursor.",
    },
    "servers": [{"url": "/"}],
    "tags": [
        {"name": "health", "description": "Liveness, readiness and metrics."},
        {"name": "docs", "description": "This contract and a browsable API."},
        {"name": "taxonomy", "description": "Skills and sectors in zh, en and fr."},
        {"name": "experts", "description": "Overseas expert profiles."},
        {"name": "needs", "description": "Enterprise needs."},
        {"name": "channels", "description": "Partner channels abroad."},
        {"name": "matching", "description": "Experts ranked for needs (stored, ad hoc or in batches) with the reasons of each score, and needs for an expert."},
        {"name": "events", "description": "Matchmaking events: slots, tables, waking hours, participating needs and experts with meeting quotas, and pair preferences."},
        {"name": "schedules", "description": "An event's shortlists, its 1:1 meeting schedule (drafted, changed by hand, published, discarded), CSV and iCalendar exports, and slot windows for online events."},
        {"name": "introductions", "description": "Needs and experts put in touch, from a match, an event meeting or by hand, and every step to a landed project."},
        {"name": "reports", "description": "The funnel, the yearly summary (JSON or CSV) and the records due for renewal, counted from the records."},
        {"name": "audit", "description": "The append-only log of reads of contacts, exports, erasures, consent withdrawals and token changes."},
        {"name": "intake", "description": "Bulk intake of experts and needs from the base's spreadsheets (CSV, UTF-8 or GB18030) and JSON lines, with a dry run, per-row reports, duplicate links and resumable batches."},
    ],
    "security": [{"bearer": []}],
    "paths": paths,
    "components": {
        "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer",
                                       "description": "An operator token (the default one: TALENTBRIDGE_OPERATOR_TOKEN or the one printed at "
                                                      "first start; named ones: tbo.<secret>, made with talentbridge token create), an expert's token "
                                                      "from registration (tbe.<expert id>.<secret>: its own profile only), or an event viewer token "
                                                      "(tbv.<event id>.<secret>, made with POST /api/v1/events/{id}/viewer-tokens: GET of that event's "
                                                      "shortlists and schedule only, anonymised; 403 on every other route, public ones included)."}},
        "schemas": schemas,
    },
}


def inline(node):
    """Copies parameters, headers and responses into each operation so a reader (or a test) needs no lookups."""
    if isinstance(node, dict):
        target = node.get("$ref", "")
        for prefix, table in [("#/components/parameters/", parameters), ("#/components/headers/", headers),
                              ("#/components/responses/", responses)]:
            if target.startswith(prefix):
                return inline(copy.deepcopy(table[target[len(prefix):]]))
        return {k: inline(v) for k, v in node.items()}
    if isinstance(node, list):
        return [inline(v) for v in node]
    return node


document["paths"] = inline(document["paths"])

(DIR / "openapi.json").write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n")
print(f"wrote {DIR / 'openapi.json'}: {len(paths)} paths, {len(schemas)} schemas")
