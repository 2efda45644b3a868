"""Workspaces that installed the app through OAuth, kept in the decision log (migration m010).

`LogInstallationStore` is slack_sdk's `InstallationStore` for a bot-only app (Bolt's
`installation_store_bot_only`): Bolt saves each installation through it, finds the workspace's bot
token for every request (`find_bot`), and deletes it on `app_uninstalled` and `tokens_revoked`.

`LogOAuthStateStore` holds the state /slack/install hands out, good for one return from Slack within
its expiry; any process serving the app (they share the log) can finish an install another began.
"""

from __future__ import annotations

import logging
import secrets
import time
from typing import Any

from slack_sdk.oauth.installation_store import Bot, Installation, InstallationStore
from slack_sdk.oauth.state_store import OAuthStateStore

from bot.decisions.connection import writing
from bot.decisions.store import DecisionLog

logger = logging.getLogger(__name__)
INSTALLATIONS = "slack_installations"
STATES = "slack_oauth_states"


class LogInstallationStore(InstallationStore):
    """One row per workspace (or org, for an org-wide install): the latest bot installed there."""

    def __init__(self, log: DecisionLog) -> None:
        self._log = log

    @property
    def logger(self) -> logging.Logger:
        return logger

    def save(self, installation: Installation) -> None:
        self._save(installation.to_bot(), installer=installation.user_id)

    def save_bot(self, bot: Bot) -> None:
        """A bot whose token was rotated: the installer stays who it was."""
        self._save(bot, installer=None)

    def find_bot(
        self, *, enterprise_id: str | None, team_id: str | None, is_enterprise_install: bool | None = False
    ) -> Bot | None:
        key = _key(enterprise_id, None if is_enterprise_install else team_id)
        db = self._log.db
        row = next(db.query(f"select * from {INSTALLATIONS} where enterprise_id = ? and team_id = ?", key), None)  # noqa: S608 - a constant
        return _bot(row) if row else None

    def delete_bot(self, *, enterprise_id: str | None, team_id: str | None) -> None:
        self._delete(enterprise_id, team_id)

    def delete_installation(
        self, *, enterprise_id: str | None, team_id: str | None, user_id: str | None = None
    ) -> None:
        """A user's revoked token is none of ours (the app holds no user tokens); a workspace's is the bot."""
        if user_id is None:
            self._delete(enterprise_id, team_id)

    def _save(self, bot: Bot, *, installer: str | None) -> None:
        enterprise_id, team_id = _key(bot.enterprise_id, None if bot.is_enterprise_install else bot.team_id)
        row: dict[str, Any] = {
            "enterprise_id": enterprise_id,
            "team_id": team_id,
            "enterprise_name": bot.enterprise_name,
            "team_name": bot.team_name,
            "app_id": bot.app_id,
            "bot_id": bot.bot_id,
            "bot_user_id": bot.bot_user_id,
            "bot_token": bot.bot_token,
            "bot_scopes": ",".join(bot.bot_scopes),
            "bot_refresh_token": bot.bot_refresh_token,
            "bot_token_expires_at": bot.bot_token_expires_at,
            "is_enterprise_install": int(bot.is_enterprise_install),
            "installed_at": bot.installed_at,
        }
        if installer is not None:
            row["installer_user_id"] = installer
        db = self._log.db
        with writing(db):
            db.table(INSTALLATIONS).upsert(row, pk=("enterprise_id", "team_id"))
        logger.info("installed in workspace %s (%s)", team_id or enterprise_id, bot.team_name or bot.enterprise_name)

    def _delete(self, enterprise_id: str | None, team_id: str | None) -> None:
        db = self._log.db
        with writing(db):
            deleted = db.execute(
                f"delete from {INSTALLATIONS} where enterprise_id = ? and team_id = ?",  # noqa: S608 - a constant
                _key(enterprise_id, team_id),
            ).rowcount
        if deleted:
            logger.info("removed the installation of workspace %s", team_id or enterprise_id)


class LogOAuthStateStore(OAuthStateStore):
    def __init__(self, log: DecisionLog, *, expiration_seconds: int) -> None:
        self._log = log
        self.expiration_seconds = expiration_seconds

    @property
    def logger(self) -> logging.Logger:
        return logger

    def issue(self, *args: Any, **kwargs: Any) -> str:
        state = secrets.token_urlsafe(24)
        now = time.time()
        db = self._log.db
        with writing(db):
            db.execute(f"delete from {STATES} where expires_at < ?", [now])  # noqa: S608 - a constant
            db.table(STATES).insert({"state": state, "expires_at": now + self.expiration_seconds})
        return state

    def consume(self, state: str) -> bool:
        """True once for a state this app issued that has not expired; False for anything else."""
        db = self._log.db
        with writing(db):
            rows = list(db.query(f"select expires_at from {STATES} where state = ?", [state]))  # noqa: S608 - a constant
            db.execute(f"delete from {STATES} where state = ?", [state])  # noqa: S608 - a constant
        return bool(rows) and rows[0]["expires_at"] >= time.time()


def _key(enterprise_id: str | None, team_id: str | None) -> list[str]:
    return [enterprise_id or "", team_id or ""]


def _bot(row: dict[str, Any]) -> Bot:
    return Bot(
        app_id=row["app_id"],
        enterprise_id=row["enterprise_id"] or None,
        enterprise_name=row["enterprise_name"],
        team_id=row["team_id"] or None,
        team_name=row["team_name"],
        bot_token=row["bot_token"],
        bot_id=row["bot_id"],
        bot_user_id=row["bot_user_id"],
        bot_scopes=row["bot_scopes"] or "",
        bot_refresh_token=row["bot_refresh_token"],
        bot_token_expires_at=row["bot_token_expires_at"],
        is_enterprise_install=bool(row["is_enterprise_install"]),
        installed_at=row["installed_at"],
    )
