"""Back/forward between result lists and documents (Alt+Left / Alt+Right), like a browser."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Place:
    query: str
    doc_id: str = ""  # empty: the result list of ``query``
    section: str = ""
    terms: tuple[str, ...] = ()


class History:
    def __init__(self, *, limit: int = 100):
        self._places: list[Place] = []
        self._index = -1
        self._limit = limit

    @property
    def current(self) -> Place | None:
        return self._places[self._index] if self._index >= 0 else None

    def visit(self, place: Place) -> None:
        """A new place: forward history is dropped; revisiting the current place is a no-op."""
        if self.current == place:
            return
        del self._places[self._index + 1:]
        self._places.append(place)
        if len(self._places) > self._limit:
            del self._places[0]
        self._index = len(self._places) - 1

    def can_back(self) -> bool:
        return self._index > 0

    def can_forward(self) -> bool:
        return self._index < len(self._places) - 1

    def back(self) -> Place | None:
        if not self.can_back():
            return None
        self._index -= 1
        return self.current

    def forward(self) -> Place | None:
        if not self.can_forward():
            return None
        self._index += 1
        return self.current
