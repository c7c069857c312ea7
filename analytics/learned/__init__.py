"""Learned detectors, trained from the database's own history (``foodtrace analytics train``)
and persisted with a format version and a checksum (:mod:`analytics.learned.store`):

* :class:`~analytics.learned.transitions.TransitionModel` — per product, the likelihood of
  each transition between (step, kind of place) in the journeys seen;
* :class:`~analytics.learned.outliers.OutlierModel` — an isolation forest on journey features
  (speed, dwell, degree·hours, revisits, places, events, duration).
"""
