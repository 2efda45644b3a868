"""What the decision log adds up to: answers by verdict and by status, the money they weighed and
the money the adopted ones chose, and the feedback."""

from __future__ import annotations

from typing import Any

from sqlite_utils import Database

from bot.assessment import Assessment


def tally(db: Database) -> dict[str, Any]:
    """Counts by verdict and by status; each answer's two costs summed over every answer; what the
    options the adopted decisions chose cost."""
    # a row whose verdict or status was lost to damage counts as "unknown" rather than failing the sort
    by_verdict = {
        r["verdict"]: r["n"]
        for r in db.query("select coalesce(verdict, 'unknown') verdict, count(*) n from decisions group by 1")
    }
    by_status = {
        r["status"]: r["n"]
        for r in db.query("select coalesce(status, 'unknown') status, count(*) n from decisions group by 1")
    }
    money = next(
        iter(
            db.query(
                "select count(*) total, coalesce(sum(cloud_monthly_usd), 0) cloud, "
                "coalesce(sum(local_monthly_usd), 0) local from decisions"
            )
        )
    )
    adopted = [
        _chosen_monthly_usd(row)
        for row in db.query(
            "select assessment, verdict, local_monthly_usd, cloud_monthly_usd from decisions where status = 'adopted'"
        )
    ]
    feedback = {
        ("helpful" if r["helpful"] else "not_helpful"): r["n"]
        for r in db.query("select helpful, count(*) n from feedback group by 1")
    }
    return {
        "decisions": money["total"],
        "by_verdict": by_verdict,
        "by_status": by_status,
        "monthly_usd_considered": {"cloud": round(money["cloud"], 2), "local": round(money["local"], 2)},
        "monthly_usd_adopted": round(sum(cost for cost in adopted if cost is not None), 2),
        "adopted_priced": sum(cost is not None for cost in adopted),
        "feedback": feedback,
    }


def _chosen_monthly_usd(row: dict[str, Any]) -> float | None:
    """What the option a decision chose costs a month: none for a one-off job, for need-more-info, or for an
    assessment that cannot be read; an answer logged before options were listed chose local or the API."""
    try:
        assessment = Assessment.model_validate_json(row["assessment"])
    except ValueError:
        return None
    chosen = next((o for o in assessment.options if o.label == assessment.chosen), None)
    if chosen is not None:
        return chosen.monthly_usd
    if assessment.options or row["verdict"] not in ("local", "cloud"):
        return None
    return row["local_monthly_usd"] if row["verdict"] == "local" else row["cloud_monthly_usd"]
