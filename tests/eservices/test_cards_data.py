"""The demo service cards (src/ratusz/eservices/data/cards.json) are complete and consistent."""

import csv
import json
import re
from functools import cache
from pathlib import Path

import pytest

SRC = Path(__file__).parents[2] / "src" / "ratusz"
CARDS = SRC / "eservices" / "data" / "cards.json"
JRWA = SRC / "cases" / "data" / "jrwa-demo.csv"

KEYS = {
    "id",
    "title",
    "description",
    "purpose",
    "eligibility",
    "required_documents",
    "fees",
    "handling_time",
    "case_kind",
    "legal_basis",
    "department",
    "jrwa",
    "place",
    "opening_hours",
    "appeal",
    "life_events",
    "related",
    "form",
}
KINDS = {"general", "certificate", "information", "complaint", "supplement", "approval"}
DEPARTMENTS = {"OR", "FN", "GK", "OS", "SO", "USC"}
LIFE_EVENTS = {
    "moving",
    "family",
    "building",
    "property",
    "business",
    "vehicles",
    "environment",
    "taxes",
    "documents",
    "participation",
}
FIELD_TYPES = {"TextLine", "Text", "Email", "Date", "Choice", "Bool", "File", "Int"}
APPLICANT = {"applicant_name": "TextLine", "applicant_email": "Email", "applicant_address": "Text"}
TEXTS = (
    "title",
    "description",
    "purpose",
    "eligibility",
    "fees",
    "handling_time",
    "place",
    "opening_hours",
    "appeal",
)
SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
SNAKE = re.compile(r"^[a-z][a-z0-9_]*$")


def load_cards():
    return json.loads(CARDS.read_text(encoding="utf-8"))


@cache
def final_classes():
    """Symbols with a non-empty category_merytoryczna and no longer symbol starting with them."""
    with JRWA.open(encoding="utf-8", newline="") as stream:
        rows = list(csv.DictReader(stream, delimiter=";"))
    symbols = [row["symbol"].strip() for row in rows]
    return {
        row["symbol"].strip()
        for row in rows
        if row["category_merytoryczna"].strip()
        and not any(
            other != row["symbol"].strip() and other.startswith(row["symbol"].strip())
            for other in symbols
        )
    }


CARD_LIST = load_cards()
IDS = [card.get("id", f"#{index}") for index, card in enumerate(CARD_LIST)]


def test_catalogue_size_and_ids():
    assert len(CARD_LIST) >= 12
    assert len(IDS) == len(set(IDS)), "card ids must be unique"
    assert {"zameldowanie", "informacja-publiczna", "skarga"} <= set(IDS)
    assert sum(1 for card in CARD_LIST if card["form"]) >= 8


def test_required_cards_have_their_kind():
    cards = {card["id"]: card for card in CARD_LIST}
    assert cards["informacja-publiczna"]["case_kind"] == "information"
    assert cards["skarga"]["case_kind"] == "complaint"
    fields = {field["id"]: field for field in cards["zameldowanie"]["form"]["fields"]}
    assert fields["document_scan"]["type"] == "File"


@pytest.mark.parametrize("card", CARD_LIST, ids=IDS)
def test_card_keys_and_values(card):
    assert set(card) == KEYS
    assert SLUG.match(card["id"])
    assert card["case_kind"] in KINDS
    assert card["department"] in DEPARTMENTS
    assert card["life_events"] and set(card["life_events"]) <= LIFE_EVENTS
    for name in TEXTS:
        assert isinstance(card[name], str) and card[name].strip(), name
        assert not re.search(r"[<>]", card[name]), f"{name} must be plain text"
    assert len(card["title"]) <= 300
    assert len(card["handling_time"]) <= 200
    for name in ("required_documents", "legal_basis"):
        assert isinstance(card[name], list) and card[name], name
        assert all(isinstance(line, str) and line.strip() for line in card[name]), name
        assert all(len(line) <= 500 and not re.search(r"[<>]", line) for line in card[name]), name


@pytest.mark.parametrize("card", CARD_LIST, ids=IDS)
def test_related_cards_exist(card):
    assert card["id"] not in card["related"]
    assert set(card["related"]) <= set(IDS)


@pytest.mark.parametrize("card", CARD_LIST, ids=IDS)
def test_jrwa_is_a_final_class(card):
    assert card["jrwa"] in final_classes()


WITH_FORMS = [card for card in CARD_LIST if card["form"]]


@pytest.mark.parametrize("card", WITH_FORMS, ids=[card["id"] for card in WITH_FORMS])
def test_online_form(card):
    assert set(card["form"]) == {"fields"}
    fields = card["form"]["fields"]
    assert 4 <= len(fields) <= 9
    ids = [field["id"] for field in fields]
    assert len(ids) == len(set(ids)), "field ids must be unique in a form"
    for field in fields:
        assert field["id"].isidentifier() and SNAKE.match(field["id"]), field["id"]
        assert field["type"] in FIELD_TYPES, field["id"]
        assert field["title"].strip(), field["id"]
        assert isinstance(field["required"], bool), field["id"]
        assert isinstance(field.get("description", ""), str), field["id"]
        if field["type"] == "Choice":
            assert field["choices"] and len(field["choices"]) == len(set(field["choices"]))
        else:
            assert "choices" not in field, field["id"]
    by_id = {field["id"]: field for field in fields}
    for name, kind in APPLICANT.items():
        assert by_id[name]["type"] == kind
        assert by_id[name]["required"] is True
