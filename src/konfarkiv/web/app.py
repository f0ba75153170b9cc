"""The web application: routes that call the same library functions as the command line.

Every response is built from a read-only view of the archive opened for that request.
Files are served by their catalog row only: the id in the URL picks a row, the row gives
the sha256, the store gives the path; nothing of the URL reaches the file system.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlencode

from flask import (
    Flask,
    Response,
    abort,
    current_app,
    g,
    redirect,
    render_template,
    request,
    send_file,
)
from markupsafe import Markup
from werkzeug.exceptions import HTTPException
from werkzeug.routing import IntegerConverter
from werkzeug.wrappers import Response as WebResponse

from konfarkiv.archive.archive import Archive, archive_status
from konfarkiv.archive.catalog import Catalog, CatalogError
from konfarkiv.archive.errors import ArchivistError
from konfarkiv.archive.keys import hide_credentials
from konfarkiv.archive.playback import check_place, webvtt_text
from konfarkiv.archive.ref import MAX_DIGITS
from konfarkiv.archive.weburls import with_play_urls
from konfarkiv.curate.overview import event_list, failures, last_runs, sources
from konfarkiv.curate.show import event_record
from konfarkiv.render import speakers_line
from konfarkiv.search.index import IndexProblem
from konfarkiv.search.links import mmss
from konfarkiv.search.query import QueryError, SearchResponse, search
from konfarkiv.web.browse import (
    FILTERS,
    SORTS,
    SearchState,
    any_field,
    by_year,
    chips,
    event_date,
    facets,
    human_bytes,
    language_sv,
    local_time,
    number,
    organisers,
    plural,
    sort_links,
)
from konfarkiv.web.failures import failure_sv
from konfarkiv.web.guard import (
    FILE_CSP,
    SearchesBusy,
    host_guard,
    on_search_thread,
    search_slot,
)
from konfarkiv.web.player import player_view
from konfarkiv.web.query_messages import query_error_sv
from konfarkiv.web.readonly import open_read_only
from konfarkiv.web.thumbs import Busy, NoThumbnail, thumbnail
from konfarkiv.web.views import KIND_LABEL, STATUS_LABEL, result_views, web_link

T = TypeVar("T")
PER_PAGE = 10
#: Hits per session shown at once, each with its snippet; the rest fold away (<details>, no
#: script) as links to their pages and moments, without snippets: a session of a long PDF
#: can match on a hundred slides, and their snippets were most of what the page added to
#: the search (benchmarks/web_latency.py). `/api/search` gives every snippet.
HITS_SHOWN = 4
RETRY_WAITS = (0.05, 0.2, 0.5)  # seconds before each retry of a search during an index swap
YEAR_MIN, YEAR_MAX = 1900, 2999
ERROR_TITLES = {400: "Felaktig förfrågan", 404: "Sidan finns inte", 405: "Går inte att göra här",
                500: "Något gick fel", 503: "Inte tillgängligt just nu"}
EMPTY_SEARCH = ("Skriv något att söka efter i rutan, till exempel ett ämne, en kommun "
                "eller en talares namn.")
#: What the page says when the framework gave only its own (English) description.
ERROR_TEXTS = {
    400: "Förfrågan kunde inte tolkas.",
    404: "Det finns ingen sida på den här adressen. Kontrollera adressen, eller sök i arkivet.",
    405: "Den här sidan kan bara läsas; inget kan skickas eller ändras härifrån.",
    500: "Något gick fel i konfarkiv; felet är loggat.",
    503: "Arkivet kan inte svara just nu. Försök igen om en stund.",
}
PAGE_CSP = {"default-src": "'none'", "style-src": "'self'", "img-src": "'self'",
            "media-src": "'self'", "script-src": "'self'", "form-action": "'self'",
            "frame-ancestors": "'none'", "base-uri": "'none'"}
#: An item's web address reads as its id: /event:4, /session:9, /material:12@3,
#: /material:12.pdf (the archived PDF), /material:7.vtt (a film's captions).
#: What every URL with credentials holds ("://user:pass@"): a literal start, so a search
#: for it is quick; hide_credentials's own pattern starts with the scheme, so it is not.
_MAYBE_CREDENTIALS = re.compile(r"://[^/\s@?#\"'<>]+@")
ITEM = re.compile(r"^(event|session|material):(\d{1,18})(?:@(\d{1,18}))?(\.pdf|\.vtt)?$")


def create_app(home: Path) -> Flask:
    """A Flask app over the archive at home (which need not exist yet)."""
    app = Flask(__name__)
    app.config["KONFARKIV_HOME"] = home
    app.url_map.merge_slashes = False  # no redirect of //x: a path is matched as sent
    app.url_map.converters["int"] = RowId  # every <int:…> of a route: a 404 past 18 digits
    app.jinja_env.finalize = _shown  # every {{ value }}: no URL's credentials on a page
    app.jinja_env.globals.update(kind_label=KIND_LABEL, status_label=STATUS_LABEL,
                                 speakers_text=speakers_line, web_link=web_link,
                                 mmss=mmss)
    app.jinja_env.filters.update(bytes=human_bytes, number=number, local_time=local_time,
                                 event_date=event_date)
    app.jinja_env.globals.update(plural=plural, any_field=any_field, failure_sv=failure_sv,
                                 language_sv=language_sv)

    @app.before_request
    def only_reads() -> None:
        if request.method not in ("GET", "HEAD"):
            abort(405)

    @app.after_request
    def headers(resp: Response) -> WebResponse:
        resp.headers["X-Content-Type-Options"] = "nosniff"
        resp.headers["Referrer-Policy"] = "no-referrer"
        if resp.mimetype == "text/html":
            csp = dict(PAGE_CSP)
            for name, source in g.get("csp_sources", {}).items():
                csp[name] = f"{csp[name]} {source}" if name in csp else source
            resp.headers["Content-Security-Policy"] = "; ".join(f"{k} {v}"
                                                                for k, v in csp.items())
        else:  # JSON, files, error answers: nothing served may run script or be framed
            resp.headers["Content-Security-Policy"] = FILE_CSP
        return resp

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException) -> tuple[WebResponse | str, int]:
        code = exc.code or 500
        message = exc.description
        if message == type(exc).description:
            message = ERROR_TEXTS.get(code, message)  # the framework's own English text
        if request.path.startswith("/api/"):
            return _json({"error": message}), code
        return render_template("error.html", code=code, title=ERROR_TITLES.get(code, "Fel"),
                               message=message, q=request.args.get("q", ""),
                               recent=_recent_events()), code

    @app.errorhandler(Exception)
    def crash(exc: Exception) -> tuple[WebResponse | str, int]:
        app.logger.exception("error on %s", request.path)  # to the log, never to the page
        return http_error(_Http(500, "Något gick fel i konfarkiv; felet är loggat."))

    _routes(app)
    app.wsgi_app = host_guard(app.wsgi_app)  # type: ignore[method-assign,assignment]
    return app


class RowId(IntegerConverter):
    """A catalog id in a URL: at most MAX_DIGITS digits (SQLite's ids are 64-bit), so a
    longer one is no route (a 404), never an OverflowError."""

    regex = rf"\d{{1,{MAX_DIGITS}}}"


class _Http(HTTPException):
    def __init__(self, code: int, description: str) -> None:
        super().__init__(description)
        self.code = code


def _shown(value: Any) -> Any:
    # _MAYBE_CREDENTIALS finds every text hide_credentials changes, and most pages' values
    # (ids such as material:12@3, a hit's whole HTML) are passed by it without a rewrite
    if not isinstance(value, str) or "@" not in value or not _MAYBE_CREDENTIALS.search(value):
        return value
    hidden = hide_credentials(value)
    return Markup(hidden) if isinstance(value, Markup) else hidden  # escaped HTML stays so


def _json(data: Any) -> WebResponse:
    """JSON as `konfarkiv … --json` prints it (UTF-8, indented), so the two compare equal."""
    text = hide_credentials(json.dumps(data, ensure_ascii=False, indent=2, default=str))
    return Response(text + "\n", mimetype="application/json")


def _archive() -> Archive | None:
    """This request's read-only archive (None while nothing has been ingested)."""
    if "archive" not in g:
        cm = open_read_only(_home())
        try:
            g.archive = cm.__enter__()
        except CatalogError as exc:
            current_app.logger.warning("catalog unreadable: %s", exc)  # the path: log only
            abort(503, "Katalogen kan inte läsas just nu.")
        g.archive_cm = cm
    return g.archive


def _held() -> Archive:
    """This request's archive where a page needs one: a 404 while nothing is archived."""
    archive = _archive()
    if archive is None:
        abort(404, "Det finns inget sådant i arkivet.")
    return archive


def _home() -> Path:
    return Path(current_app.config["KONFARKIV_HOME"])


def _close_archive(_exc: BaseException | None = None) -> None:
    cm = g.pop("archive_cm", None)
    g.pop("archive", None)
    if cm is not None:
        cm.__exit__(None, None, None)


def _int_arg(name: str, default: int, lo: int, hi: int) -> int:
    raw = request.args.get(name, "")
    if raw == "":
        return default
    if not raw.isascii() or not raw.isdigit() or len(raw) > MAX_DIGITS:
        abort(400, f"Parametern {name} ska vara ett heltal från {lo} till {hi}.")
    value = int(raw)
    if not lo <= value <= hi:
        abort(400, f"Parametern {name} ska vara ett heltal från {lo} till {hi}.")
    return value


def _query_arg() -> str:
    q = request.args.get("q", "").strip()
    if not q:
        abort(400, "Skriv ett eller flera sökord (parametern q).")
    if "\x00" in q:
        abort(400, "Frågan innehåller otillåtna tecken.")
    return q


def _recent_events() -> list[dict[str, Any]]:
    """A few recent events for an error or no-results page (none when that fails too)."""
    try:
        archive = _archive()
        return event_list(archive.catalog, limit=5) if archive else []
    except Exception:  # an error page must not fail in turn
        return []


def _search_state() -> SearchState:
    """The reader's query, page, order and facet filters from the address."""
    sort = request.args.get("sortera", "relevans")
    if sort not in SORTS:
        abort(400, "Sorteringen finns inte. Välj relevans, nyast eller äldst.")
    filters = {}
    for param in FILTERS:
        value = request.args.get(param, "").strip()
        if value:
            if len(value) > 200 or "\x00" in value:
                abort(400, f"Filtret {param} har ett ogiltigt värde.")
            filters[param] = value
    return SearchState(_query_arg(), _int_arg("page", 1, 1, 10_000), sort, filters)


def _run_search(q: str, limit: int, page: int, all_versions: bool = False,
                state: SearchState | None = None, facets: bool = True,
                snippets: int | None = None) -> SearchResponse:
    """The library's search over the last committed index; it never rebuilds (a write).

    `reindex` swaps a new index in by two renames: a search that falls between them, or
    reads a file of the old index as it is deleted, is tried again a moment later.
    Searches run on a few threads of their own (guard.search_slot, guard.on_search_thread)."""
    options: dict[str, Any] = {"limit": limit, "page": page, "all_versions": all_versions,
                               "snippets": snippets}
    if state is not None:
        options.update(sort=SORTS[state.sort], facets=facets,
                       filters=state.library_filters() or None)
    try:
        with search_slot():
            return _search_retrying(q, options)
    except SearchesBusy:
        abort(503, "Många söker just nu; försök igen om en stund.")


def _search_retrying(q: str, options: dict[str, Any]) -> SearchResponse:
    home = _home()
    for wait in RETRY_WAITS:
        try:
            return on_search_thread(lambda: _search_here(home, q, options))
        except QueryError as exc:
            abort(400, query_error_sv(exc))
        except CatalogError as exc:
            current_app.logger.warning("catalog unreadable: %s", exc)  # the path: log only
            abort(503, "Katalogen kan inte läsas just nu.")
        except (IndexProblem, OSError) as exc:
            problem = exc
            time.sleep(wait)
    current_app.logger.warning("search index unusable: %s", problem)  # paths: log only
    abort(503, "Sökindexet kan inte användas just nu. Kör `konfarkiv reindex`, "
               "eller vänta tills en pågående ingest är klar.")


def _search_here(home: Path, q: str, options: dict[str, Any]) -> SearchResponse:
    """search() with this thread's read-only catalog: on a search thread, its index searcher
    (search.warm) and its catalog connection (readonly) stay warm from search to search."""
    with open_read_only(home) as archive:
        if archive is None:
            raise CatalogError("the catalog is gone")
        return search(archive.layout.index, archive.catalog, q, **options)


def _routes(app: Flask) -> None:
    app.teardown_request(_close_archive)

    def start_page(notice: str | None = None) -> str:
        archive = _archive()
        events = event_list(archive.catalog, limit=10) if archive else []
        if archive is None or not events:
            return render_template("empty.html", home=_home())
        return render_template("index.html", counts=archive.catalog.counts(), events=events,
                               notice=notice)

    @app.get("/")
    def index() -> str:
        return start_page()

    @app.get("/favicon.ico")
    def favicon() -> WebResponse:
        """Browsers ask for it whatever the page says: the same icon the pages name."""
        return app.send_static_file("favicon.svg")

    @app.get("/search")
    def search_page() -> str:
        if not request.args.get("q", "").strip():  # Sök pressed with an empty box
            return start_page(EMPTY_SEARCH)
        state = _search_state()
        archive = _archive()
        if archive is None or not archive.catalog.has_events():
            return render_template("empty.html", home=_home())
        # snippets for the hits shown at once; the folded rest list their pages and moments
        resp = _run_search(state.q, PER_PAGE, state.page, state=state, snippets=HITS_SHOWN)
        return render_template(
            "search.html", q=state.q, state=state, resp=resp, hits_shown=HITS_SHOWN,
            results=result_views(archive.catalog, resp), facets=facets(state, resp.facets),
            chips=chips(state, resp.facets), sorts=sort_links(state),
            recent=[] if resp.total else event_list(archive.catalog, limit=5))

    @app.get("/events")
    def events_page() -> str:
        archive = _archive()
        events = event_list(archive.catalog) if archive else []
        if not events:
            return render_template("empty.html", home=_home())
        chosen = request.args.get("arrangör", "").strip()
        shown = [e for e in events if not chosen or e.get("organiser") == chosen]
        if chosen and not shown:
            abort(404, f"Det finns inga evenemang från arrangören ”{chosen[:100]}”.")
        return render_template("events.html", groups=by_year(shown), total=len(shown),
                               organisers=organisers(events), chosen=chosen)

    @app.get("/arrangor/<path:name>")
    def organiser_page(name: str) -> WebResponse:
        """An organiser's page: its events by year (the events page, filtered)."""
        return redirect("/events?" + urlencode({"arrangör": name}))

    @app.get("/events/<int:event_id>")
    def event_page(event_id: int) -> WebResponse:
        return redirect(f"/event:{event_id}", 301)

    @app.get("/status")
    def status_page() -> str:
        archive = _archive()
        if archive is None:
            return render_template("empty.html", home=_home())
        return render_template("status.html", **_status(archive))

    @app.get("/api/search")
    def api_search() -> WebResponse:
        q = _query_arg()
        limit = _int_arg("limit", 10, 1, 500)
        page = _int_arg("page", 1, 1, 10_000)
        all_versions = request.args.get("all_versions", "") in ("1", "true", "yes")
        archive = _archive()
        if archive is None:
            abort(404, "Arkivet är tomt: inget är insamlat ännu.")
        # the page's facet filters (typ=bild, år=2019, …) narrow the answer as on the page
        state = _search_state()
        found = _run_search(q, limit, page, all_versions, state if state.filters else None,
                            facets=False).to_json()
        return _json(with_play_urls(found, request.host_url))

    @app.get("/api/events")
    def api_events() -> WebResponse:
        archive = _archive()
        return _json(event_list(archive.catalog) if archive else [])

    @app.get("/api/events/<int:event_id>")
    def api_event(event_id: int) -> WebResponse:
        return _json(_event(event_id))

    @app.get("/api/status")
    def api_status() -> WebResponse:
        archive = _archive()
        if archive is None:
            abort(404, "Arkivet är tomt: inget är insamlat ännu.")
        return _json(_status(archive))

    @app.get("/pdf/<int:document_id>")
    def pdf(document_id: int) -> WebResponse:
        row = _found(lambda catalog: catalog.served_document(document_id))
        return _stored(row["sha256"], "application/pdf", f"{row['label']}.pdf")

    @app.get("/media/<int:material_id>")
    def media(material_id: int) -> WebResponse:
        film = _found(lambda catalog: catalog.player_film(material_id))
        if not film.stored_sha256:
            abort(404, "Arkivet har inte själva filmen, bara dess uppgifter.")
        return _stored(film.stored_sha256, film.stored_type or "application/octet-stream", None)

    @app.get("/play/<int:material_id>")
    def play(material_id: int) -> WebResponse:
        """The player's first address, kept for links made before ids were addresses."""
        t = _int_arg("t", 0, 0, 10**7)
        return redirect(f"/material:{material_id}@{t}", 301)

    @app.get("/<item>")
    def item(item: str) -> WebResponse | str:
        """An item at the address that reads as its id (what the CLI prints)."""
        m = ITEM.match(item)
        if m is None:
            abort(404)
        kind, ident, at, ext = m.group(1), int(m.group(2)), m.group(3), m.group(4)
        if kind == "event" and at is None and ext is None:
            return render_template("event.html", e=_event(ident))
        if kind == "session" and at is None and ext is None:
            session = _found(lambda catalog: catalog.session(ident))
            return redirect(f"/event:{session.event_id}#session:{ident}")
        if kind != "material":
            abort(404)
        place = int(at) if at is not None else None
        material = _found(lambda catalog: catalog.material(ident))
        try:
            check_place(_held().catalog, ident, place)
        except ArchivistError as exc:
            abort(404, _place_message(material.kind, exc))
        if material.kind == "pdf":
            document = _held().catalog.current_document(ident)
            if document is None or ext == ".vtt":
                abort(404, "Arkivet har ingen kopia av den här presentationen.")
            if ext == ".pdf" and place is None:
                return pdf(document)
            return redirect(f"/material:{ident}.pdf" + (f"#page={place}" if place else ""))
        if material.kind != "film" or ext == ".pdf":
            abort(404)
        film = _found(lambda catalog: catalog.player_film(ident))
        cues = _held().catalog.film_cues(film.film_id) if film.film_id is not None else []
        if ext == ".vtt":
            if not cues:
                abort(404, "Filmen har ingen textning i arkivet.")
            return Response(webvtt_text(cues), mimetype="text/vtt")
        view = player_view(film, cues, place or 0, request.args.get("q", "")[:1000])
        g.csp_sources = view.csp_sources
        return render_template("play.html", v=view, f=film, q=request.args.get("q", ""))

    @app.get("/thumb/<int:document_id>/<int:page>")
    def thumb(document_id: int, page: int) -> WebResponse:
        row = _found(lambda catalog: catalog.served_document(document_id))
        if not 1 <= page <= int(row["pages"]):
            abort(404, f"Dokumentet har ingen sida {page}.")
        archive = _held()
        path = archive.store.path_for(row["sha256"])
        if not path.is_file():
            abort(404, "Filen saknas i arkivets lager.")
        try:
            got = thumbnail(archive.layout.root / "cache" / "thumbs", path, row["sha256"], page)
        except Busy:
            abort(503, "Miniatyrbilderna ritas just nu; försök igen om en stund.")
        except NoThumbnail as exc:
            abort(404, str(exc))
        resp = send_file(got, mimetype="image/jpeg") if isinstance(got, Path) else Response(
            got, mimetype="image/jpeg")
        resp.headers["Cache-Control"] = "public, max-age=31536000, immutable"
        return resp


def _place_message(kind: str, exc: ArchivistError) -> str:
    """The CLI's range error in Swedish, for the 404 page."""
    numbers = re.findall(r"\d+", exc.hint or "")
    last = numbers[-1] if numbers else "?"
    if kind == "pdf":
        return f"Presentationen har {last} sidor; välj en sida från 1 till {last}."
    return f"Filmen är {last} sekunder lång; välj en sekund från 0 till {last}."


def _found(read: Callable[[Catalog], T | None]) -> T:
    """What ``read`` finds in the catalog, or a 404 when it finds nothing."""
    archive = _archive()
    row = read(archive.catalog) if archive else None
    if row is None:
        abort(404, "Det finns inget sådant i arkivet.")
    return row


def _stored(sha256: str, mimetype: str, download_name: str | None) -> WebResponse:
    """A stored file by its catalog hash; ranges work, so players can seek."""
    path = _held().store.path_for(sha256)
    if not path.is_file():
        abort(404, "Filen saknas i arkivets lager.")
    resp = send_file(path, mimetype=mimetype, conditional=True, etag=sha256,
                     download_name=download_name, as_attachment=False, max_age=86400)
    return resp


def _event(event_id: int) -> dict[str, Any]:
    """The record `konfarkiv show` prints, without the server's file paths."""
    row = _found(lambda catalog: catalog.event(event_id))
    archive = _held()
    return _without_paths(event_record(archive.catalog, archive.store, row))


def _without_paths(data: Any) -> Any:
    if isinstance(data, dict):
        return {k: _without_paths(v) for k, v in data.items() if k != "path"}
    if isinstance(data, list):
        return [_without_paths(v) for v in data]
    return data


def _status(archive: Archive) -> dict[str, Any]:
    info = dict(archive_status(archive))
    info.pop("home", None)
    cat = archive.catalog
    return {"counts": info, "sources": sources(cat), "runs": last_runs(cat),
            "failures": failures(cat)}
