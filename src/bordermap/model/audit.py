"""What publishing did to a layer: each field removed, each place moved or left out — the
analyst's record, returned to the caller and never written into a published file."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from bordermap.safe import html_text

__all__ = ["Audit", "Change"]


@dataclass(frozen=True)
class Change:
    """One thing publication changed.

    ``action`` is ``removed`` (a non-allow-listed value), ``cleared`` (a place field of a
    restricted feature), ``generalised`` (moved to city level; ``km`` is how far) or
    ``dropped`` (the whole feature or row left out).
    """

    layer: str
    feature: str
    field: str
    action: str
    km: float | None = None


@dataclass
class Audit:
    """What :func:`prepare_for_publication` removed or moved: for the analyst, never published.

    Examples
    --------
    >>> audit = Audit([Change("facilities", "safe-1", "geometry", "generalised", 3.2)])
    >>> audit.summary()
    'publish: 0 values removed, 1 location generalised to city level, 0 features or rows left out'
    """

    changes: list[Change] = field(default_factory=list)

    def __add__(self, other: Audit) -> Audit:
        return Audit([*self.changes, *other.changes])

    def __len__(self) -> int:
        return len(self.changes)

    def _count(self, *actions: str) -> int:
        return sum(c.action in actions for c in self.changes)

    @property
    def generalised(self) -> int:
        """Number of locations moved to city level."""
        return self._count("generalised")

    @property
    def dropped(self) -> int:
        """Number of features or rows left out."""
        return self._count("dropped")

    @property
    def removed(self) -> int:
        """Number of values removed (non-allow-listed fields and place fields cleared)."""
        return self._count("removed", "cleared")

    def summary(self) -> str:
        """One line of counts, for a terminal or a log."""
        moved = self.generalised
        return (
            f"publish: {self.removed} value{'s' * (self.removed != 1)} removed, "
            f"{moved} location{'s' * (moved != 1)} generalised to city level, "
            f"{self.dropped} feature{'s' * (self.dropped != 1)} or row{'s' * (self.dropped != 1)}"
            " left out"
        )

    def to_frame(self) -> pd.DataFrame:
        """The changes as a table: layer, feature, field, action, km."""
        columns = ["layer", "feature", "field", "action", "km"]
        return pd.DataFrame([c.__dict__ for c in self.changes], columns=columns)

    def _repr_html_(self) -> str:
        rows = "".join(
            "<tr>"
            + "".join(
                f"<td>{html_text('' if v is None else (f'{v:.1f}' if k == 'km' else v))}</td>"
                for k, v in c.__dict__.items()
            )
            + "</tr>"
            for c in self.changes
        )
        head = "".join(f"<th>{h}</th>" for h in ("layer", "feature", "field", "action", "km"))
        return (
            f"<p>{html_text(self.summary())}</p>"
            f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"
        )
