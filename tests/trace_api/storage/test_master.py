"""Master data loads from JSON and TOML files with upsert semantics."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from trace_api.exceptions import MasterDataError
from trace_api.models import Location, Party, Product
from trace_api.storage import load_master_data, load_master_file

EXAMPLES = Path(__file__).resolve().parents[3] / "trace_api" / "examples"


@pytest.mark.parametrize("name", ["master-data.json", "master-data.toml"])
def test_example_file_loads(db: Engine, name: str) -> None:
    counts = load_master_file(db, EXAMPLES / name)
    assert (counts.parties, counts.locations, counts.products) == (3, 3, 1)
    with Session(db) as session:
        spinach = session.scalars(sa.select(Product)).one()
        assert spinach.gtin == "06901234510010"
        assert spinach.canonical == "https://id.gs1.org/01/06901234510010"
        assert spinach.name_zh == "嫩菠菜（已清洗）200克"
        assert spinach.ingredients == [{"en": "spinach", "zh": "菠菜"}]
        assert (spinach.temp_min_c, spinach.temp_max_c, spinach.shelf_life_days) == (0, 5, 7)
        owner = session.get(Party, spinach.brand_owner_id)
        assert owner is not None
        assert owner.canonical == "https://id.gs1.org/417/0690123451003"
        packhouse = session.scalars(sa.select(Location).where(Location.kind == "packer")).one()
        assert packhouse.canonical == "https://id.gs1.org/414/0690123451010"
        assert packhouse.party_id == owner.id
        farm = session.scalars(sa.select(Location).where(Location.kind == "farm")).one()
        assert farm.canonical == "https://id.gs1.org/414/0690123450013"
        assert (farm.country, farm.latitude) == ("CN", 30.1834)


def test_loading_again_updates_rows(db: Engine, tmp_path: Path) -> None:
    load_master_file(db, EXAMPLES / "master-data.json")
    changed = {
        "parties": [
            {"gln": "0690123450006", "name": {"en": "Green Valley Farms"}, "role": "grower"}
        ],
        "products": [{"gtin": "6901234510010", "name": {"en": "Spinach 250 g"}, "temp_max_c": 4}],
    }
    path = tmp_path / "update.json"
    path.write_text(json.dumps(changed))
    load_master_file(db, path)
    with Session(db) as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(Party)) == 3
        party = session.scalars(sa.select(Party).where(Party.gln == "0690123450006")).one()
        assert (party.name_en, party.name_zh, party.licence_number) == (
            "Green Valley Farms",
            None,
            None,
        )
        product = session.scalars(sa.select(Product)).one()
        assert (product.name_en, product.temp_max_c, product.brand_owner_id) == (
            "Spinach 250 g",
            4,
            None,
        )


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"products": [{"gtin": "06901234510011"}]}, "products/0/gtin.*check digit"),
        ({"locations": [{"gln": "0690123450013", "kind": "moon"}]}, "locations/0/kind"),
        ({"locations": [{"gln": "0690123450013", "party": "0000000000000"}]}, "unknown party"),
        ({"vehicles": []}, "vehicles"),
    ],
)
def test_bad_entries_are_refused(db: Engine, data: dict[str, object], message: str) -> None:
    with pytest.raises(MasterDataError, match=message):
        load_master_data(db, data)
    with Session(db) as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(Location)) == 0


def test_unparsable_file_is_refused(db: Engine, tmp_path: Path) -> None:
    path = tmp_path / "bad.toml"
    path.write_text("[[parties]\n")
    with pytest.raises(MasterDataError, match="not valid TOML"):
        load_master_file(db, path)
    with pytest.raises(MasterDataError, match="cannot read"):
        load_master_file(db, tmp_path / "missing.json")
