"""The shop server's web application (Starlette): the tills' API and the owner's dashboard.

Tills speak JSON under /api/v1 with `Authorization: Bearer <till secret>`; the owner uses
the dashboard at / with a session cookie. Database work is plain synchronous psycopg on a
pool, run in Starlette's thread pool, so the CLI, the tests and the web share one code path.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import date, datetime
from importlib import resources
from pathlib import Path
from typing import Any

import psycopg
from jinja2 import Environment, FileSystemLoader, select_autoescape
from psycopg_pool import ConnectionPool
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Receive, Scope, Send

from pos_app.domain.money import format_tzs
from pos_app.reports.channels import channel_name
from pos_app.reports.zreport import build_report, report_text
from pos_app.server import db, i18n, ledger, security, store, webhooks
from pos_app.server.export import write_csv
from pos_app.server.hub import Hub
from pos_app.server.webhooks import WebhookConfig

log = logging.getLogger("pos_app.server")

SESSION_COOKIE = "__Host-malipo_session"
LOGIN_COOKIE = "__Host-malipo_login"  # double-submit CSRF token of the sign-in form
MAX_BODY = 1_000_000
_HERE = Path(str(resources.files("pos_app.server")))


@dataclass
class ServerConfig:
    database_url: str
    pool_min: int = 1
    pool_max: int = 10
    now: Callable[[], datetime] = store.utcnow
    webhook: WebhookConfig | None = None  # None: /clickpesa/webhook answers 503
    stream_ping_s: float = 15.0
    hub_tick_s: float = 5.0  # streams re-read the notices at least this often (NOTIFY lost)


class SecurityHeaders:
    """No framing, no sniffing, scripts and styles only from this server."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers += [
                    (b"x-frame-options", b"DENY"),
                    (b"x-content-type-options", b"nosniff"),
                    (b"referrer-policy", b"same-origin"),
                    (b"content-security-policy",
                     b"default-src 'self'; frame-ancestors 'none'; form-action 'self'"),
                    (b"cache-control", b"no-store"),
                ]
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, with_headers)


def _templates() -> Environment:
    env = Environment(loader=FileSystemLoader(str(_HERE / "templates")),
                      autoescape=select_autoescape(["html"]))
    env.filters["tzs"] = format_tzs
    env.filters["channel"] = channel_name
    return env


def create_app(config: ServerConfig, *, pool: ConnectionPool | None = None) -> Starlette:
    templates = _templates()
    state: dict[str, Any] = {"pool": pool}
    hub = Hub(config.database_url, tick_s=config.hub_tick_s)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        own = state["pool"] is None
        if own:
            state["pool"] = await run_in_threadpool(
                db.make_pool, config.database_url, min_size=config.pool_min,
                max_size=config.pool_max)
        hub.start(asyncio.get_running_loop())
        try:
            yield
        finally:
            await run_in_threadpool(hub.stop)
            if own:
                await run_in_threadpool(state["pool"].close)

    def tx(fn: Callable[..., Any], *args: Any) -> Any:
        def run() -> Any:
            with db.transaction(state["pool"]) as conn:
                return fn(conn, *args)
        return run_in_threadpool(run)

    async def read_json(request: Request) -> Any:
        body = await request.body()
        if len(body) > MAX_BODY:
            raise _HttpError(413, "The request is too large.")
        try:
            return json.loads(body)
        except (ValueError, UnicodeDecodeError):
            raise _HttpError(400, "The body is not JSON.") from None

    # -- the tills' API --------------------------------------------------------------------

    def _bearer(request: Request) -> str:
        auth = request.headers.get("authorization", "")
        scheme, _, secret = auth.partition(" ")
        if scheme.lower() != "bearer" or not secret.strip():
            raise _HttpError(401, "A till secret is needed (Authorization: Bearer …).")
        return secret.strip()

    def _till(conn: psycopg.Connection, secret: str) -> store.Till:
        try:
            return store.till_for_secret(conn, secret, config.now())
        except store.TillRefused as exc:
            raise _HttpError(403 if exc.revoked else 401, str(exc),
                             code="revoked" if exc.revoked else "unknown") from None

    async def api_join(request: Request) -> Response:
        body = await read_json(request)
        code = body.get("code") if isinstance(body, dict) else None
        if not isinstance(code, str) or not code.strip():
            raise _HttpError(400, "'code' is missing.")
        ip = _client_ip(request)

        def join(conn: psycopg.Connection) -> Any:
            now = config.now()
            if store.login_blocked(conn, "(join)", ip, now):
                raise _HttpError(429, "Too many wrong codes from this address; wait 15 minutes.")
            try:
                return store.join_till(conn, code[:40], now)
            except store.JoinRefused as exc:
                store.record_failure(conn, "(join)", ip, now)
                return exc

        outcome = await tx(join)
        if isinstance(outcome, store.JoinRefused):
            raise _HttpError(403, str(outcome), code="bad_code")
        till, secret = outcome
        log.info("till %r joined", till.name)
        return JSONResponse({"till": till.name, "secret": secret})

    async def api_me(request: Request) -> Response:
        secret = _bearer(request)

        def me(conn: psycopg.Connection) -> dict[str, Any]:
            till = _till(conn, secret)
            row = conn.execute("SELECT count(*) AS n, max(received_at) AS last FROM events"
                               " WHERE till_id=%s", (till.id,)).fetchone()
            return {"till": till.name, "events": row["n"],
                    "last_event_at": row["last"].isoformat() if row["last"] else None,
                    "server_time": config.now().isoformat()}

        return JSONResponse(await tx(me))

    async def api_events(request: Request) -> Response:
        secret = _bearer(request)
        body = await read_json(request)
        try:
            events, usage = ledger.parse_batch(body)
        except ledger.BadEvent as exc:
            raise _HttpError(422, str(exc), code="bad_event") from None

        def ingest(conn: psycopg.Connection) -> dict[str, Any]:
            till = _till(conn, secret)
            try:
                result = ledger.ingest(conn, till.id, events, usage)
            except ledger.ForeignAttempt as exc:
                log.warning("till %r sent events for %s of another till; batch refused",
                            till.name, exc.reference)
                raise _HttpError(403, str(exc), code="foreign_attempt") from None
            return result.as_json()

        return JSONResponse(await _retrying(lambda: tx(ingest)))

    # -- ClickPesa's webhooks and the tills' stream --------------------------------------

    async def clickpesa_webhook(request: Request) -> Response:
        ip = _client_ip(request)
        if config.webhook is None:
            log.warning("webhook from %s refused: no checksum key configured", ip)
            return JSONResponse({"error": "Webhooks are not configured on this server."},
                                status_code=503)
        from pos_app.clickpesa.webhooks import WebhookError, load_body, parse_webhook

        raw = await request.body()
        headers = {k.lower(): v for k, v in request.headers.items()}
        try:
            body = load_body(raw)
        except WebhookError:
            body = None
        if body is None or not webhooks.verified(body, headers, config.webhook):
            # Never the body: it names the customer. The reference is enough to look it up.
            try:
                what = parse_webhook(body).order_reference if body is not None else "not JSON"
            except WebhookError:
                what = "unreadable"
            log.warning("webhook from %s refused: missing or wrong signature (%s)", ip, what)
            return JSONResponse({"error": "Missing or wrong signature."}, status_code=401)
        try:
            parsed = parse_webhook(body)
        except WebhookError as exc:  # signed, so ClickPesa's: acknowledged, not fanned out
            log.info("webhook ignored: %s", exc)
            return JSONResponse({"stored": False, "ignored": str(exc)})
        stored, seq = await tx(webhooks.store, raw.decode("utf-8"), parsed)
        log.info("webhook %s %s %s: %s", parsed.event, parsed.order_reference, parsed.status,
                 "stored" if stored else "already had it")
        return JSONResponse({"stored": stored, "seq": seq})

    async def till_stream(request: Request) -> Response:
        from sse_starlette.sse import EventSourceResponse

        secret = _bearer(request)
        till = await tx(_till, secret)
        raw_last = request.headers.get("last-event-id") or request.query_params.get("after")
        if raw_last is not None and raw_last.strip().isdigit():
            start = int(raw_last.strip())
        else:
            start = await tx(webhooks.start_seq)

        async def events() -> AsyncIterator[dict[str, str]]:
            last = start
            wake = hub.subscribe()
            try:
                while True:
                    wake.clear()
                    rows, still_ok = await tx(_notices_for, till.id, last)
                    if not still_ok:
                        return  # revoked while connected: the stream ends
                    for row in rows:
                        last = row["seq"]
                        yield {"id": str(row["seq"]), "event": "payment",
                               "data": json.dumps(row)}
                    if rows:
                        continue
                    try:
                        await asyncio.wait_for(wake.wait(), timeout=config.stream_ping_s)
                    except TimeoutError:
                        pass
            finally:
                hub.unsubscribe(wake)

        return EventSourceResponse(events(), ping=int(config.stream_ping_s),
                                   headers={"cache-control": "no-store"})

    def _notices_for(conn: psycopg.Connection, till_id: int, after: int
                     ) -> tuple[list[dict[str, Any]], bool]:
        ok = conn.execute("SELECT revoked_at IS NULL AS ok FROM tills WHERE id=%s",
                          (till_id,)).fetchone()
        if ok is None or not ok["ok"]:
            return [], False
        return webhooks.notices_after(conn, after), True

    # -- the dashboard ---------------------------------------------------------------------

    def _lang(request: Request) -> str:
        return i18n.pick_language(request.query_params.get("lang")
                                  or request.cookies.get("lang"),
                                  request.headers.get("accept-language", ""))

    def render(request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
        lang = context.pop("lang", None) or _lang(request)
        html = templates.get_template(name).render(
            t=lambda text: i18n.translate(lang, text), lang=lang, **context)
        response = HTMLResponse(html, status_code=status)
        if request.query_params.get("lang") in i18n.LANGUAGES:
            response.set_cookie("lang", lang, max_age=3600 * 24 * 365, secure=True,
                                httponly=True, samesite="lax")
        return response

    async def session_of(request: Request) -> store.Session | None:
        token = request.cookies.get(SESSION_COOKIE)
        if not token:
            return None
        return await tx(store.session_for, token, config.now())

    async def login_page(request: Request, error: str = "", status: int = 200) -> Response:
        csrf = security.new_token()
        response = render(request, "login.html", status=status, csrf=csrf, error=error,
                          email=request.query_params.get("email", ""))
        response.set_cookie(LOGIN_COOKIE, csrf, max_age=3600, secure=True, httponly=True,
                            samesite="strict")
        return response

    async def login_get(request: Request) -> Response:
        if await session_of(request) is not None:
            return RedirectResponse("/", status_code=303)
        return await login_page(request)

    async def login_post(request: Request) -> Response:
        form = await request.form()
        sent = str(form.get("csrf_token", ""))
        cookie = request.cookies.get(LOGIN_COOKIE, "")
        if not sent or not cookie or not security.same(sent, cookie):
            return await login_page(request, "The form expired. Please try again.", 403)
        email = str(form.get("email", "")).strip().lower()[:254]
        password = str(form.get("password", ""))[:1024]
        ip = _client_ip(request)
        now = config.now()
        blocked, (owner_id, hashed) = await tx(
            lambda conn: (store.login_blocked(conn, email, ip, now),
                          store.owner_hash(conn, email)))
        if blocked:
            log.warning("sign-in refused: too many failures (ip %s)", ip)
            return await login_page(
                request, "Too many sign-in attempts. Wait 15 minutes and try again.", 429)
        ok = await run_in_threadpool(security.verify_password, hashed, password)
        if not ok or owner_id is None:
            await tx(store.record_failure, email, ip, now)
            log.info("sign-in failed (ip %s)", ip)
            return await login_page(request, "Wrong e-mail or password.", 401)
        token, _csrf = await tx(store.start_session, owner_id, now)
        response = RedirectResponse("/", status_code=303)
        response.set_cookie(SESSION_COOKIE, token, max_age=int(store.SESSION_LIFETIME
                                                               .total_seconds()),
                            secure=True, httponly=True, samesite="lax", path="/")
        response.delete_cookie(LOGIN_COOKIE, secure=True, httponly=True, samesite="strict")
        return response

    async def require(request: Request) -> store.Session:
        session = await session_of(request)
        if session is None:
            raise _Redirect("/login")
        return session

    async def check_csrf(request: Request, session: store.Session) -> Any:
        form = await request.form()
        sent = str(form.get("csrf_token", ""))
        if not sent or not security.same(sent, session.csrf_token):
            raise _HttpError(403, "The form expired or did not come from this dashboard.")
        return form

    async def logout(request: Request) -> Response:
        session = await require(request)
        await check_csrf(request, session)
        await tx(store.end_session, session.token_hash)
        response = RedirectResponse("/login", status_code=303)
        response.delete_cookie(SESSION_COOKIE, secure=True, httponly=True, samesite="lax")
        return response

    def _day(text: str | None, conn: psycopg.Connection) -> date:
        if text:
            try:
                return date.fromisoformat(text)
            except ValueError:
                pass
        return store.shop_today(conn, config.now())

    async def dashboard(request: Request) -> Response:
        session = await require(request)
        data = await tx(_dashboard_data, request.query_params.get("day"))
        return render(request, "dashboard.html", session=session, **data)

    def _dashboard_data(conn: psycopg.Connection, day_text: str | None) -> dict[str, Any]:
        day = _day(day_text, conn)
        today = store.shop_today(conn, config.now())
        tz = store.shop_timezone(conn)
        rows = store.day_rows(conn, day)
        tills = store.list_tills(conn)
        by_till: dict[str, list[int]] = {t.name: [0, 0] for t in tills}
        by_channel: dict[str, list[int]] = {}
        paid = [0, 0]
        for row in rows:
            if row.record.state.report_status == "PAID":
                for table, key in ((by_till, row.till), (by_channel,
                                                          channel_name(row.record.channel))):
                    slot = table.setdefault(key, [0, 0])
                    slot[0] += 1
                    slot[1] += row.record.amount_tzs
                paid[0] += 1
                paid[1] += row.record.amount_tzs
        reports = []
        names = sorted({r.till for r in rows} | {t.name for t in tills})
        for name in [None, *names]:
            records = [r.record for r in rows if name is None or r.till == name]
            report = build_report(records, day=day, mode="live", tz=tz,
                                  till_name=name or "", title=name or "Whole shop")
            reports.append({"name": name, "text": report_text(report, width=42)})
        calls = store.api_calls_on(conn, today)
        kyc = store.get_setting(conn, "kyc_verified", "no") == "yes"
        cap = int(store.get_setting(conn, "daily_call_cap", "100") or 100)
        return {
            "day": day, "today": today, "is_today": day == today, "timezone": tz.key,
            "paid": paid, "by_till": sorted(by_till.items()),
            "by_channel": sorted(by_channel.items(), key=lambda kv: -kv[1][1]),
            "latest": [_row_json(r, tz) for r in store.latest_paid(conn)],
            "open": [_row_json(r, tz) for r in store.open_rows(conn)],
            "reports": reports, "calls": calls, "calls_total": sum(c for _, c in calls),
            "kyc_verified": kyc, "cap": cap, "other_systems": _other(conn, tz),
            "tills": [{"name": t.name, "state": t.state,
                       "last_seen": t.last_seen_at.astimezone(tz).strftime("%Y-%m-%d %H:%M")
                       if t.last_seen_at else ""} for t in tills],
        }

    def _other(conn: psycopg.Connection, tz: Any) -> list[dict[str, Any]]:
        if conn.execute("SELECT to_regclass('public.webhooks') AS t").fetchone()["t"] is None:
            return []
        return [{**w, "at": w["received_at"].astimezone(tz).strftime("%Y-%m-%d %H:%M")}
                for w in webhooks.other_systems(conn)]

    def _row_json(row: store.LedgerRow, tz: Any) -> dict[str, Any]:
        r = row.record
        try:
            at = datetime.fromisoformat(r.created_at).astimezone(tz)
            when = at.strftime("%Y-%m-%d %H:%M")
        except ValueError:
            when = r.created_at
        return {"at": when, "till": row.till, "phone": r.phone, "amount": format_tzs(
            r.amount_tzs), "reference": r.order_reference, "status": r.state.report_status,
            "channel": channel_name(r.channel), "message": r.message, "flagged": row.flagged}

    async def latest_json(request: Request) -> Response:
        session = await session_of(request)
        if session is None:
            raise _HttpError(401, "Sign in first.")

        def latest(conn: psycopg.Connection) -> dict[str, Any]:
            tz = store.shop_timezone(conn)
            today = store.shop_today(conn, config.now())
            rows = store.day_rows(conn, today)
            paid = [r for r in rows if r.record.state.report_status == "PAID"]
            return {"latest": [_row_json(r, tz) for r in store.latest_paid(conn)],
                    "today": today.isoformat(), "paid_count": len(paid),
                    "paid_total": format_tzs(sum(r.record.amount_tzs for r in paid))}

        return JSONResponse(await tx(latest))

    async def export(request: Request) -> Response:
        session = await require(request)
        form = await check_csrf(request, session)
        import io

        def rows(conn: psycopg.Connection) -> tuple[date, str]:
            day = _day(str(form.get("day", "")), conn)
            out = io.StringIO()
            write_csv(store.day_rows(conn, day), out)
            return day, out.getvalue()

        day, text = await tx(rows)
        return Response(text, media_type="text/csv; charset=utf-8", headers={
            "content-disposition": f'attachment; filename="malipo-{day.isoformat()}.csv"'})

    async def health(request: Request) -> Response:
        def ping(conn: psycopg.Connection) -> bool:
            return conn.execute("SELECT 1 AS ok").fetchone()["ok"] == 1
        try:
            ok = await tx(ping)
        except Exception:  # noqa: BLE001 — any database trouble: not healthy
            ok = False
        return JSONResponse({"ok": ok}, status_code=200 if ok else 503)

    routes = [
        Route("/", dashboard),
        Route("/login", login_get, methods=["GET"]),
        Route("/login", login_post, methods=["POST"]),
        Route("/logout", logout, methods=["POST"]),
        Route("/export", export, methods=["POST"]),
        Route("/dashboard/latest.json", latest_json),
        Route("/healthz", health),
        Route("/api/v1/join", api_join, methods=["POST"]),
        Route("/api/v1/tills/me", api_me),
        Route("/api/v1/events", api_events, methods=["POST"]),
        Route("/api/v1/tills/stream", till_stream),
        Route("/clickpesa/webhook", clickpesa_webhook, methods=["POST"]),
        Mount("/static", StaticFiles(directory=str(_HERE / "static")), name="static"),
    ]
    return Starlette(routes=routes, lifespan=lifespan,
                     middleware=[Middleware(SecurityHeaders)],
                     exception_handlers={_HttpError: _http_error, _Redirect: _redirect})


class _HttpError(Exception):
    def __init__(self, status: int, message: str, *, code: str = "") -> None:
        super().__init__(message)
        self.status, self.code = status, code


class _Redirect(Exception):
    def __init__(self, to: str) -> None:
        super().__init__(to)
        self.to = to


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, _HttpError)
    return JSONResponse({"error": str(exc), "code": exc.code}, status_code=exc.status)


async def _redirect(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, _Redirect)
    return RedirectResponse(exc.to, status_code=303)


async def _retrying(call: Callable[[], Any], attempts: int = 3) -> Any:
    """Two processes ingesting one attempt's events serialise on its advisory lock; a
    serialisation or deadlock error is retried, the batch being idempotent."""
    for i in range(attempts):
        try:
            return await call()
        except (psycopg.errors.DeadlockDetected, psycopg.errors.SerializationFailure):
            if i == attempts - 1:
                raise
    raise AssertionError("unreachable")


def _client_ip(request: Request) -> str:
    return request.client.host if request.client else "unknown"
