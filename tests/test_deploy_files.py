"""The deployment files say what the bot needs: the Slack manifests, the image, compose, systemd, the guide.

Read as files only: no network, no docker, no systemd.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys
import time
import tomllib
import urllib.parse
from pathlib import Path
from typing import Any

import pytest
import typer
import yaml

from bot.cli import app
from bot.settings import Settings, environment_name
from bot.slack.oauth import BOT_SCOPES
from tests.conftest import REPO, _closed_port
from tests.fakes.slack_api import FakeSlack

DEPLOY = REPO / "deploy"
SOCKET = DEPLOY / "slack-manifest-socket.yaml"
HTTP = DEPLOY / "slack-manifest-http.yaml"

BOT_EVENTS = {
    "app_mention",
    "message.im",
    "message.channels",
    "message.groups",
    "app_home_opened",
    "assistant_thread_started",
    "assistant_thread_context_changed",
    "app_uninstalled",
    "tokens_revoked",
}


def load(path: Path) -> Any:
    return yaml.safe_load(path.read_text())


# --- Slack manifests ----------------------------------------------------------


@pytest.fixture(params=[SOCKET, HTTP], ids=["socket", "http"])
def manifest(request: pytest.FixtureRequest) -> dict[str, Any]:
    return load(request.param)


def test_manifest_asks_for_the_scopes_and_events_the_bot_uses(manifest: dict[str, Any]) -> None:
    scopes = manifest["oauth_config"]["scopes"]["bot"]
    assert set(scopes) == set(BOT_SCOPES)  # which the app's behaviour justifies: tests/slack/test_scopes.py
    assert len(scopes) == len(set(scopes))
    events = manifest["settings"]["event_subscriptions"]["bot_events"]
    assert set(events) == BOT_EVENTS
    assert len(events) == len(set(events))


def test_manifest_has_the_slash_command_tabs_and_assistant(manifest: dict[str, Any]) -> None:
    features = manifest["features"]
    (command,) = features["slash_commands"]
    assert command["command"] == "/localcheck"
    assert command["description"]
    for word in ("history", "help"):
        assert word in command["usage_hint"]

    home = features["app_home"]
    assert home["home_tab_enabled"] is True
    assert home["messages_tab_enabled"] is True
    assert home.get("messages_tab_read_only_enabled", False) is False
    assert features["bot_user"]["display_name"] == "localcheck"  # what `/invite @localcheck` names

    assistant = features["assistant_view"]
    assert assistant["assistant_description"].strip()
    prompts = assistant["suggested_prompts"]
    assert 3 <= len(prompts) <= 4  # Slack shows at most four
    for prompt in prompts:
        assert set(prompt) == {"title", "message"}
        assert prompt["title"].strip() and prompt["message"].strip()

    assert manifest["settings"]["interactivity"]["is_enabled"] is True
    assert manifest["settings"]["org_deploy_enabled"] is False
    assert manifest["settings"]["token_rotation_enabled"] is False


def test_manifest_display_information_fits_slacks_limits(manifest: dict[str, Any]) -> None:
    # Limits from Slack's manifest schema (slackapi/manifest-schema).
    info = manifest["display_information"]
    assert 1 <= len(info["name"]) <= 35
    assert 1 <= len(info["description"]) <= 140
    assert 175 <= len(info["long_description"]) <= 4000
    assert re.fullmatch(r"#[0-9a-fA-F]{6}", info["background_color"])
    assert set(manifest) <= {"_metadata", "display_information", "features", "oauth_config", "settings"}


def test_socket_manifest_uses_socket_mode_without_request_urls() -> None:
    manifest = load(SOCKET)
    settings = manifest["settings"]
    assert settings["socket_mode_enabled"] is True
    assert "request_url" not in settings["event_subscriptions"]
    assert "request_url" not in settings["interactivity"]
    assert all("url" not in command for command in manifest["features"]["slash_commands"])
    assert "://" not in json.dumps(manifest)


def test_http_manifest_sends_everything_to_slack_events() -> None:
    manifest = load(HTTP)
    settings = manifest["settings"]
    assert settings["socket_mode_enabled"] is False
    urls = [
        settings["event_subscriptions"]["request_url"],
        settings["interactivity"]["request_url"],
        manifest["features"]["slash_commands"][0]["url"],
    ]
    for url in urls:
        assert url.startswith("https://")
        assert url.endswith("/slack/events")
    (redirect,) = manifest["oauth_config"]["redirect_urls"]  # where an OAuth install comes back to
    assert redirect.startswith("https://") and redirect.endswith("/slack/oauth_redirect")


def test_the_two_manifests_are_the_same_app() -> None:
    """Only the mode and the request URLs differ, so a change to one is made to both."""

    def without_mode(manifest: dict[str, Any]) -> dict[str, Any]:
        manifest["settings"].pop("socket_mode_enabled")
        manifest["settings"]["event_subscriptions"].pop("request_url", None)
        manifest["settings"]["interactivity"].pop("request_url", None)
        manifest["oauth_config"].pop("redirect_urls", None)
        for command in manifest["features"]["slash_commands"]:
            command.pop("url", None)
        return manifest

    assert without_mode(load(SOCKET)) == without_mode(load(HTTP))


# --- Dockerfile -----------------------------------------------------------------


def dockerfile_instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) in order, continuation lines joined, comments dropped."""
    instructions: list[tuple[str, str]] = []
    pending = ""
    for line in (DEPLOY / "Dockerfile").read_text().splitlines():
        stripped = line.strip()
        if not pending and (not stripped or stripped.startswith("#")):
            continue
        if stripped.startswith("#"):
            continue
        pending += " " + stripped[:-1] if stripped.endswith("\\") else " " + stripped
        if not stripped.endswith("\\"):
            keyword, _, rest = pending.strip().partition(" ")
            instructions.append((keyword.upper(), rest.strip()))
            pending = ""
    assert not pending, "a continuation line runs off the end of the Dockerfile"
    return instructions


def final_stage() -> list[tuple[str, str]]:
    instructions = dockerfile_instructions()
    last_from = max(i for i, (keyword, _) in enumerate(instructions) if keyword == "FROM")
    return instructions[last_from:]


def wheel_sources() -> set[str]:
    """What pyproject.toml's wheel is built from: its packages, the data it force-includes, its readme."""
    pyproject = tomllib.loads((REPO / "pyproject.toml").read_text())
    wheel = pyproject["tool"]["hatch"]["build"]["targets"]["wheel"]
    return {"pyproject.toml", pyproject["project"]["readme"], *wheel["packages"], *wheel.get("force-include", {})}


def test_dockerfile_builds_the_wheel_pyproject_describes() -> None:
    """The image installs the project from a folder holding everything its wheel is built from."""
    instructions = dockerfile_instructions()
    bases = [args.split()[0] for keyword, args in instructions if keyword == "FROM"]
    assert bases and all(base == "python:3.12-slim" for base in bases)
    workdir, copied, installed_from = "/", set[str](), None
    for keyword, args in instructions:
        if keyword == "WORKDIR":
            workdir = args
        elif keyword == "COPY" and not args.startswith("--from"):
            *sources, destination = args.split()
            into = os.path.normpath(os.path.join(workdir, destination))
            for source in sources:
                copied.add(os.path.join(into, source) if destination.endswith("/") else into)
        elif keyword == "RUN" and installed_from is None:
            for command in args.split("&&"):
                words = shlex.split(command)
                if words[:2] == ["pip", "install"]:
                    (target,) = [w for w in words[2:] if not w.startswith("-")]
                    installed_from = os.path.normpath(os.path.join(workdir, target))
    assert installed_from is not None, "no RUN pip installs the project"
    needed = {os.path.join(installed_from, source) for source in wheel_sources()}
    assert needed <= copied, f"pip install {installed_from} runs without {sorted(needed - copied)}"
    for source in wheel_sources():
        assert (REPO / source).exists(), source


def test_dockerfile_runs_as_a_non_root_user() -> None:
    users = [args for keyword, args in final_stage() if keyword == "USER"]
    assert users, "the final stage sets no USER"
    assert users[-1].split(":")[0] not in {"root", "0"}


def test_dockerfile_keeps_the_decision_log_on_a_volume_the_user_owns() -> None:
    stage = final_stage()
    env = {
        k: v for keyword, args in stage if keyword == "ENV" for k, _, v in [w.partition("=") for w in shlex.split(args)]
    }
    log_folder = str(Path(env["LOCALCHECK_DB"]).parent)
    volumes = [v for keyword, args in stage if keyword == "VOLUME" for v in json.loads(args)]
    assert log_folder in volumes, "the decision log would die with the container"
    user = [args for keyword, args in stage if keyword == "USER"][-1]
    runs = " ".join(args for keyword, args in stage if keyword == "RUN")
    owned = rf"chown\s+(-R\s+)?{re.escape(user)}(:\S+)?\s+{re.escape(log_folder)}(\s|$)"
    assert re.search(owned, runs), f"{log_folder} is not owned by {user}"


def cli_accepts(args: list[str]) -> None:
    """`localcheck ARGS` names a command the CLI has, with options it takes and values it allows
    (click parses them as it would to run the command, and raises on anything else)."""
    group = typer.main.get_command(app)
    assert isinstance(group, typer.core.TyperGroup)
    name, *rest = args
    command = group.get_command(group.context_class(group), name)
    assert command is not None, f"localcheck has no {name!r} command"
    command.make_context(name, list(rest))


def healthcheck_command() -> list[str]:
    (healthcheck,) = [args for keyword, args in final_stage() if keyword == "HEALTHCHECK"]
    command: list[str] = json.loads(healthcheck.partition("CMD")[2])
    return command


def test_the_image_serves_on_the_port_it_exposes_and_checks() -> None:
    stage = final_stage()
    (cmd,) = [json.loads(args) for keyword, args in stage if keyword == "CMD"]
    assert cmd[0] == "localcheck"
    cli_accepts(cmd[1:])
    served_port = cmd[cmd.index("--port") + 1]
    (exposed,) = [args for keyword, args in stage if keyword == "EXPOSE"]
    (url,) = re.findall(r"https?://[^'\"\s]+", " ".join(healthcheck_command()))
    assert exposed == served_port == str(urllib.parse.urlsplit(url).port)
    assert healthcheck_command()[0] == "python", "the slim image has no curl or wget"


def test_the_images_healthcheck_passes_against_the_server_its_cmd_starts(fake_slack: FakeSlack, tmp_path: Path) -> None:
    """The Dockerfile's CMD, run here on a free port, and its HEALTHCHECK, pointed at that port: healthy.
    With the server gone the same check fails, so it tells a live bot from a dead one."""
    (cmd,) = [json.loads(args) for keyword, args in final_stage() if keyword == "CMD"]
    port, image_port = str(_closed_port()), cmd[cmd.index("--port") + 1]
    args = [port if a == image_port else a for a in cmd[1:]]
    localcheck = Path(sys.executable).with_name("localcheck")
    env = {**os.environ, "SLACK_SIGNING_SECRET": "secret", "LOCALCHECK_DB": str(tmp_path / "decisions.db")}
    check = [
        sys.executable if word == "python" else word.replace(f":{image_port}/", f":{port}/")
        for word in healthcheck_command()
    ]
    assert check != healthcheck_command()

    def healthy() -> bool:
        return subprocess.run(check, capture_output=True, timeout=10).returncode == 0

    log = tmp_path / "serve.log"
    with log.open("wb") as sink:
        server = subprocess.Popen(
            [str(localcheck), *args, "--host", "127.0.0.1"], env=env, cwd=tmp_path, stdout=sink, stderr=sink
        )
    try:
        deadline = time.monotonic() + 60
        while not healthy():
            assert server.poll() is None and time.monotonic() < deadline, log.read_text(errors="replace")
            time.sleep(0.3)
    finally:
        server.terminate()
        server.wait(timeout=30)
    assert not healthy(), "the check passes with no server"


def test_dockerignore_keeps_secrets_and_local_state_out_of_the_build() -> None:
    patterns = {
        line.strip()
        for line in (REPO / ".dockerignore").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    }
    for pattern in (".env", ".venv", ".git", ".pytest_cache", ".hypothesis", "**/__pycache__", "*.db"):
        assert pattern in patterns
    for needed in ("bot", "knowledge", "prompts", "pyproject.toml", "README.md"):
        assert needed not in patterns


# --- compose ----------------------------------------------------------------------


@pytest.fixture
def compose() -> dict[str, Any]:
    return load(DEPLOY / "compose.yaml")


def test_compose_has_ollama_the_model_pull_and_the_bot(compose: dict[str, Any]) -> None:
    services = compose["services"]
    assert set(services) == {"ollama", "ollama-pull", "localcheck"}
    ollama = services["ollama"]
    assert ollama["image"].split(":")[0] == "ollama/ollama"
    assert ollama["healthcheck"]["test"]
    assert any(v.split(":")[1] == "/root/.ollama" for v in ollama["volumes"])

    pull = services["ollama-pull"]
    assert pull["image"].split(":")[0] == "ollama/ollama"
    assert pull["environment"]["OLLAMA_HOST"] == "ollama:11434"
    command = " ".join([*pull.get("entrypoint", []), *pull["command"]])
    assert "ollama pull" in command
    assert "LOCALCHECK_MODEL:-llama3.1:8b" in command
    assert pull.get("restart", "no") == "no"


def test_compose_volumes_are_named_and_used(compose: dict[str, Any]) -> None:
    named = set(compose["volumes"])
    used = {volume.split(":")[0] for service in compose["services"].values() for volume in service.get("volumes", [])}
    assert used == named
    bot_mounts = [v.split(":")[1] for v in compose["services"]["localcheck"]["volumes"]]
    assert bot_mounts == ["/data"]  # the decision log, LOCALCHECK_DB=/data/decisions.db


def test_compose_bot_talks_to_ollama_and_logs_to_the_volume(compose: dict[str, Any]) -> None:
    bot = compose["services"]["localcheck"]
    assert bot["environment"]["OLLAMA_HOST"] == "http://ollama:11434"
    assert bot["environment"]["LOCALCHECK_DB"] == "/data/decisions.db"
    (cmd,) = [json.loads(args) for keyword, args in final_stage() if keyword == "CMD"]
    (published,) = bot["ports"]
    assert published.split(":")[-1] == cmd[cmd.index("--port") + 1], "compose publishes the port the bot serves on"
    assert bot["restart"] == "unless-stopped"
    # Paths in a compose file are relative to its folder.
    assert (DEPLOY / bot["build"]["context"]).resolve() == REPO
    assert (DEPLOY / bot["build"]["context"] / bot["build"]["dockerfile"]).resolve() == DEPLOY / "Dockerfile"
    assert (DEPLOY / bot["env_file"]).resolve() == REPO / ".env"


def test_compose_starts_the_bot_after_ollama_and_the_pull(compose: dict[str, Any]) -> None:
    services = compose["services"]
    assert services["ollama-pull"]["depends_on"] == {"ollama": {"condition": "service_healthy"}}
    assert services["localcheck"]["depends_on"] == {
        "ollama": {"condition": "service_healthy"},
        "ollama-pull": {"condition": "service_completed_successfully"},
    }


def test_compose_sets_only_real_settings(compose: dict[str, Any]) -> None:
    real = {environment_name(field) for field in Settings.model_fields}
    for name in compose["services"]["localcheck"]["environment"]:
        assert name in real


# --- systemd ----------------------------------------------------------------------


def unit_file() -> dict[str, dict[str, list[str]]]:
    sections: dict[str, dict[str, list[str]]] = {}
    current: dict[str, list[str]] | None = None
    for line in (DEPLOY / "localcheck.service").read_text().splitlines():
        line = line.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("["):
            current = sections.setdefault(line.strip("[]"), {})
            continue
        assert current is not None, f"{line!r} comes before any section"
        key, _, value = line.partition("=")
        current.setdefault(key.strip(), []).append(value.strip())
    return sections


def test_unit_runs_a_command_the_cli_has_as_its_own_user() -> None:
    service = unit_file()["Service"]
    (exec_start,) = service["ExecStart"]
    binary, *args = shlex.split(exec_start)
    assert binary.startswith("/") and Path(binary).name == "localcheck"  # systemd wants an absolute path
    cli_accepts(args)
    (user,) = service["User"]
    assert user and user not in {"root", "0"}
    assert service["Restart"] == ["on-failure"]


def test_unit_keeps_the_decision_log_where_it_may_write() -> None:
    """ProtectSystem=strict leaves the file system read-only but for ReadWritePaths and the StateDirectory
    systemd creates for the user: the decision log must be in both."""
    service = unit_file()["Service"]
    settings = dict(line.split("=", 1) for value in service["Environment"] for line in shlex.split(value))
    log_folder = Path(settings["LOCALCHECK_DB"]).parent
    (state,) = service["StateDirectory"]
    assert log_folder == Path("/var/lib") / state
    assert any(log_folder.is_relative_to(path) for value in service["ReadWritePaths"] for path in value.split())
    (environment_file,) = service["EnvironmentFile"]
    assert environment_file.startswith("/") and environment_file in GUIDE.read_text(), "the guide says what goes in it"


def test_unit_is_hardened() -> None:
    service = unit_file()["Service"]
    assert service["NoNewPrivileges"] == ["true"]
    assert service["ProtectSystem"] == ["strict"]
    assert service["ProtectHome"] == ["true"]
    assert service["PrivateTmp"] == ["true"]
    assert unit_file()["Install"]["WantedBy"] == ["multi-user.target"]


# --- the guide ----------------------------------------------------------------------

GUIDE = DEPLOY / "GUIDE.md"


def test_every_variable_the_guide_names_is_a_real_setting() -> None:
    real = {environment_name(field) for field in Settings.model_fields}
    named = set(re.findall(r"\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\b", GUIDE.read_text()))
    assert named, "the guide names no settings"
    assert named <= real, f"not settings: {sorted(named - real)}"
    assert {"SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "SLACK_SIGNING_SECRET", "LOCALCHECK_MODEL", "LOCALCHECK_DB"} <= named


def test_the_guide_points_at_files_that_exist() -> None:
    text = GUIDE.read_text()
    for path in set(re.findall(r"`(deploy/[\w./-]+)`", text)):
        assert (REPO / path).exists(), path
    for step in ("/invite @localcheck", "/localcheck help", "localcheck doctor", "connections:write", "Signing Secret"):
        assert step in text


def test_the_container_runs_an_init_that_passes_sigterm_on() -> None:
    """As PID 1 without one, the bot ignored `docker stop` and was killed mid-answer 10 s later."""
    stage = final_stage()
    (entrypoint,) = [json.loads(args) for keyword, args in stage if keyword == "ENTRYPOINT"]
    assert entrypoint[0].endswith("tini") and "tini" in " ".join(args for keyword, args in stage if keyword == "RUN")


def test_compose_and_the_unit_leave_the_bot_time_to_stop(compose: dict[str, Any]) -> None:
    from bot.slack.production import ANSWER_GRACE_S

    grace = compose["services"]["localcheck"]["stop_grace_period"]
    assert int(grace.removesuffix("s")) > ANSWER_GRACE_S + 3
    service = unit_file()["Service"]
    assert service["KillMode"] == ["mixed"]  # SIGTERM to gunicorn's master, which stops its worker
    assert int(service["TimeoutStopSec"][0].removesuffix("s")) > ANSWER_GRACE_S + 3
