"""Event contracts: snapshots do not drift, additive changes stay readable, no personal data fields."""

import json

from shared.events.contracts import CONTRACTS
from shared.events.snapshots import SCHEMA_DIR, current_schemas

# Field names that would carry personal data; events carry person_ref instead.
FORBIDDEN_FIELDS = {"name", "id_number", "phone", "mobile", "address_detail", "diagnosis", "systolic",
                    "diastolic", "glucose", "birth_date", "full_name"}
# Events whose `name`/`address` describe a place, not a person.
PLACE_EVENTS = {"renovation.space.commissioned"}


def test_snapshots_match_the_contracts():
    committed = {p.name: p.read_text(encoding="utf-8") for p in SCHEMA_DIR.glob("*.json")}
    current = current_schemas()
    drifted = sorted(n for n in current if committed.get(n) != current[n])
    missing = sorted(set(committed) - set(current))
    assert not drifted and not missing, (
        f"contract snapshots drifted: {drifted}, removed: {missing}. If the change is additive (or a new major "
        "version), run `python -m shared.events.snapshots` and commit the result."
    )


def test_routing_keys_follow_the_naming_rule():
    for (event_type, version), cls in CONTRACTS.items():
        service, _aggregate, verb = event_type.split(".")
        assert service in {"renovation", "jobs", "community", "chronic_care"}
        assert verb.endswith("ed"), f"{event_type}: past-tense verb expected"
        assert cls.version == version >= 1


def test_no_contract_carries_personal_data_fields():
    for (event_type, _), cls in CONTRACTS.items():
        fields = set(json.loads(json.dumps(cls.model_json_schema()))["properties"])
        allowed = {"name", "address"} if event_type in PLACE_EVENTS else set()
        assert not (fields & (FORBIDDEN_FIELDS - allowed)), f"{event_type} has {fields & FORBIDDEN_FIELDS}"
