"""The buttons on every answer, and sharing a quick estimate; each acts only on a decision the user may see."""

from __future__ import annotations

import contextlib
from typing import Any

from slack_bolt import Ack, BoltContext

from bot.answer import written
from bot.assessment import Assessment
from bot.currency import localised, shown_in
from bot.decisions.problems import NotLogged
from bot.decisions.records import LoggedDecision
from bot.decisions.teams import team_defaults
from bot.slack import answer_card, blocks
from bot.slack.answering import Where, in_background, stream_recommendation
from bot.slack.privacy import QUICK_ESTIMATE, answer_thread, decision_to_act_on, record_share
from bot.slack.services import Services, services_of

NOT_YOURS = "That answer is not one you can act on here: it is no longer in the log, or it belongs somewhere else."
ONLY_THE_ASKER = "Only the person who asked for this estimate can share it, in the channel where they asked."


def on_feedback(
    ack: Ack, action: dict[str, Any], body: dict[str, Any], client: Any, context: BoltContext, respond: Any
) -> None:
    """Slack's native thumbs: up or down is in the button's value."""
    ack()
    _vote(blocks.feedback_vote(action.get("value")), body, client, context, respond)


def on_helpful(
    ack: Ack, action: dict[str, Any], body: dict[str, Any], client: Any, context: BoltContext, respond: Any
) -> None:
    ack()
    _vote((True, action.get("value")), body, client, context, respond)


def on_not_helpful(
    ack: Ack, action: dict[str, Any], body: dict[str, Any], client: Any, context: BoltContext, respond: Any
) -> None:
    ack()
    _vote((False, action.get("value")), body, client, context, respond)


def record_decision(
    ack: Ack, action: dict[str, Any], body: dict[str, Any], client: Any, context: BoltContext, respond: Any
) -> None:
    ack()
    services = services_of(context)
    if (found := _on_card(action.get("value"), body, client, context)) is None:
        respond(text=NOT_YOURS, response_type="ephemeral", replace_original=False)
        return
    user = body["user"]["id"]
    decision = services.log.set_status(found[0].id, "adopted", by=user)
    client.chat_postMessage(
        channel=decision.slack_channel,
        thread_ts=found[1],
        text=f"<@{user}> recorded this as the team's decision ({decision.verdict}).",
    )


def change_assumptions(
    ack: Ack, action: dict[str, Any], body: dict[str, Any], client: Any, context: BoltContext, respond: Any
) -> None:
    ack()
    if (found := _on_card(action.get("value"), body, client, context)) is None:
        respond(text=NOT_YOURS, response_type="ephemeral", replace_original=False)
        return
    decision, _ = found
    metadata = {"decision": decision.id, "channel": decision.slack_channel or ""}
    client.views_open(
        trigger_id=body["trigger_id"],
        view=blocks.assumptions_modal(decision.assessment, decision.workload, metadata),  # type: ignore[arg-type]
    )


def share(
    ack: Ack, action: dict[str, Any], body: dict[str, Any], client: Any, context: BoltContext, respond: Any
) -> None:
    ack()
    services = services_of(context)
    user = body["user"]["id"]
    decision = _target(action.get("value"), body, client, context)
    if decision is None or decision.source != QUICK_ESTIMATE or decision.slack_user != user:
        respond(text=ONLY_THE_ASKER, response_type="ephemeral", replace_original=False)
        return
    assert decision.assessment is not None  # noqa: S101 - get() always loads the assessment
    shown = in_team_currency(services, decision.slack_team, decision.assessment)
    posted = client.chat_postMessage(
        channel=decision.slack_channel,
        text=answer_card.card_text(shown),
        blocks=answer_card.shared_card(shown, decision.id, by=user, question=decision.question),
    )
    record_share(services.log, decision, message_ts=posted["ts"], by=user)
    # The estimate answered within Slack's three seconds, with no words; shared, it gets them in its thread.
    where = Where(client, decision.slack_team, decision.slack_channel, posted["ts"], user)  # type: ignore[arg-type]
    in_background(services, where, lambda: _write_up(services, where, decision, shown))


def _vote(
    vote: tuple[bool, object] | None, body: dict[str, Any], client: Any, context: BoltContext, respond: Any
) -> None:
    """Helpful or not, on the decision the button names, if the user may act on it."""
    found = _on_card(vote[1], body, client, context) if vote else None
    if vote is None or found is None:
        respond(text=NOT_YOURS, response_type="ephemeral", replace_original=False)
        return
    decision, _ = found
    services_of(context).log.add_feedback(decision.id, helpful=vote[0], user=body["user"]["id"])
    client.chat_postEphemeral(
        channel=decision.slack_channel,
        user=body["user"]["id"],
        text="Thanks, noted."
        if vote[0]
        else "Thanks, noted. Reply in the thread with what was wrong and I'll have another look.",
    )


def _target(named: object, body: dict[str, Any], client: Any, context: BoltContext) -> LoggedDecision | None:
    """The decision a button's value names, if the clicking user may act on it here."""
    return decision_to_act_on(
        services_of(context).log,
        client,
        named,
        team=context.team_id,
        user=body["user"]["id"],
        channel=(body.get("channel") or {}).get("id"),
    )


def _on_card(
    named: object, body: dict[str, Any], client: Any, context: BoltContext
) -> tuple[LoggedDecision, str] | None:
    """The decision, and the thread of its card: a quick estimate not shared has no card to act from."""
    decision = _target(named, body, client, context)
    thread = answer_thread(services_of(context).log, decision) if decision else None
    return (decision, thread) if decision and thread else None


def _write_up(services: Services, where: Where, decision: LoggedDecision, shown: Assessment) -> None:
    said = stream_recommendation(services, where, shown, events=written(shown, services.kb, services.settings))
    with contextlib.suppress(NotLogged):
        services.log.set_written(
            decision.id, recommendation=said.text, writer=said.writer, fallback_reason=said.fallback_reason
        )


def in_team_currency(services: Services, team: str | None, assessment: Assessment) -> Assessment:
    """A logged assessment (in US dollars) as the workspace reads it now: in its App Home currency."""
    if team is None:
        return assessment
    return localised(assessment, shown_in(services.kb, team_defaults(services.log, team, services.kb).currency))
