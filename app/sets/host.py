"""What the sets pane offers the objects that act on it: editing (``SetEditor``), files (``SetFiles``) and the
window's menu (``SetsActions``).

They get this interface and nothing else: no widget, no model, no attribute of the pane behind it. The store is a
property because it can change while the pane lives (a busy store is taken up when it is free again).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from app.sets.check import ItemState
    from app.sets.records import OnboardingSet, SetItem
    from app.sets.store import SetStore


class SetsHost(Protocol):
    @property
    def store(self) -> SetStore | None:
        """The user's sets, or None while they cannot be opened."""

    @property
    def current(self) -> OnboardingSet | None:
        """The set shown."""

    @property
    def ticks(self) -> Mapping[str, dt.date]:
        """The shown set's ticked items (uid → date)."""

    @property
    def states(self) -> Mapping[str, ItemState]:
        """How each document of the shown set stands in the open index (doc id → state)."""

    def current_item(self) -> SetItem | None:
        """The item selected in the shown set."""

    def current_row(self) -> int:
        """Its row (-1: none)."""

    def select_item(self, uid: str) -> None: ...

    def select_row(self, row: int) -> None: ...

    def refresh(self, select: str = "") -> None:
        """Reload the sets from the store (and show the set ``select``)."""

    def change(self, change: Callable[[], object], *, select: str = "") -> bool:
        """Run one store change; on a store error say why and reload. False when it failed."""

    def on_failed(self, message: str) -> None:
        """Show a store error and reload."""

    def tell(self, text: str) -> None:
        """A short confirmation in the status bar."""
