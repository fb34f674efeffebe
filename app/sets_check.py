"""How the items of a set stand in the open index: present, gone, superseded (with its replacement) or stale.

Runs after every (re)index and whenever a set is shown, on the task runner's serial lane because it reads the
engine. Plain Python: it only needs a ``lookup(doc_id) -> Procedure | None``. An item is never dropped for
being gone; it keeps its title snapshot and is shown as gone, so an educator sees what changed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from app.sets_records import SetItem
from index.errors import KildefinnerError
from index.records import Procedure

OK, MISSING, SUPERSEDED, STALE = "ok", "missing", "superseded", "stale"


@dataclass(frozen=True, slots=True)
class ItemState:
    """The document behind an item as the index has it now ("" where unknown)."""

    state: str  # OK | MISSING | SUPERSEDED | STALE
    title: str = ""
    tier: str = ""
    owner: str = ""
    revised: str = ""
    review_due: str = ""
    replaced_by: str = ""  # doc id the metadata names as replacement
    replacement_title: str = ""  # "" when the replacement is not in this index either

    @property
    def can_replace(self) -> bool:
        return self.state == SUPERSEDED and bool(self.replacement_title)


def engine_lookup(engine) -> Callable[[str], Procedure | None]:
    def lookup(doc_id: str) -> Procedure | None:
        try:
            return engine.document(doc_id)
        except KildefinnerError:
            return None

    return lookup


def check(doc_ids: Iterable[str], lookup: Callable[[str], Procedure | None], *,
          today: dt.date | None = None) -> dict[str, ItemState]:
    today = today or dt.date.today()
    states: dict[str, ItemState] = {}
    for doc_id in dict.fromkeys(doc_ids):
        proc = lookup(doc_id)
        if proc is None:
            states[doc_id] = ItemState(MISSING)
            continue
        replacement = lookup(proc.replaced_by) if proc.replaced_by else None
        if proc.status == "superseded":
            state = SUPERSEDED
        elif proc.review_due is not None and proc.review_due < today:
            state = STALE
        else:
            state = OK
        states[doc_id] = ItemState(
            state=state, title=proc.title, tier=proc.tier, owner=proc.owner,
            revised=proc.revised.isoformat() if proc.revised else "",
            review_due=proc.review_due.isoformat() if proc.review_due else "",
            replaced_by=proc.replaced_by, replacement_title=replacement.title if replacement else "")
    return states


def snapshot_of(doc) -> dict[str, str]:
    """The fields an item keeps of a ``Procedure`` or ``Hit`` (both have them)."""
    revised = getattr(doc, "revised", None)
    return {"doc_id": doc.doc_id, "title": doc.title, "tier": doc.tier, "owner": doc.owner or "",
            "revised": revised.isoformat() if isinstance(revised, dt.date) else ""}


def current(item: SetItem, state: ItemState | None) -> dict[str, str]:
    """Title, tier, owner and revision as shown now: the index's values, else the item's snapshot."""
    if state is None or state.state == MISSING:
        return {"title": item.title, "tier": item.tier, "owner": item.owner, "revised": item.revised}
    return {"title": state.title or item.title, "tier": state.tier or item.tier,
            "owner": state.owner or item.owner, "revised": state.revised or item.revised}
