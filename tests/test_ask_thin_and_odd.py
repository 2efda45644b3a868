"""`localcheck ask` as a real process on thin, contradictory and odd questions (issue 13).

A vague question gets an answer, never an error; what the words leave in doubt becomes the
answer's question, asked only when the verdict turns on it; a spend is a volume at the API's
price, marked inferred; every stated fact is shown with its words.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from tests.test_cli_hostile import localcheck


def ask_json(question: str) -> dict[str, Any]:
    process = localcheck("ask", "--no-llm", "--json", "--", question)
    assert process.returncode == 0, process.stderr
    assert "Traceback" not in process.stdout + process.stderr
    answer: dict[str, Any] = json.loads(process.stdout)
    return answer


@pytest.mark.parametrize(
    "question",
    [
        "should we just host our own model?",
        "thinking about moving off the API. worth it??",
        "local LLM vs paying OpenAI, what would you do for a small team",
    ],
)
def test_a_vague_question_is_answered_with_the_default_case_and_at_most_two_questions(question: str) -> None:
    answer = ask_json(question)
    # Nothing said: the default case (a thousand requests a day, data that may leave) leans to the API.
    assert answer["verdict"] == "need-more-info" and answer["leaning"] == "cloud"
    assert 1 <= len(answer["questions"]) <= 2 and answer["question"] == answer["questions"][0]
    assert answer["options"] and answer["cloud"]["monthly_usd"] > 0, "the default case is priced"
    assert all(field["how"] != "stated" for field in answer["workload"].values()), "nothing was said"
    readable = localcheck("ask", "--no-llm", question)
    assert readable.returncode == 0 and readable.stdout.startswith("It depends on something we don't know yet")
    assert f"Question: {answer['question']}" in readable.stdout


def test_two_volumes_that_change_the_answer_are_asked_about() -> None:
    answer = ask_json(
        "about 300 requests a day, we own two H100s, 3 SREs, confidential but a BAA with AWS is fine. "
        "the dashboard says 3M requests a day though"
    )
    assert answer["verdict"] == "need-more-info" and answer["leaning"]
    assert answer["question"] == (
        "You gave two volumes, 'about 300 requests a day' and '3M requests a day': which is it?"
    )
    assert answer["workload"]["requests_per_day"]["value"] == 300, "priced as first said meanwhile"


def test_two_volumes_that_do_not_change_it_are_noted_not_asked() -> None:
    answer = ask_json("we do ~4k chats a day on gpt-4o-mini, public docs only. grafana says more like 40k/day")
    assert answer["verdict"] == "cloud" and not any("two volumes" in q for q in answer["questions"])
    assert any("either way the answer is the same" in note for note in answer["notes"])


def test_public_and_personal_at_once_is_the_question_and_read_the_careful_way() -> None:
    answer = ask_json("it's all public data, though every record has the customer's PII. ~2M tokens a day, gpt-4o-mini")
    assert answer["verdict"] == "need-more-info" and answer["leaning"] == "local"
    assert answer["workload"]["data_policy"]["value"] == "must-stay"
    assert "may this data leave your systems, or must it stay?" in answer["question"]


@pytest.mark.parametrize(
    ("question", "field", "words"),
    [
        ("-300 requests a day through gpt-4o-mini, the tickets have PII", "requests_per_day", "-300 is negative"),
        ("we need 140% uptime on ~5k requests a day", "availability", "140%"),
        ("6M docs over 0 weeks, then it's done", "requests_per_day", "a period of 0 weeks"),
    ],
)
def test_an_impossible_value_becomes_the_answers_question(question: str, field: str, words: str) -> None:
    answer = ask_json(question)
    asked = [q for q in answer["questions"] if "cannot be right" in q]
    assert asked and words in asked[0], answer["questions"]
    assert answer["workload"].get(field, {}).get("how") != "stated"


def test_a_spend_is_a_volume_at_the_apis_price_marked_inferred() -> None:
    answer = ask_json("our Anthropic bill is about $8k a month, all of it Sonnet 4.5, prompts ~1.2k tokens")
    volume = answer["workload"]["requests_per_day"]
    assert volume["how"] == "inferred" and volume["span"] == "$8k a month"
    assert "list price" in volume["reason"] and "1,200 tokens in" in volume["reason"]
    per_request = answer["named_api"]["monthly_usd"] / 30.4 / volume["value"]
    assert 8_000 / 30.4 / volume["value"] == pytest.approx(per_request, rel=0.25), "the bill it was read from"
    readable = localcheck("ask", "--no-llm", "our Anthropic bill is about $8k a month, all of it Sonnet 4.5").stdout
    assert re.search(
        r" - requests per day: [\d,]+ \(inferred: \$8,000 a month at Claude Sonnet 4.5's list price", readable
    )


def test_every_stated_fact_is_shown_with_its_words() -> None:
    question = (
        "each of our 900 staff asks ~3 questions a day; first token within 300ms; the data is personal but our DPA "
        "with Anthropic covers it; one part-time sysadmin; nobody carries a pager; it already runs on 2x RTX 4090"
    )
    answer = ask_json(question)
    stated = {name: field for name, field in answer["workload"].items() if field["how"] == "stated"}
    assert stated.keys() >= {"requests_per_day", "first_token_s", "data_policy", "ops_staff", "on_call", "owned"}
    readable = localcheck("ask", "--no-llm", question).stdout
    shown = readable.split("Read from your message:")[1].split("\n\n")[0]
    for name, field in stated.items():
        assert f" - {name.replace('_', ' ')}: " in shown and f'("{field["span"]}' in shown, name
    assert '(" 900 staff' not in shown and "900 staff x 3 a day" in shown, "the sum behind a volume is said"


def test_read_facts_are_shown_as_words_not_program_values() -> None:
    question = (
        "customer PII, must be processed in the EU; it runs on 2x RTX 4090 today; a 3-person SRE team with on-call; "
        "about 20k requests a day"
    )
    readable = localcheck("ask", "--no-llm", question).stdout
    shown = readable.split("Read from your message:")[1].split("\n\n")[0]
    assert " - data policy: in-region" in shown and " - data region: eu" in shown
    assert " - data reasons: pii, residency (" in shown
    assert " - on call: yes (" in shown and " - ops staff: 3 (" in shown
    assert " - owned: 2 x rtx-4090 (" in shown
    assert not any(mark in shown for mark in ("[", "True", "False", "OwnedHardware", "{"))
