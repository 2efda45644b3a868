"""The assumptions form: change a value, get the answer again in the same thread."""

from __future__ import annotations

import json
from typing import Any

from pydantic import ValidationError
from slack_bolt import Ack, App

from bot.slack import blocks
from bot.slack.answering import Where, answer
from bot.slack.services import Services
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


def register(app: App, services: Services) -> None:
    @app.view(blocks.VIEW_ASSUMPTIONS)
    def resubmit(ack: Ack, body: dict[str, Any], view: dict[str, Any], client: Any) -> None:
        metadata = json.loads(view["private_metadata"])
        parent = services.log.get(metadata["decision"])
        user = body["user"]["id"]
        workload, errors = changed_workload(parent.workload, blocks.modal_values(view), user)  # type: ignore[arg-type]
        if errors:
            ack(response_action="errors", errors=errors)
            return
        ack()
        where = Where(client, body.get("team", {}).get("id"), metadata["channel"], metadata["thread"], user)
        answer(services, where, source="modal", parent=parent, workload=workload)


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
