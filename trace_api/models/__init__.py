"""ORM models of the traceability database (SQLAlchemy 2 typed declarative).

Importing this package registers every table on :data:`Base.metadata`, which the migrations
are compared against.
"""

from trace_api.models.api import ApiToken, NamedQuery, ServiceSecret
from trace_api.models.base import Base, metadata
from trace_api.models.console import ConsoleSession, ConsoleUser
from trace_api.models.event import (
    EpcisContext,
    ErrorDeclaration,
    Event,
    EventBizTransaction,
    EventIdentifier,
    EventSourceDestination,
    SensorReport,
)
from trace_api.models.master import Location, Party, Product
from trace_api.models.ops import (
    CaptureJob,
    DeadLetter,
    Station,
    StationSequence,
    StationSequenceGap,
)
from trace_api.models.subscription import Delivery, DeliveryEvent, Subscription
from trace_api.models.warning import EarlyWarning, WarningHistory, WarningSubject

__all__ = [
    "ApiToken",
    "Base",
    "CaptureJob",
    "ConsoleSession",
    "ConsoleUser",
    "DeadLetter",
    "Delivery",
    "DeliveryEvent",
    "EarlyWarning",
    "EpcisContext",
    "ErrorDeclaration",
    "Event",
    "EventBizTransaction",
    "EventIdentifier",
    "EventSourceDestination",
    "Location",
    "NamedQuery",
    "Party",
    "Product",
    "SensorReport",
    "ServiceSecret",
    "Station",
    "StationSequence",
    "StationSequenceGap",
    "Subscription",
    "WarningHistory",
    "WarningSubject",
    "metadata",
]
