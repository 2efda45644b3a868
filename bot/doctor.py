"""`localcheck doctor`: is everything the bot needs in place, and if not, what fixes it."""

from __future__ import annotations

import base64
import json
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from bot.settings import Settings, url_and_credentials

if TYPE_CHECKING:
    from bot.slack.modes import Mode

State = Literal["ok", "failed", "not configured"]
PROBE_TIMEOUT_S = 3.0


@dataclass(frozen=True)
class Check:
    name: str
    state: State
    detail: str
    fix: str | None = None


def run_checks(settings: Settings) -> Iterator[Check]:
    """Each check, with every secret and URL credential hidden from what it says."""
    for check in (knowledge_check, decision_log_check, model_check, slack_check):
        found = check(settings)
        yield Check(found.name, found.state, settings.redact(found.detail), found.fix and settings.redact(found.fix))


def knowledge_check(settings: Settings) -> Check:
    from bot.knowledge.checks import cross_reference_problems
    from bot.knowledge.loader import load_knowledge
    from bot.knowledge.problems import KnowledgeError

    try:
        kb = load_knowledge(settings.knowledge_dir)
        problems = cross_reference_problems(kb)
    except KnowledgeError as error:
        problems = error.problems
    if problems:
        return Check(
            "knowledge base",
            "failed",
            f"{len(problems)} problem(s), first: {problems[0]}",
            "`localcheck knowledge check` names every one; fix those entries",
        )
    return Check("knowledge base", "ok", f"{settings.knowledge_dir} (version {kb.version})")


def decision_log_check(settings: Settings) -> Check:
    """Writes to the log's file itself: a TEMP table would live in memory and pass on a read-only file."""
    from bot.decisions.problems import LogUnavailable
    from bot.decisions.store import DecisionLog

    log = DecisionLog.from_settings(settings)
    try:
        count = log.check_writable()
    except LogUnavailable as error:
        return Check("decision log", "failed", str(error).removeprefix("the decision log at "), error.problem.fix)
    waiting = log.pending()
    if waiting:
        return Check(
            "decision log",
            "failed",
            f"{settings.db} is writable, but {len(waiting)} change(s) in {log.spool.folder} could not be written to it",
            "run `localcheck doctor` again; if they stay, the log's warnings say why",
        )
    return Check("decision log", "ok", f"{settings.db} ({count} decisions), writable")


def model_check(settings: Settings) -> Check:
    if settings.llm == "openai":
        url, wanted = settings.openai_base_url.rstrip("/") + "/models", settings.openai_model
        start = "start the OpenAI-compatible server, or set LOCALCHECK_OPENAI_BASE_URL"
    else:
        url, wanted = settings.ollama_host + "/api/tags", settings.model
        start = "start Ollama (`ollama serve`), or set OLLAMA_HOST to where it runs"
    # urllib reads user:password@ in a URL as part of the host; send it as a header, as the model clients do.
    request_url, credentials = url_and_credentials(url)
    headers = {}
    if credentials:
        headers["Authorization"] = "Basic " + base64.b64encode(":".join(credentials).encode()).decode()
    if settings.llm == "openai" and settings.openai_api_key:
        headers["Authorization"] = f"Bearer {settings.openai_api_key.get_secret_value()}"
    try:
        request = urllib.request.Request(request_url, headers=headers)  # noqa: S310 - our own setting
        with urllib.request.urlopen(request, timeout=PROBE_TIMEOUT_S) as reply:  # noqa: S310 - our own setting
            listing = json.load(reply)
    except (urllib.error.URLError, OSError, ValueError) as error:
        reason = getattr(error, "reason", error)
        return Check("model", "failed", f"nothing answered at {url} ({reason}); answers use the template", start)
    available = _model_names(listing)
    if wanted in available or f"{wanted}:latest" in available:
        return Check("model", "ok", f"{wanted} available at {url}")
    fix = f"run `ollama pull {wanted}`" if settings.llm == "ollama" else "set LOCALCHECK_OPENAI_MODEL to one it serves"
    return Check("model", "failed", f"{wanted} is not among {sorted(available) or 'no models'} at {url}", fix)


def _model_names(listing: dict[str, Any]) -> set[str]:
    """Model names from Ollama's /api/tags or an OpenAI-style /models listing."""
    entries = listing.get("models") or listing.get("data") or []
    return {entry.get("name") or entry.get("model") or entry.get("id") for entry in entries} - {None}


def slack_check(settings: Settings) -> Check:
    """The bot token (auth.test), and what the mode `localcheck serve` would pick needs: HTTP mode a signing
    secret, Socket Mode an app token."""
    from bot.slack.modes import NAMES, choose_mode, fix, missing
    from bot.slack.oauth import installs_through_oauth

    mode = choose_mode(settings)
    if installs_through_oauth(settings):
        return _oauth_check(settings, mode)
    absent = missing(settings, mode)
    chosen = f"{NAMES[mode]} (SLACK_APP_TOKEN is {'set' if mode == 'socket' else 'not set'})"
    if settings.slack_bot_token is None:
        if not (settings.slack_app_token or settings.slack_signing_secret):
            return Check(
                "slack",
                "not configured",
                "SLACK_BOT_TOKEN is not set; needed only for the Slack app",
                "create the app from deploy/ (deploy/GUIDE.md) and set SLACK_BOT_TOKEN with SLACK_SIGNING_SECRET "
                "for HTTP mode, or with SLACK_APP_TOKEN for Socket Mode",
            )
        return Check("slack", "failed", f"{chosen} needs {' and '.join(absent)}", fix(absent, mode))
    from slack_sdk import WebClient
    from slack_sdk.errors import SlackApiError

    client = WebClient(
        token=settings.slack_bot_token.get_secret_value(), base_url=settings.slack_api_url, timeout=int(PROBE_TIMEOUT_S)
    )
    try:
        identity = client.auth_test()
    except SlackApiError as error:
        return Check(
            "slack",
            "failed",
            f"auth.test refused the bot token: {error.response.get('error')}",
            "copy the Bot User OAuth Token (xoxb-...) from the app's OAuth page into SLACK_BOT_TOKEN",
        )
    except Exception as error:  # noqa: BLE001 - network and the like
        return Check("slack", "failed", f"cannot reach {settings.slack_api_url}: {error}", "check SLACK_API_URL")
    if absent:
        return Check(
            "slack",
            "failed",
            f"bot token valid as {identity['user']}, but {chosen} needs {' and '.join(absent)}",
            fix(absent, mode),
        )
    return Check("slack", "ok", f"bot token valid as {identity['user']} in {identity['team']}; {NAMES[mode]}")


def _oauth_check(settings: Settings, mode: Mode) -> Check:
    """Installs through OAuth: each workspace brings its own token, so what to check is the mode's needs
    and how many workspaces have installed."""
    from bot.slack.modes import setup_problem

    if problem := setup_problem(settings, mode):
        return Check("slack", "failed", "OAuth installs (SLACK_CLIENT_ID) are set up for HTTP mode only", problem)
    try:
        from bot.decisions.store import DecisionLog

        installed = DecisionLog.from_settings(settings).db["slack_installations"].count
    except Exception as error:  # noqa: BLE001 - the log's own check says what is wrong with it
        return Check("slack", "failed", f"cannot read the installed workspaces: {error}", "see the decision log check")
    fix = None if installed else "open https://YOUR-HOST/slack/install to install the app in a workspace"
    return Check("slack", "ok", f"OAuth installs, HTTP mode: {installed} workspace(s) installed", fix)
