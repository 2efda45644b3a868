"""The assumptions form: change a value, get the answer again in the same thread."""

from __future__ import annotations

import json
from typing import Any

from pydantic import ValidationError
from slack_bolt import Ack, BoltContext

from bot.slack import blocks
from bot.slack.answering import Where, answer_later
from bot.slack.listeners.actions import NOT_YOURS
from bot.slack.privacy import answer_thread, decision_to_act_on
from bot.slack.services import services_of
from bot.workload import Provenance, Workload

NUMBERS = {
    "requests_per_day",
    "input_tokens",
    "output_tokens",
    "ops_staff",
    "availability",
    "electricity_usd_per_kwh",
    "engineer_hourly_usd",
}
INTEGERS = {"input_tokens", "output_tokens"}


def resubmit(ack: Ack, body: dict[str, Any], view: dict[str, Any], client: Any, context: BoltContext) -> None:
    """The form names a decision; where to answer comes from the log, and only if the user may see it."""
    services = services_of(context)
    metadata = _metadata(view.get("private_metadata"))
    user = body["user"]["id"]
    parent = decision_to_act_on(
        services.log,
        client,
        metadata.get("decision"),
        team=context.team_id,
        user=user,
        channel=metadata.get("channel"),
    )
    thread = answer_thread(services.log, parent) if parent else None
    if parent is None or parent.slack_channel is None or thread is None:
        ack(response_action="update", view=blocks.notice_modal(NOT_YOURS))
        return
    workload, errors = changed_workload(parent.workload, blocks.modal_values(view), user)  # type: ignore[arg-type]
    if errors:
        ack(response_action="errors", errors=errors)
        return
    ack()
    where = Where(client, parent.slack_team, parent.slack_channel, thread, user, public=parent.slack_channel_public)
    answer_later(services, where, source="modal", parent=parent, workload=workload)


def _metadata(text: object) -> dict[str, Any]:
    try:
        metadata = json.loads(text) if isinstance(text, str) else None
    except ValueError:
        return {}
    return metadata if isinstance(metadata, dict) else {}


def changed_workload(previous: Workload, values: dict[str, str], user: str) -> tuple[Workload, dict[str, str]]:
    """`previous` with the form's values; errors by field, in words, for Slack to show beside them."""
    fields = previous.model_dump(exclude_defaults=True, exclude={"provenance"})
    provenance = dict(previous.provenance)
    errors: dict[str, str] = {}
    for field, raw in values.items():
        if not raw:
            continue
        value: object = raw
        if field in NUMBERS:
            try:
                value = int(float(raw)) if field in INTEGERS else float(raw)
            except ValueError:
                errors[field] = "Please give a number."
                continue
        if fields.get(field) == value:
            continue
        if field == "requests_per_day":
            fields.pop("tokens_per_day", None)
        fields[field] = value
        provenance[field] = Provenance(how="stated", span=f"{raw} (set in the form by <@{user}>)")
    try:
        return Workload.model_validate({**fields, "provenance": provenance}), errors
    except ValidationError as error:
        for detail in error.errors(include_url=False):
            errors.setdefault(str(detail["loc"][0]) if detail["loc"] else "requests_per_day", detail["msg"])
        return previous, errors
