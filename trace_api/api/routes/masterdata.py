"""``/api/v1/masterdata/{parties,locations,products}[/{id}]``: master data read and written
one entry (or one list of entries) at a time, in the entry format of the master-data file
(``trace_api/examples/master-data.json``).

Roles: ``regulator`` reads and writes everything. ``operator`` reads and writes only what its
party owns: its own party entry, the locations of its party, the products whose brand owner it
is (someone else's entry reads as 404; writing one, or giving an entry to another party, is
403). ``station`` and ``public``: 403. ``PUT`` replaces the whole entry (a field left out
becomes empty), 201 when it created it, 200 when it replaced it; the ``{id}`` may be any
spelling of the GS1 key (13 digits, URN, Digital Link) and must name the body's key.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Response, status
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, Field
from sqlalchemy.engine import Engine

from trace_api.api.deps import EngineDep, PrincipalDep
from trace_api.api.responses import problems
from trace_api.auth.tokens import Principal
from trace_api.exceptions import AccessDeniedError, MasterDataError, NotFoundError
from trace_api.storage.master import LocationEntry, PartyEntry, ProductEntry
from trace_api.storage.master_records import (
    Entry,
    Kind,
    MasterRecord,
    canonical_key,
    get_record,
    list_records,
    put_entries,
)

__all__ = ["router"]

router = APIRouter(tags=["Master data"])
_READ = problems(400, 401, 403)
_ONE = problems(400, 401, 403, 404)
_WRITE = problems(400, 401, 403)


def get_master_user(principal: PrincipalDep) -> Principal:
    if principal.role not in ("regulator", "operator"):
        raise AccessDeniedError(f"role {principal.role} may not use master data")
    if principal.role == "operator" and not principal.party:
        raise AccessDeniedError("this operator token names no party")
    return principal


MasterUserDep = Annotated[Principal, Depends(get_master_user)]
AfterQuery = Annotated[
    str | None, Query(max_length=200, description="the last key of the previous page")
]
LimitQuery = Annotated[int, Query(ge=1, le=10_000)]


class PartyList(BaseModel):
    parties: list[PartyEntry]
    next: str | None = Field(description="pass as `after` for the next page; null at the end")


class LocationList(BaseModel):
    locations: list[LocationEntry]
    next: str | None = Field(description="pass as `after` for the next page; null at the end")


class ProductList(BaseModel):
    products: list[ProductEntry]
    next: str | None = Field(description="pass as `after` for the next page; null at the end")


class PutResult(BaseModel):
    created: int
    updated: int


def _own(principal: Principal) -> str | None:
    """The canonical Digital Link of an operator's party (``None`` for a regulator)."""
    if principal.role == "regulator":
        return None
    assert principal.party is not None
    return canonical_key("parties", principal.party) or principal.party


def _key(entry: Entry) -> str:
    return entry.gtin if isinstance(entry, ProductEntry) else entry.gln


def _owner_of(entry: Entry) -> str | None:
    if isinstance(entry, PartyEntry):
        party: str | None = entry.gln
    elif isinstance(entry, LocationEntry):
        party = entry.party
    else:
        party = entry.brand_owner
    return None if party is None else canonical_key("parties", party) or party


def _list(
    engine: Engine, kind: Kind, principal: Principal, after: str | None, limit: int
) -> tuple[list[Entry], str | None]:
    records = list_records(engine, kind, owner=_own(principal), after=after, limit=limit + 1)
    entries = [r.entry for r in records[:limit]]
    more = len(records) > limit
    return entries, _key(entries[-1]) if more and entries else None


def _get(engine: Engine, kind: Kind, principal: Principal, key: str) -> Entry:
    record = get_record(engine, kind, key)
    own = _own(principal)
    if record is None or (own is not None and record.owner != own):
        raise NotFoundError(f"no {kind[:-1] if kind != 'parties' else 'party'} {key!r}")
    return record.entry


def _check_writable(engine: Engine, kind: Kind, principal: Principal, entry: Entry) -> None:
    own = _own(principal)
    if own is None:
        return
    if _owner_of(entry) != own:
        raise AccessDeniedError(f"{_key(entry)}: an operator may write only its own party's {kind}")
    existing: MasterRecord | None = get_record(engine, kind, _key(entry))
    if existing is not None and existing.owner != own:
        raise AccessDeniedError(f"{_key(entry)}: belongs to another party")


def _put(engine: Engine, kind: Kind, principal: Principal, entries: Sequence[Entry]) -> PutResult:
    if not entries:
        return PutResult(created=0, updated=0)
    for entry in entries:
        _check_writable(engine, kind, principal, entry)
    created = put_entries(engine, kind, list(entries))
    return PutResult(created=sum(created), updated=len(created) - sum(created))


def _put_one(
    engine: Engine, kind: Kind, principal: Principal, key: str, entry: Entry, response: Response
) -> Entry:
    if (canonical_key(kind, key) or key) != (canonical_key(kind, _key(entry)) or _key(entry)):
        raise MasterDataError(f"the path names {key!r} but the body is {_key(entry)!r}")
    _check_writable(engine, kind, principal, entry)
    created = put_entries(engine, kind, [entry])[0]
    response.status_code = status.HTTP_201_CREATED if created else status.HTTP_200_OK
    return _get(engine, kind, principal, _key(entry))


async def _run(function: Any, *args: Any) -> Any:
    return await run_in_threadpool(function, *args)


# --- parties ------------------------------------------------------------------------------


@router.get("/masterdata/parties", responses=_READ, summary="List parties")
async def list_parties(
    engine: EngineDep, caller: MasterUserDep, after: AfterQuery = None, limit: LimitQuery = 1000
) -> PartyList:
    """Parties in GLN order (an operator: its own party only), `limit` per page."""
    entries, next_key = await _run(_list, engine, "parties", caller, after, limit)
    return PartyList(parties=entries, next=next_key)


@router.get("/masterdata/parties/{gln:path}", responses=_ONE, summary="Read a party")
async def get_party(gln: str, engine: EngineDep, caller: MasterUserDep) -> PartyEntry:
    """One party, by any spelling of its GLN."""
    entry: PartyEntry = await _run(_get, engine, "parties", caller, gln)
    return entry


@router.put("/masterdata/parties", responses=_WRITE, summary="Upsert parties")
async def put_parties(
    entries: list[PartyEntry], engine: EngineDep, caller: MasterUserDep
) -> PutResult:
    """Insert or replace several parties in one transaction."""
    result: PutResult = await _run(_put, engine, "parties", caller, entries)
    return result


@router.put(
    "/masterdata/parties/{gln:path}",
    responses={**_WRITE, 201: {"description": "created"}},
    summary="Insert or replace a party",
)
async def put_party(
    gln: str, entry: PartyEntry, engine: EngineDep, caller: MasterUserDep, response: Response
) -> PartyEntry:
    """Insert or replace one party; the body's `gln` must be the path's."""
    stored: PartyEntry = await _run(_put_one, engine, "parties", caller, gln, entry, response)
    return stored


# --- locations ----------------------------------------------------------------------------


@router.get("/masterdata/locations", responses=_READ, summary="List locations")
async def list_locations(
    engine: EngineDep, caller: MasterUserDep, after: AfterQuery = None, limit: LimitQuery = 1000
) -> LocationList:
    """Locations in GLN order (an operator: its party's only), `limit` per page."""
    entries, next_key = await _run(_list, engine, "locations", caller, after, limit)
    return LocationList(locations=entries, next=next_key)


@router.get("/masterdata/locations/{gln:path}", responses=_ONE, summary="Read a location")
async def get_location(gln: str, engine: EngineDep, caller: MasterUserDep) -> LocationEntry:
    """One location, by any spelling of its GLN or SGLN."""
    entry: LocationEntry = await _run(_get, engine, "locations", caller, gln)
    return entry


@router.put("/masterdata/locations", responses=_WRITE, summary="Upsert locations")
async def put_locations(
    entries: list[LocationEntry], engine: EngineDep, caller: MasterUserDep
) -> PutResult:
    """Insert or replace several locations in one transaction (their parties must exist)."""
    result: PutResult = await _run(_put, engine, "locations", caller, entries)
    return result


@router.put(
    "/masterdata/locations/{gln:path}",
    responses={**_WRITE, 201: {"description": "created"}},
    summary="Insert or replace a location",
)
async def put_location(
    gln: str, entry: LocationEntry, engine: EngineDep, caller: MasterUserDep, response: Response
) -> LocationEntry:
    """Insert or replace one location; the body's `gln` must be the path's."""
    stored: LocationEntry = await _run(_put_one, engine, "locations", caller, gln, entry, response)
    return stored


# --- products -----------------------------------------------------------------------------


@router.get("/masterdata/products", responses=_READ, summary="List products")
async def list_products(
    engine: EngineDep, caller: MasterUserDep, after: AfterQuery = None, limit: LimitQuery = 1000
) -> ProductList:
    """Products in GTIN order (an operator: those it is brand owner of), `limit` per page."""
    entries, next_key = await _run(_list, engine, "products", caller, after, limit)
    return ProductList(products=entries, next=next_key)


@router.get("/masterdata/products/{gtin:path}", responses=_ONE, summary="Read a product")
async def get_product(gtin: str, engine: EngineDep, caller: MasterUserDep) -> ProductEntry:
    """One product, by its GTIN (8, 12, 13 or 14 digits) or Digital Link."""
    entry: ProductEntry = await _run(_get, engine, "products", caller, gtin)
    return entry


@router.put("/masterdata/products", responses=_WRITE, summary="Upsert products")
async def put_products(
    entries: list[ProductEntry], engine: EngineDep, caller: MasterUserDep
) -> PutResult:
    """Insert or replace several products in one transaction."""
    result: PutResult = await _run(_put, engine, "products", caller, entries)
    return result


@router.put(
    "/masterdata/products/{gtin:path}",
    responses={**_WRITE, 201: {"description": "created"}},
    summary="Insert or replace a product",
)
async def put_product(
    gtin: str, entry: ProductEntry, engine: EngineDep, caller: MasterUserDep, response: Response
) -> ProductEntry:
    """Insert or replace one product; the body's `gtin` must be the path's."""
    stored: ProductEntry = await _run(_put_one, engine, "products", caller, gtin, entry, response)
    return stored
