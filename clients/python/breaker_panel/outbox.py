"""A bounded buffer of messages awaiting the panel's confirmation (outbox.ts)."""

from __future__ import annotations

from collections import OrderedDict
from typing import Any, Dict, Iterable, List, Optional, Tuple


class Outbox:
    """Messages by key, oldest first. When full, the oldest is dropped and
    counted: memory stays bounded whatever the panel does, and the drop count
    is reported. Not locked: the reporter holds its own lock around it."""

    def __init__(self, capacity: int) -> None:
        self._capacity = capacity
        self._entries: "OrderedDict[int, Dict[str, Any]]" = OrderedDict()
        self.dropped = 0
        """Messages dropped because the outbox was full (cumulative): ``droppedTransitions`` on the wire."""

    def push(self, key: int, message: Dict[str, Any]) -> None:
        self._entries[key] = message
        while len(self._entries) > self._capacity:
            self._entries.popitem(last=False)
            self.dropped += 1

    def oldest(self, count: int) -> List[Tuple[int, Dict[str, Any]]]:
        """Up to ``count`` messages with their keys, oldest first."""
        taken = []
        for entry in self._entries.items():
            if len(taken) == count:
                break
            taken.append(entry)
        return taken

    def get(self, key: int) -> Optional[Dict[str, Any]]:
        return self._entries.get(key)

    def remove(self, keys: Iterable[int]) -> None:
        """The panel has them, or will never take them."""
        for key in keys:
            self._entries.pop(key, None)

    def __len__(self) -> int:
        return len(self._entries)
