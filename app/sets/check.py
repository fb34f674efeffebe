"""How the items of a set stand in the open index: present, gone, superseded (with its replacement) or stale.

Runs after every (re)index and whenever a set is shown, on the task runner's serial lane because it reads the
engine. Plain Python: it only needs a ``lookup(doc_id) -> Procedure | None`` and, for the procedure team's
decisions, a ``decision(doc_id) -> Decision | None``. An item is never dropped for being gone; it keeps its
title snapshot and is shown as gone, so an educator sees what changed. A document the team decided to phase
out («Utfases», ``index.decisions``) is flagged like a superseded one, its VAR procedure as the replacement:
the item keeps working (search finds it by id even after its last date) and «Bytt til erstatningen» moves it
to the VAR procedure.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from app.i18n import tr
from app.sets.records import OnboardingSet, SetItem
from index.api import Decision, KildefinnerError
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
    # Phased out by the procedure team's decision (replaced_by is then its VAR procedure): "utfases" while it is
    # still shown in search, "utgått" after its last date; "" for a document superseded by its metadata.
    phase_out: str = ""

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


def engine_decision(engine) -> Callable[[str], Decision | None]:
    """The decision the open index's build applied to a document (none for older snapshots)."""
    return engine.decision


def check(doc_ids: Iterable[str], lookup: Callable[[str], Procedure | None], *,
          decision: Callable[[str], Decision | None] | None = None,
          today: dt.date | None = None) -> dict[str, ItemState]:
    today = today or dt.date.today()
    states: dict[str, ItemState] = {}
    for doc_id in dict.fromkeys(doc_ids):
        proc = lookup(doc_id)
        if proc is None:
            states[doc_id] = ItemState(MISSING)
            continue
        decided = decision(doc_id) if decision is not None else None
        replaced_by, phase_out = proc.replaced_by, ""
        if proc.status == "superseded":
            state = SUPERSEDED
        elif decided is not None and decided.decision == "utfases":
            state, replaced_by = SUPERSEDED, decided.var_id
            phase_out = "utgått" if decided.retired(today) else "utfases"
        elif proc.review_due is not None and proc.review_due < today:
            state = STALE
        else:
            state = OK
        replacement = lookup(replaced_by) if replaced_by else None
        states[doc_id] = ItemState(
            state=state, title=proc.title, tier=proc.tier, owner=proc.owner,
            revised=proc.revised.isoformat() if proc.revised else "",
            review_due=proc.review_due.isoformat() if proc.review_due else "",
            replaced_by=replaced_by, replacement_title=replacement.title if replacement else "",
            phase_out=phase_out)
    return states


def warning(state: ItemState) -> str:
    """The flag of a superseded item (shown in the list, the walk-through and the PDF checklist)."""
    target = state.replacement_title or state.replaced_by
    if state.phase_out == "utfases":
        return tr("Utfases — bruk VAR: {title}", title=target)
    if state.phase_out:
        return tr("Utgått — bruk VAR: {title}", title=target)
    return tr("Utgått – erstattet av {title}", title=target) if target else tr("Utgått")


def notes(data: OnboardingSet, states: Mapping[str, ItemState]) -> list[str]:
    """What the pane says under a set's title: published (read-only), empty, gone and superseded items."""
    said = []
    if data.read_only:
        said.append(tr("Publisert av IT-avdelingen: kan ikke endres, men du kan krysse av, skrive ut og "
                       "kopiere det til dine egne sett."))
    shown = [states[i.doc_id] for i in data.procedures if states.get(i.doc_id) is not None]
    gone = sum(s.state == MISSING for s in shown)
    old = [s for s in shown if s.state == SUPERSEDED]
    replaceable = sum(s.can_replace for s in old)
    if not data.items:
        said.append(tr("Settet er tomt. Legg til prosedyrer fra søketreffene: høyreklikk et treff eller trykk "
                       "Ctrl+Shift+D, eller bruk «☆ Legg til i sett …» over dokumentet."))
    if gone:
        said.append(tr("{n} prosedyre(r) finnes ikke lenger i indeksen.", n=gone))
    if replaceable:
        said.append(tr("{n} prosedyre(r) er utgått; velg punktet og «Bytt til erstatningen».", n=replaceable))
    if len(old) > replaceable:  # the button cannot help: say what can
        said.append(tr("{n} prosedyre(r) er utgått uten at erstatningen finnes i indeksen; søk etter en "
                       "nyere prosedyre eller fjern punktet.", n=len(old) - replaceable))
    return said


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
