"""Recalls: declare one for lots (stored as EPCIS ``recalled`` events), its blast radius
downstream, and the recall status of a lot for consumer pages."""

from trace_api.recall.blast import blast_radius
from trace_api.recall.service import (
    Recall,
    declare_recall,
    get_recall,
    list_recalls,
    recall_status,
)

__all__ = [
    "Recall",
    "blast_radius",
    "declare_recall",
    "get_recall",
    "list_recalls",
    "recall_status",
]
