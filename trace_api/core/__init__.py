"""Service plumbing: settings (``config``) and the database engine (``db``)."""
